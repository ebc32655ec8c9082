package io.assignmentworker.emulator;

import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.Set;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * A compliance policy and its assignment set. Every method is synchronized: a replace by {@code /assign} must
 * never interleave with a create, just as the real service applies each write atomically. Nodes are copied in
 * and out so callers can never mutate the stored state.
 *
 * <p>Every stored assignment carries Graph's id, {@code {policyId}_{subject}} ({@link AssignmentSubject}),
 * whatever id the caller sent, and no subject is held twice: the writes that would break that are refused.
 */
final class Policy {
    private final String id;
    private final String displayName;
    private final Instant created;
    private final List<ObjectNode> assignments = new ArrayList<>();
    private int duplicatesRefused;

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
        return indexOf(assignmentId).stream().mapToObj(i -> assignments.get(i).deepCopy()).findFirst();
    }

    /**
     * Stores a validated assignment under Graph's id, unless the policy already holds its subject. Creates and
     * seeding both come here.
     */
    synchronized Addition add(ObjectNode assignment) {
        AssignmentSubject subject = AssignmentSubject.of(assignment);
        String graphId = subject.assignmentId(id);
        OptionalInt existing = indexOf(graphId);
        if (existing.isPresent()) {
            return new Addition.SubjectTaken(assignments.get(existing.getAsInt()).get("id").stringValue(), subject);
        }
        ObjectNode stored = withGraphId(assignment);
        assignments.add(stored);
        return new Addition.Added(stored.deepCopy());
    }

    /**
     * Replaces the whole set, as {@code /assign} does; each entry is stored under Graph's id.
     *
     * @throws IllegalArgumentException when two entries share a subject (callers refuse such a set first)
     */
    synchronized List<ObjectNode> replace(List<ObjectNode> entries) {
        AssignmentSubject.firstRepeat(entries).ifPresent(repeat -> {
            throw new IllegalArgumentException("entries " + repeat.first() + " and " + repeat.second()
                    + " both target " + repeat.subject().describe());
        });
        List<ObjectNode> next = new ArrayList<>(entries.size());
        entries.forEach(entry -> next.add(withGraphId(entry)));
        assignments.clear();
        assignments.addAll(next);
        return copies(next);
    }

    /** Replaces the stored assignment of the same subject in place; false when the policy has none. */
    synchronized boolean update(ObjectNode assignment) {
        ObjectNode stored = withGraphId(assignment);
        OptionalInt index = indexOf(stored.get("id").stringValue());
        index.ifPresent(i -> assignments.set(i, stored));
        return index.isPresent();
    }

    /** Removes the assignment with this id (case-insensitive); false when there is none. */
    synchronized boolean remove(String assignmentId) {
        OptionalInt index = indexOf(assignmentId);
        index.ifPresent(i -> assignments.remove(i));
        return index.isPresent();
    }

    /** A write that would have held a subject twice was refused (see {@link #duplicates}). */
    synchronized void duplicateRefused() {
        duplicatesRefused++;
    }

    /**
     * Assignments beyond the first for each subject, whatever their filter or include/exclude kind, plus the
     * writes refused because they would have made one: the writes keep the first at zero, so a client that tries
     * to assign a subject twice (a retried create that had landed, a set built from a stale read) shows here.
     */
    synchronized int duplicates() {
        Set<String> seen = new HashSet<>();
        int extra = duplicatesRefused;
        for (JsonNode assignment : assignments) {
            if (!seen.add(AssignmentSubject.of(assignment).key())) {
                extra++;
            }
        }
        return extra;
    }

    private ObjectNode withGraphId(ObjectNode assignment) {
        ObjectNode stored = assignment.deepCopy();
        stored.put("id", AssignmentSubject.of(assignment).assignmentId(id));
        return stored;
    }

    private OptionalInt indexOf(String assignmentId) {
        for (int i = 0; i < assignments.size(); i++) {
            if (assignments.get(i).path("id").asString("").equalsIgnoreCase(assignmentId)) {
                return OptionalInt.of(i);
            }
        }
        return OptionalInt.empty();
    }

    private static List<ObjectNode> copies(List<ObjectNode> nodes) {
        List<ObjectNode> result = new ArrayList<>(nodes.size());
        nodes.forEach(n -> result.add(n.deepCopy()));
        return result;
    }

    /** What {@link #add} did. */
    sealed interface Addition {
        /** The assignment was stored; a copy as stored. */
        record Added(ObjectNode assignment) implements Addition {
        }

        /** The policy already holds the subject, under {@code existingId}; nothing was stored. */
        record SubjectTaken(String existingId, AssignmentSubject subject) implements Addition {
        }
    }
}
