package io.assignmentworker.outcome;

import java.util.Objects;

/**
 * Why a request failed, as published in the result.
 *
 * @param category       the kind of failure
 * @param httpStatus     Graph's HTTP status, or {@code null} when Graph was not (successfully) asked
 * @param code           Graph's {@code error.code}, or the worker's own code for failures before Graph
 * @param message        what is wrong, for a person
 * @param retryable      whether re-submitting the same request unchanged may succeed
 * @param graphRequestId Graph's {@code request-id}, for Microsoft support cases, or {@code null}
 */
public record OutcomeError(ErrorCategory category, Integer httpStatus, String code, String message,
                           boolean retryable, String graphRequestId) {

    public OutcomeError {
        Objects.requireNonNull(category, "category");
        Objects.requireNonNull(code, "code");
        Objects.requireNonNull(message, "message");
    }

    /** A failure the worker found itself, without asking Graph. */
    public static OutcomeError local(ErrorCategory category, String code, String message, boolean retryable) {
        return new OutcomeError(category, null, code, message, retryable, null);
    }
}
