package io.assignmentworker.topics;

import java.time.Instant;
import java.util.Collection;
import java.util.Map;
import java.util.Set;

/**
 * What the worker knows about its topics: not checked yet, all there, or some missing (with why). Health reports it,
 * and rollout tracking waits on it for the three topics it reads and writes.
 */
public sealed interface TopicsState {

    /** Whether each of these topics is known to exist. */
    boolean exist(Collection<String> names);

    /** The first check has not finished yet. */
    record Pending() implements TopicsState {
        @Override
        public boolean exist(Collection<String> names) {
            return names.isEmpty();
        }
    }

    /** Every topic of the worker exists (found, or created by this or another instance). */
    record Ready(Instant since) implements TopicsState {
        @Override
        public boolean exist(Collection<String> names) {
            return true;
        }
    }

    /**
     * The last check could not show that every topic exists; it is tried again in the background.
     *
     * @param existing topics the check found (empty when the broker could not be asked at all)
     * @param missing  topic → why it is still missing (not created, not allowed to be created, ...)
     * @param reason   one line for operators, naming what to do
     */
    record Failed(Set<String> existing, Map<String, String> missing, String reason, Instant at)
            implements TopicsState {

        public Failed {
            existing = Set.copyOf(existing);
            missing = Map.copyOf(missing);
        }

        @Override
        public boolean exist(Collection<String> names) {
            return existing.containsAll(names);
        }
    }
}
