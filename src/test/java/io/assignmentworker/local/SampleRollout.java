package io.assignmentworker.local;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.UUID;

/** A bulk rollout for the local run: valid requests of every target type, and a few broken ones. */
final class SampleRollout {

    /** One record to publish, and what its outcome should be. */
    record Item(String key, byte[] value, String expectedStatus, String expectedCategory) {
    }

    private static final String[] TARGETS = {
            "{\"@odata.type\":\"#microsoft.graph.groupAssignmentTarget\",\"groupId\":\"%s\","
                    + "\"deviceAndAppManagementAssignmentFilterId\":null,\"deviceAndAppManagementAssignmentFilterType\":\"none\"}",
            "{\"@odata.type\":\"#microsoft.graph.exclusionGroupAssignmentTarget\",\"groupId\":\"%s\"}",
            "{\"@odata.type\":\"#microsoft.graph.groupAssignmentTarget\",\"groupId\":\"%s\","
                    + "\"deviceAndAppManagementAssignmentFilterId\":\"" + LocalDirectory.filter() + "\","
                    + "\"deviceAndAppManagementAssignmentFilterType\":\"include\"}"};

    private SampleRollout() {
    }

    /** Groups a rollout of {@code valid} requests over {@code policies} policies names: one per request of a policy. */
    static int groupsNeeded(int valid, int policies) {
        return valid / policies + 1;
    }

    /** Valid requests name the directory's groups and filter (a policy holds a group once); broken ones don't. */
    static List<Item> build(String rolloutId, String tenantId, List<String> policies, int valid, long seed) {
        Random random = new Random(seed);
        List<Item> items = new ArrayList<>();
        for (int i = 0; i < valid; i++) {
            String requestId = rolloutId + "/" + String.format("%04d", i + 1);
            String policy = policies.get(i % policies.size());
            String target = i < policies.size() * 2
                    ? broadTarget(i / policies.size())
                    : TARGETS[i % TARGETS.length].formatted(LocalDirectory.rolloutGroup(i / policies.size() + 1));
            items.add(new Item(requestId, request(requestId, tenantId, policy, rolloutId, target), "CREATED", null));
        }
        String policy = policies.get(0);
        String group = TARGETS[0].formatted(LocalDirectory.rolloutGroup(1));
        items.add(invalid(rolloutId, "bad-group", tenantId, policy, TARGETS[0].formatted("not-a-guid")));
        items.add(invalid(rolloutId, "bad-policy", tenantId, "policy-7", group));
        items.add(invalid(rolloutId, "no-target", tenantId, policy, "null"));
        items.add(invalid(rolloutId, "filter-without-id", tenantId, policy,
                "{\"@odata.type\":\"#microsoft.graph.allDevicesAssignmentTarget\","
                        + "\"deviceAndAppManagementAssignmentFilterType\":\"include\"}"));
        String unknownPolicy = rolloutId + "/unknown-policy";
        items.add(new Item(unknownPolicy, request(unknownPolicy, tenantId, uuid(random), rolloutId, group), "FAILED",
                "NOT_FOUND"));
        items.add(new Item("garbage", "this is not JSON".getBytes(StandardCharsets.UTF_8), "FAILED",
                "UNREADABLE_RECORD"));
        items.add(new Item("latin-1", new byte[] {'{', '"', (byte) 0xE9, '"', '}'}, "FAILED", "UNREADABLE_RECORD"));
        return items;
    }

    /** The first requests of each policy assign it to everyone: all devices, then all licensed users. */
    private static String broadTarget(int round) {
        return round == 0 ? "{\"@odata.type\":\"#microsoft.graph.allDevicesAssignmentTarget\"}"
                : "{\"@odata.type\":\"#microsoft.graph.configurationManagerCollectionAssignmentTarget\","
                        + "\"collectionId\":\"SMS00001\"}";
    }

    private static Item invalid(String rolloutId, String name, String tenantId, String policy, String target) {
        String requestId = rolloutId + "/invalid-" + name;
        return new Item(requestId, request(requestId, tenantId, policy, rolloutId, target), "FAILED",
                "INVALID_REQUEST");
    }

    private static byte[] request(String requestId, String tenantId, String policyId, String rolloutId,
                                  String target) {
        return ("{\"requestId\":\"%s\",\"tenantId\":\"%s\",\"policyId\":\"%s\",\"rolloutId\":\"%s\","
                + "\"assignment\":{\"@odata.type\":\"#microsoft.graph.deviceCompliancePolicyAssignment\","
                + "\"target\":%s,\"source\":\"direct\",\"sourceId\":null}}")
                .formatted(requestId, tenantId, policyId, rolloutId, target).getBytes(StandardCharsets.UTF_8);
    }

    static String uuid(Random random) {
        return new UUID(random.nextLong(), random.nextLong()).toString();
    }
}
