package io.assignmentworker.graph;

import io.assignmentworker.outcome.ErrorCategory;
import io.assignmentworker.outcome.OutcomeError;
import java.time.Duration;

/**
 * A failed Graph (or Entra ID) exchange, classified once, in {@link GraphErrors}.
 *
 * @param category       what kind of failure
 * @param httpStatus     the HTTP status, or {@code null} when there was no answer
 * @param code           Graph's {@code error.code}, or a worker code such as {@code Timeout}
 * @param message        what went wrong
 * @param transientError whether trying again later may succeed
 * @param ambiguous      whether a write may have taken effect although it failed (timeout, 5xx, reset)
 * @param retryAfter     the wait Graph asked for, or {@code null}
 * @param graphRequestId Graph's {@code request-id}, or {@code null}
 */
public record GraphError(ErrorCategory category, Integer httpStatus, String code, String message,
                         boolean transientError, boolean ambiguous, Duration retryAfter, String graphRequestId) {

    public boolean throttled() {
        return category == ErrorCategory.THROTTLED;
    }

    public OutcomeError toOutcomeError() {
        return new OutcomeError(category, httpStatus, code, message, transientError || retryableByCaller(),
                graphRequestId);
    }

    /** Failures a person can fix without changing the request (permissions, credentials). */
    private boolean retryableByCaller() {
        return category == ErrorCategory.FORBIDDEN || category == ErrorCategory.AUTHENTICATION;
    }
}
