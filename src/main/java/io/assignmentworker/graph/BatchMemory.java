package io.assignmentworker.graph;

import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * What the attempts of one batch may have written, kept across its attempts: after an ambiguous failure (a
 * write that may have landed) the next attempt finds the batch's own work done, and must still answer CREATED,
 * REMOVED or UPDATED, not "already there" or "nothing to do", with what the subject held before.
 */
public final class BatchMemory {

    private final Set<String> subjects = ConcurrentHashMap.newKeySet();
    private final Map<String, Assigned> before = new ConcurrentHashMap<>();

    /** A write about to be sent changes {@code subject}, which held {@code held} (null: nothing) before. */
    void changing(String subject, Assigned held) {
        subjects.add(subject);
        if (held != null) {
            before.putIfAbsent(subject, held);
        }
    }

    /** What the subject held before this batch's first write that changed it. */
    Optional<Assigned> before(String subject) {
        return Optional.ofNullable(before.get(subject));
    }

    Set<String> subjects() {
        return Set.copyOf(subjects);
    }
}
