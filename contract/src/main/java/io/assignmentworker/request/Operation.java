package io.assignmentworker.request;

import java.util.Arrays;
import java.util.Locale;
import java.util.Optional;

/**
 * What a request asks of its subject's assignment (the request's {@code operation}; {@code create} when absent).
 * Every operation is idempotent: asking twice changes nothing the second time.
 */
public enum Operation {
    /** The subject gets the assignment; CREATED (or CREATED with {@code alreadyExisted} when it was there). */
    CREATE,
    /**
     * The subject's assignment, exactly as the request names it (intent and filter), leaves the policy: REMOVED,
     * or UNCHANGED when the subject has none. One assigned differently is a CONFLICT, never removed.
     */
    REMOVE,
    /**
     * The subject's existing assignment takes the request's intent and filter: UPDATED, or UNCHANGED when it
     * is already so. A subject without one FAILED ({@code SubjectNotAssigned}); with {@code expected}, one that
     * is not as expected is a CONFLICT.
     */
    UPDATE;

    /** The name in requests, results and metrics: {@code create}, {@code remove}, {@code update}. */
    public String wireName() {
        return name().toLowerCase(Locale.ROOT);
    }

    public static Optional<Operation> fromWireName(String value) {
        return Arrays.stream(values()).filter(o -> o.wireName().equals(value)).findFirst();
    }
}
