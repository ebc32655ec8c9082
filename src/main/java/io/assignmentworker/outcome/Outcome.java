package io.assignmentworker.outcome;

import java.time.Instant;
import java.util.function.Function;
import tools.jackson.databind.JsonNode;

/**
 * The one result every request ends with. Java 17 has no exhaustive pattern switch, so cases are handled
 * through {@link #map}: a new case changes its signature and fails to compile wherever it is not handled.
 */
public sealed interface Outcome {

    <R> R map(Function<Created, R> created, Function<Failed, R> failed);

    String requestId();

    String rolloutId();

    String tenantId();

    String policyId();

    int attempts();

    Instant receivedAt();

    Instant completedAt();

    RecordSource source();

    /** The key of the result record: the requestId, or {@code null} when none could be read. */
    default String key() {
        return requestId();
    }

    /**
     * The assignment exists.
     *
     * @param assignmentId   Graph's id of the assignment
     * @param assignment     Graph's representation of it
     * @param alreadyExisted whether it existed before this request (nothing was written)
     */
    record Created(String requestId, String rolloutId, String tenantId, String policyId, String assignmentId,
                   JsonNode assignment, boolean alreadyExisted, int attempts, Instant receivedAt,
                   Instant completedAt, RecordSource source) implements Outcome {

        @Override
        public <R> R map(Function<Created, R> created, Function<Failed, R> failed) {
            return created.apply(this);
        }
    }

    /** The assignment was not created; {@code error} says why. */
    record Failed(String requestId, String rolloutId, String tenantId, String policyId, OutcomeError error,
                  int attempts, Instant receivedAt, Instant completedAt, RecordSource source) implements Outcome {

        @Override
        public <R> R map(Function<Created, R> created, Function<Failed, R> failed) {
            return failed.apply(this);
        }
    }
}
