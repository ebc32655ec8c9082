package io.assignmentworker.emulator;

import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * A compliance policy and its assignment set. Every method is synchronized: a replace by {@code /assign} must
 * never interleave with a create, just as the real service applies each write atomically. Nodes are copied in
 * and out so callers can never mutate the stored state.
 */
final class Policy {
    private final String id;
    private final String displayName;
    private final Instant created;
    private final List<ObjectNode> assignments = new ArrayList<>();

    Policy(String id, String displayName, Instant created) {
        this.id = id;
        this.displayName = displayName;
        this.created = created;
    }

    String id() {
        return id;
    }

    String displayName() {
        return displayName;
    }

    Instant created() {
        return created;
    }

    synchronized List<ObjectNode> snapshot() {
        return copies(assignments);
    }

    synchronized Optional<ObjectNode> find(String assignmentId) {
        return assignments.stream()
                .filter(a -> a.path("id").asString("").equalsIgnoreCase(assignmentId))
                .findFirst()
                .map(ObjectNode::deepCopy);
    }

    /** Stores a validated assignment under a new id, whatever id it carried, and returns the stored copy. */
    synchronized ObjectNode create(ObjectNode assignment) {
        ObjectNode stored = assignment.deepCopy();
        stored.put("id", Ids.newGuid());
        assignments.add(stored);
        return stored.deepCopy();
    }

    /** Stores an assignment as given, keeping its id if it has one (used to seed pre-existing state). */
    synchronized ObjectNode seed(ObjectNode assignment) {
        ObjectNode stored = assignment.deepCopy();
        if (!stored.path("id").isString() || stored.path("id").stringValue().isBlank()) {
            stored.put("id", Ids.newGuid());
        }
        assignments.add(stored);
        return stored.deepCopy();
    }

    /**
     * Replaces the whole set, as {@code /assign} does. An entry keeps its id when it names an assignment that
     * exists now (once: a repeated id gets a new one), otherwise it gets a new id.
     */
    synchronized List<ObjectNode> replace(List<ObjectNode> entries) {
        Map<String, String> existingIds = new HashMap<>();
        assignments.forEach(a -> existingIds.put(Tenant.key(a.path("id").asString("")), a.path("id").asString("")));
        Set<String> used = new HashSet<>();
        List<ObjectNode> next = new ArrayList<>(entries.size());
        for (ObjectNode entry : entries) {
            ObjectNode stored = entry.deepCopy();
            String sent = Tenant.key(entry.path("id").asString(""));
            boolean keep = existingIds.containsKey(sent) && used.add(sent);
            stored.put("id", keep ? existingIds.get(sent) : Ids.newGuid());
            next.add(stored);
        }
        assignments.clear();
        assignments.addAll(next);
        return copies(next);
    }

    /** Assignments beyond the first for each target key. */
    synchronized int duplicates() {
        Set<TargetKey> seen = new HashSet<>();
        int extra = 0;
        for (JsonNode assignment : assignments) {
            if (!seen.add(TargetKey.of(assignment))) {
                extra++;
            }
        }
        return extra;
    }

    private static List<ObjectNode> copies(List<ObjectNode> nodes) {
        List<ObjectNode> result = new ArrayList<>(nodes.size());
        nodes.forEach(n -> result.add(n.deepCopy()));
        return result;
    }
}
