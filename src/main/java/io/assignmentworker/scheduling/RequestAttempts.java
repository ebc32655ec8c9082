package io.assignmentworker.scheduling;

import io.assignmentworker.graph.GraphError;
import java.time.Instant;

/**
 * One request's tries, and the decision after each failure: try again or give up. Throttling and failures
 * during a tenant-wide outage do not use up tries (they are about Graph, not about this request); only the
 * request's deadline ends them. Failures of this request alone are limited to {@code maxAttempts}.
 */
final class RequestAttempts {

    /** Thrown into the Resilience4j Retry to ask for another try. */
    static final class TryAgain extends RuntimeException {
        private final transient GraphError error;

        TryAgain(GraphError error) {
            super(error.code(), null, false, false);
            this.error = error;
        }

        GraphError error() {
            return error;
        }
    }

    /** Graph's error code for a request that outlived its deadline while waiting for Graph. */
    static final String EXPIRED = "RequestExpired";

    private final int maxAttempts;
    private final Instant deadline;
    private int attempts;
    private int ownFailures;
    private boolean mayExistUnseen;
    private GraphError last;

    RequestAttempts(int maxAttempts, Instant deadline) {
        this.maxAttempts = maxAttempts;
        this.deadline = deadline;
    }

    synchronized int start() {
        return ++attempts;
    }

    synchronized int attempts() {
        return attempts;
    }

    synchronized boolean mayExistUnseen() {
        return mayExistUnseen;
    }

    synchronized GraphError last() {
        return last;
    }

    Instant deadline() {
        return deadline;
    }

    /**
     * Records a failed try; true when the request should be tried again.
     *
     * @param notTheRequest whether something other than the request explains the failure (its tenant is in an
     *                      outage, or its write was held back by its permit): then no try is counted
     */
    synchronized boolean tryAgainAfter(GraphError error, boolean notTheRequest, Instant now) {
        last = error;
        mayExistUnseen |= error.ambiguous();
        if (!error.transientError() || now.isAfter(deadline)) {
            return false;
        }
        // Throttling, outages and a worker unsure it may write are not the request's fault.
        if (!error.throttled() && !notTheRequest) {
            ownFailures++;
        }
        return ownFailures < maxAttempts;
    }
}
