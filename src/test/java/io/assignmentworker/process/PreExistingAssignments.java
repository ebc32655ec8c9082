package io.assignmentworker.process;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

/**
 * Assignments an administrator made before a rollout, one of every target type Intune has for compliance
 * policies: a group, an exclusion group, all licensed users, all devices, a Configuration Manager collection, a
 * group with an include filter, and a group assigned through a policy set ({@code source: policySets} with a
 * {@code sourceId}). {@code /assign} replaces a policy's whole set, so a worker that writes with it must send
 * every one of these back unchanged; {@link #lostOrChanged} says which it did not.
 */
final class PreExistingAssignments {

    private static final JsonMapper JSON = JsonMapper.builder().build();

    /** Each seeded assignment as Graph listed it right after seeding, by policy, then by id. */
    private final Map<String, Map<String, JsonNode>> byPolicy;
    private final Map<String, Target> plainGroups;

    private PreExistingAssignments(Map<String, Map<String, JsonNode>> byPolicy, Map<String, Target> plainGroups) {
        this.byPolicy = byPolicy;
        this.plainGroups = plainGroups;
    }

    /** Seeds every target type on each policy; the policies must have no assignments yet. */
    static PreExistingAssignments seed(GraphFixture graph, List<String> policies) {
        Map<String, Map<String, JsonNode>> byPolicy = new LinkedHashMap<>();
        Map<String, Target> plainGroups = new LinkedHashMap<>();
        for (int i = 0; i < policies.size(); i++) {
            String policy = policies.get(i);
            Target plainGroup = Target.group(Rollout.guid());
            plainGroups.put(policy, plainGroup);
            String policySet = Rollout.guid();
            List<ObjectNode> seeds = List.of(
                    assignment(policy, plainGroup, "direct", null),
                    assignment(policy, Target.exclusionGroup(Rollout.guid()), "direct", null),
                    assignment(policy, Target.allLicensedUsers(), "direct", null),
                    assignment(policy, Target.allDevices(), "direct", null),
                    assignment(policy, Target.collection("SMS%05X".formatted(i + 1)), "direct", null),
                    assignment(policy, Target.group(Rollout.guid()).filtered(Rollout.guid(), "include"), "direct",
                            null),
                    assignment(policy, Target.group(Rollout.guid()), "policySets", policySet));
            seeds.forEach(seed -> graph.emulator().addAssignment(GraphFixture.TENANT, policy, seed));
            Map<String, JsonNode> listed = new LinkedHashMap<>();
            graph.assignments(policy).forEach(a -> listed.put(a.path("id").asString(), a));
            if (listed.size() != seeds.size()) {
                throw new IllegalStateException("policy " + policy + " had assignments before seeding: " + listed);
            }
            byPolicy.put(policy, listed);
        }
        return new PreExistingAssignments(byPolicy, plainGroups);
    }

    /**
     * An assignment as an administrator's tool would have written it; Graph's ids for compliance-policy
     * assignments are {@code <policyId>_<something>}, not GUIDs of their own.
     */
    private static ObjectNode assignment(String policy, Target target, String source, String sourceId) {
        ObjectNode node = JSON.createObjectNode();
        node.put("@odata.type", "#microsoft.graph.deviceCompliancePolicyAssignment");
        node.put("id", policy + "_" + Rollout.guid().substring(0, 8));
        node.put("source", source);
        node.put("sourceId", sourceId);
        node.set("target", JSON.readTree(target.json()));
        return node;
    }

    /** The {@code policyId/target key} of every seeded assignment, for {@link ExactlyOnceAudit}. */
    Set<String> keys() {
        return byPolicy.entrySet().stream().flatMap(policy -> policy.getValue().values().stream()
                        .map(a -> policy.getKey() + "/" + Target.keyOf(a.path("target"))))
                .collect(Collectors.toSet());
    }

    /** A target the policy already has (the plain group): a request for it must answer the seeded assignment. */
    Target existingTarget(String policyId) {
        return plainGroups.get(policyId);
    }

    /** The id Graph holds the plain group's assignment under. */
    String existingId(String policyId) {
        Target group = plainGroups.get(policyId);
        return byPolicy.get(policyId).values().stream()
                .filter(a -> Target.keyOf(a.path("target")).equals(group.key()))
                .map(a -> a.path("id").asString()).findFirst().orElseThrow();
    }

    int count() {
        return byPolicy.values().stream().mapToInt(Map::size).sum();
    }

    /**
     * Seeded assignments that Graph no longer holds under their id, or holds changed in any property (target,
     * filter, source, sourceId), each with what Graph holds now.
     */
    List<String> lostOrChanged(GraphFixture graph) {
        List<String> problems = new ArrayList<>();
        byPolicy.forEach((policy, seeded) -> {
            Map<String, JsonNode> now = new LinkedHashMap<>();
            graph.assignments(policy).forEach(a -> now.put(a.path("id").asString(), a));
            seeded.forEach((id, before) -> {
                JsonNode after = now.get(id);
                if (after == null) {
                    problems.add("lost " + before + " (policy " + policy + " has " + now.size()
                            + " assignments; same target now: " + now.values().stream()
                            .filter(a -> Target.keyOf(a.path("target")).equals(Target.keyOf(before.path("target"))))
                            .toList() + ")");
                } else if (!after.equals(before)) {
                    problems.add("changed " + before + " into " + after);
                }
            });
        });
        return problems;
    }
}
