package io.assignmentworker.process;

import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

/** A rollout as an administrator would plan one: many requests over a few policies, every kind of target. */
final class Rollout {

    private Rollout() {
    }

    /**
     * {@code count} requests spread round-robin over {@code policies}, cycling through group, filtered group,
     * exclusion group, all devices, all licensed users, collection and filtered collection targets. Every target
     * is distinct within its policy (all-devices and all-users targets differ by their filter), so each request
     * intends its own assignment.
     */
    static List<PlannedRequest> mixed(String name, String tenantId, List<String> policies, int count) {
        List<PlannedRequest> plan = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            String policy = policies.get(i % policies.size());
            plan.add(new PlannedRequest(name + "-" + i + "-" + shortId(), tenantId, policy,
                    target((i / policies.size()) % 7, name, i)));
        }
        return List.copyOf(plan);
    }

    private static Target target(int kind, String name, int index) {
        String collectionId = ("CM" + Integer.toHexString(name.hashCode()) + "_" + index).toUpperCase();
        return switch (kind) {
            case 0 -> Target.group(guid());
            case 1 -> Target.group(guid()).filtered(guid(), "include");
            case 2 -> Target.exclusionGroup(guid());
            case 3 -> Target.allDevices().filtered(guid(), "include");
            case 4 -> Target.allLicensedUsers().filtered(guid(), "exclude");
            case 5 -> Target.collection(collectionId);
            default -> Target.collection(collectionId).filtered(guid(), "exclude");
        };
    }

    static String guid() {
        return UUID.randomUUID().toString();
    }

    private static String shortId() {
        return guid().substring(0, 8);
    }
}
