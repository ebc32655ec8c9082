package io.assignmentworker.benchmark;

import io.assignmentworker.emulator.GraphEmulator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.stream.Collectors;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

/**
 * Assignments the policies had before the benchmark's rollout, one of each target type (group, exclusion group,
 * all licensed users, all devices, Configuration Manager collection, filtered group, group through a policy set),
 * and what became of them: {@code /assign} replaces a policy's whole set, so each must come back unchanged.
 */
final class PreExisting {

    private static final JsonMapper JSON = JsonMapper.builder().build();
    private static final String NS = "#microsoft.graph.";
    /** Assignments seeded per policy: one per target type, plus one through a policy set. */
    static final int PER_POLICY = 7;

    /** Per policy, each seeded assignment as Graph listed it, by id. */
    private final Map<String, Map<String, JsonNode>> seeded;

    private PreExisting(Map<String, Map<String, JsonNode>> seeded) {
        this.seeded = seeded;
    }

    static PreExisting seed(GraphEmulator graph, String tenant, List<String> policies) {
        Map<String, Map<String, JsonNode>> seeded = new LinkedHashMap<>();
        for (int i = 0; i < policies.size(); i++) {
            String policy = policies.get(i);
            List<ObjectNode> targets = List.of(
                    target("groupAssignmentTarget", "groupId", guid(), null),
                    target("exclusionGroupAssignmentTarget", "groupId", guid(), null),
                    target("allLicensedUsersAssignmentTarget", null, null, null),
                    target("allDevicesAssignmentTarget", null, null, null),
                    target("configurationManagerCollectionAssignmentTarget", "collectionId",
                            "SMS%05X".formatted(i + 1), null),
                    target("groupAssignmentTarget", "groupId", guid(), guid()));
            for (ObjectNode target : targets) {
                graph.addAssignment(tenant, policy, assignment(policy, target, "direct", null));
            }
            graph.addAssignment(tenant, policy, assignment(policy,
                    target("groupAssignmentTarget", "groupId", guid(), null), "policySets", guid()));
            Map<String, JsonNode> listed = new LinkedHashMap<>();
            graph.assignments(tenant, policy).forEach(a -> listed.put(a.path("id").asString(), a));
            seeded.put(policy, listed);
        }
        return new PreExisting(seeded);
    }

    int count() {
        return seeded.values().stream().mapToInt(Map::size).sum();
    }

    /** Seeded assignments no longer held under their id, or held with any property changed. */
    int lostOrChanged(GraphEmulator graph, String tenant) {
        int problems = 0;
        for (Map.Entry<String, Map<String, JsonNode>> policy : seeded.entrySet()) {
            Map<String, JsonNode> now = new HashMap<>();
            graph.assignments(tenant, policy.getKey()).forEach(a -> now.put(a.path("id").asString(), a));
            for (Map.Entry<String, JsonNode> before : policy.getValue().entrySet()) {
                if (!before.getValue().equals(now.get(before.getKey()))) {
                    problems++;
                }
            }
        }
        return problems;
    }

    /** Of these requests (each a group target), how many have no assignment of their group in their policy. */
    static int intendedMissing(GraphEmulator graph, String tenant, List<Load.Request> requests) {
        Map<String, Set<String>> groups = new HashMap<>();
        int missing = 0;
        for (Load.Request request : requests) {
            Set<String> held = groups.computeIfAbsent(request.policyId(), policy -> graph.assignments(tenant, policy)
                    .stream().map(a -> a.path("target").path("groupId").asString("").toLowerCase(Locale.ROOT))
                    .collect(Collectors.toSet()));
            String groupId = JSON.readTree(request.value()).path("assignment").path("target").path("groupId")
                    .asString();
            if (!held.contains(groupId.toLowerCase(Locale.ROOT))) {
                missing++;
            }
        }
        return missing;
    }

    private static ObjectNode target(String type, String idProperty, String id, String includeFilter) {
        ObjectNode target = JSON.createObjectNode();
        target.put("@odata.type", NS + type);
        if (idProperty != null) {
            target.put(idProperty, id);
        }
        target.put("deviceAndAppManagementAssignmentFilterId", includeFilter);
        target.put("deviceAndAppManagementAssignmentFilterType", includeFilter == null ? "none" : "include");
        return target;
    }

    private static ObjectNode assignment(String policy, ObjectNode target, String source, String sourceId) {
        ObjectNode assignment = JSON.createObjectNode();
        assignment.put("@odata.type", NS + "deviceCompliancePolicyAssignment");
        assignment.put("id", policy + "_" + guid().substring(0, 8));
        assignment.put("source", source);
        assignment.put("sourceId", sourceId);
        assignment.set("target", target);
        return assignment;
    }

    private static String guid() {
        return UUID.randomUUID().toString();
    }
}
