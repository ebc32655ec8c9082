package io.assignmentworker.process;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.apache.kafka.common.utils.Utils;

/** A rollout as an administrator would plan one: many requests over a few policies, every kind of target. */
final class Rollout {

    private Rollout() {
    }

    /**
     * {@code count} requests spread round-robin over {@code policies}: per policy first one of each kind (group,
     * filtered group, exclusion group, all devices, all licensed users, collection, filtered collection), then
     * groups, exclusion groups and collections with and without filters. Graph holds one assignment per subject,
     * so all devices and all licensed users come once per policy and every other target has a subject of its own:
     * each request intends its own assignment.
     */
    static List<PlannedRequest> mixed(String name, String tenantId, List<String> policies, int count) {
        return mixed(name, tenantId, policies, count, true);
    }

    /**
     * Like {@link #mixed}, without all devices and all licensed users: for policies that already assign them
     * (see {@link PreExistingAssignments}), where a request for them with a filter would be a conflict.
     */
    static List<PlannedRequest> mixedWithoutEveryone(String name, String tenantId, List<String> policies, int count) {
        return mixed(name, tenantId, policies, count, false);
    }

    private static List<PlannedRequest> mixed(String name, String tenantId, List<String> policies, int count,
                                              boolean everyone) {
        List<PlannedRequest> plan = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            String policy = policies.get(i % policies.size());
            int nth = i / policies.size();
            int kind = everyone && nth < KINDS ? nth : REPEATABLE[nth % REPEATABLE.length];
            plan.add(new PlannedRequest(name + "-" + i + "-" + shortId(), tenantId, policy, target(kind, name, i)));
        }
        return List.copyOf(plan);
    }

    /**
     * Like {@link #mixedWithoutEveryone} (callers publish several of these on the same policies), but with as many
     * requests on each of the topic's {@code partitions} (the producer's
     * default partitioner hashes the requestId key): {@code count} must be a multiple of {@code partitions}. A
     * large rollout spreads nearly evenly by itself; a small one may not, and then the workers that own the
     * fuller partitions finish last.
     */
    static List<PlannedRequest> evenOver(int partitions, String name, String tenantId, List<String> policies,
                                         int count) {
        if (count % partitions != 0) {
            throw new IllegalArgumentException(count + " requests do not divide into " + partitions + " partitions");
        }
        int[] taken = new int[partitions];
        List<PlannedRequest> plan = new ArrayList<>(count);
        for (PlannedRequest request : mixed(name, tenantId, policies, count * 3, false)) {
            int partition = partitionOf(request.requestId(), partitions);
            if (taken[partition] < count / partitions) {
                taken[partition]++;
                plan.add(request);
            }
        }
        if (plan.size() != count) {
            throw new IllegalStateException("could not spread " + count + " requests evenly: " + plan.size());
        }
        return List.copyOf(plan);
    }

    /** The partition Kafka's default partitioner picks for a record keyed by {@code requestId}. */
    static int partitionOf(String requestId, int partitions) {
        return Utils.toPositive(Utils.murmur2(requestId.getBytes(StandardCharsets.UTF_8))) % partitions;
    }

    private static final int KINDS = 7;
    /** The kinds a policy can hold many of: everything but all devices (3) and all licensed users (4). */
    private static final int[] REPEATABLE = {0, 1, 2, 5, 6};

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
