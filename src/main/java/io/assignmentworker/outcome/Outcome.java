package io.assignmentworker.outcome;

import io.assignmentworker.request.Operation;
import java.time.Instant;
import java.util.function.Function;
import tools.jackson.databind.JsonNode;

/**
 * The one result every request ends with. Java 17 has no exhaustive pattern switch, so cases are handled
 * through {@link #map}: a new case changes its signature and fails to compile wherever it is not handled.
 */
public sealed interface Outcome {

    <R> R map(Function<Created, R> created, Function<Changed, R> changed, Function<Failed, R> failed);

    /** The request's operation; {@code null} only for a record that could not be read as a request. */
    Operation operation();

    /** The published status: CREATED, REMOVED, UPDATED, UNCHANGED or FAILED. */
    default String statusName() {
        return map(created -> "CREATED", changed -> changed.status().name(), failed -> "FAILED");
    }

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
     * @param assignmentJson the JSON text {@code assignment} was read from, as Graph sent it, written into the
     *                       result and ledger as it is; {@code null} when only the tree is at hand
     * @param alreadyExisted whether it existed before this request (nothing was written)
     */
    record Created(String requestId, String rolloutId, String tenantId, String policyId, String assignmentId,
                   JsonNode assignment, String assignmentJson, boolean alreadyExisted, int attempts,
                   Instant receivedAt, Instant completedAt, RecordSource source) implements Outcome {

        /** Without the JSON text: the tree is written. */
        public Created(String requestId, String rolloutId, String tenantId, String policyId, String assignmentId,
                       JsonNode assignment, boolean alreadyExisted, int attempts, Instant receivedAt,
                       Instant completedAt, RecordSource source) {
            this(requestId, rolloutId, tenantId, policyId, assignmentId, assignment, null, alreadyExisted, attempts,
                    receivedAt, completedAt, source);
        }

        @Override
        public <R> R map(Function<Created, R> created, Function<Changed, R> changed, Function<Failed, R> failed) {
            return created.apply(this);
        }

        @Override
        public Operation operation() {
            return Operation.CREATE;
        }
    }

    /**
     * A remove or an update ended as asked, as Graph was read back after the write.
     *
     * @param status       REMOVED, UPDATED, or UNCHANGED (the policy already held what was asked)
     * @param assignmentId Graph's id of the subject's assignment (the removed one's for REMOVED), or {@code null}
     *                     when the subject has none and had none
     * @param assignment   the subject's assignment as Graph holds it now, or {@code null} when it has none
     * @param previous     REMOVED, UPDATED: the assignment as Graph held it before; else {@code null}
     */
    record Changed(String requestId, String rolloutId, String tenantId, String policyId, Operation operation,
                   Status status, String assignmentId, JsonNode assignment, JsonNode previous, int attempts,
                   Instant receivedAt, Instant completedAt, RecordSource source) implements Outcome {

        /** What a remove or an update did. */
        public enum Status { REMOVED, UPDATED, UNCHANGED }

        @Override
        public <R> R map(Function<Created, R> created, Function<Changed, R> changed, Function<Failed, R> failed) {
            return changed.apply(this);
        }
    }

    /** The request did not do what it asked; {@code error} says why. */
    record Failed(String requestId, String rolloutId, String tenantId, String policyId, OutcomeError error,
                  int attempts, Instant receivedAt, Instant completedAt, RecordSource source, Operation operation)
            implements Outcome {

        /** A record that could not be read as a request, or a failure whose operation is unknown here. */
        public Failed(String requestId, String rolloutId, String tenantId, String policyId, OutcomeError error,
                      int attempts, Instant receivedAt, Instant completedAt, RecordSource source) {
            this(requestId, rolloutId, tenantId, policyId, error, attempts, receivedAt, completedAt, source, null);
        }

        @Override
        public <R> R map(Function<Created, R> created, Function<Changed, R> changed, Function<Failed, R> failed) {
            return failed.apply(this);
        }
    }
}
