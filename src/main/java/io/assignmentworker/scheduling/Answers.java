package io.assignmentworker.scheduling;

import io.assignmentworker.graph.Assigned;
import io.assignmentworker.graph.GraphError;
import io.assignmentworker.graph.GraphException;
import io.assignmentworker.graph.WriteWithdrawn;
import io.assignmentworker.outcome.ErrorCategory;
import io.assignmentworker.outcome.Outcome;
import io.assignmentworker.outcome.OutcomeError;
import io.assignmentworker.request.AssignmentRequest;
import java.time.Clock;

/** How the scheduling stage answers a request: its outcome, dated by the worker's clock, or handed back. */
final class Answers {

    /** A request whose partition this worker gave up: never answered here. */
    static final Handled.HandedBack WITHDRAWN = new Handled.HandedBack("this worker no longer owns the "
            + "request's partition (its write permit was withdrawn); the partition's next owner answers it");

    /**
     * Not an answer: the request goes into its policy's next batch. The {@link Coalescer} takes it back before
     * anything outside the scheduling stage sees it.
     */
    static final Handled.HandedBack AGAIN = new Handled.HandedBack("joined a batch whose write failed for reasons "
            + "not its own; written with the policy's next batch");

    private final Clock clock;

    Answers(Clock clock) {
        this.clock = clock;
    }

    /** Whether a call failed because the request's write permit was withdrawn (see {@link #WITHDRAWN}). */
    static boolean withdrawn(Throwable failure) {
        return GraphException.unwrap(failure) instanceof WriteWithdrawn;
    }

    Outcome created(ReceivedRequest work, String tenantId, Assigned assigned, int attempts) {
        AssignmentRequest r = work.request();
        return new Outcome.Created(r.requestId(), r.rolloutId(), tenantId, r.policyId(), assigned.id(),
                assigned.assignment(), assigned.alreadyExisted(), attempts, work.receivedAt(), clock.instant(),
                work.source());
    }

    Outcome failed(ReceivedRequest work, String tenantId, OutcomeError error, int attempts) {
        AssignmentRequest r = work.request();
        return new Outcome.Failed(r.requestId(), r.rolloutId(), tenantId, r.policyId(), error, attempts,
                work.receivedAt(), clock.instant(), work.source());
    }

    /** The FAILED outcome of a request whose tries ended in {@code failure}. */
    Outcome failed(ReceivedRequest work, String tenantId, Throwable failure, int attempts) {
        return failed(work, tenantId, error(failure, attempts), attempts);
    }

    /** The FAILED outcome of a request whose tenant this worker does not serve. */
    Outcome unknownTenant(ReceivedRequest work) {
        return failed(work, work.request().tenantId(), unknownTenant(work.request()), 0);
    }

    private static OutcomeError error(Throwable failure, int attempts) {
        GraphError error = GraphException.errorOf(failure);
        if (error == null) {
            return OutcomeError.local(ErrorCategory.GRAPH_ERROR, "InternalError",
                    "the worker failed unexpectedly: " + failure, true);
        }
        OutcomeError outcomeError = error.toOutcomeError();
        if (error.transientError()) {
            return new OutcomeError(outcomeError.category(), outcomeError.httpStatus(), outcomeError.code(),
                    "gave up after " + attempts + " attempts: " + outcomeError.message(), true,
                    outcomeError.graphRequestId());
        }
        return outcomeError;
    }

    private static OutcomeError unknownTenant(AssignmentRequest request) {
        if (request.tenantId() == null) {
            return OutcomeError.local(ErrorCategory.INVALID_REQUEST, "TenantRequired",
                    "tenantId: is required when several tenants are configured", false);
        }
        // Names only the tenant asked for: a provider's worker serves many customers, and one customer's results
        // must not tell it who the others are.
        return OutcomeError.local(ErrorCategory.UNKNOWN_TENANT, "UnknownTenant", "tenantId: tenant "
                + request.tenantId() + " is not configured in this worker", false);
    }
}
