package io.assignmentworker.scheduling;

import io.assignmentworker.graph.AssignResult;
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
                assigned.assignment(), assigned.json(), assigned.alreadyExisted(), attempts, work.receivedAt(),
                clock.instant(),
                work.source());
    }

    /** A remove or an update that ended as asked (see {@link AssignResult.Kind}). */
    Outcome changed(ReceivedRequest work, String tenantId, AssignResult result, int attempts) {
        AssignmentRequest r = work.request();
        Outcome.Changed.Status status = Outcome.Changed.Status.valueOf(result.kind().name());
        Assigned now = result.assigned();
        Assigned before = result.previous();
        String id = now != null ? now.id() : before != null ? before.id() : null;
        return new Outcome.Changed(r.requestId(), r.rolloutId(), tenantId, r.policyId(), r.operation(), status, id,
                now == null ? null : now.assignment(), before == null ? null : before.assignment(), attempts,
                work.receivedAt(), clock.instant(), work.source());
    }

    Outcome failed(ReceivedRequest work, String tenantId, OutcomeError error, int attempts) {
        AssignmentRequest r = work.request();
        return new Outcome.Failed(r.requestId(), r.rolloutId(), tenantId, r.policyId(), error, attempts,
                work.receivedAt(), clock.instant(), work.source(), r.operation());
    }

    /** The FAILED outcome of a request whose tries ended in {@code failure}. */
    Outcome failed(ReceivedRequest work, String tenantId, Throwable failure, int attempts) {
        return failed(work, tenantId, error(failure, attempts), attempts);
    }

    /**
     * The FAILED outcome of a remove or an update in a tenant written with creates: the only write every tenant
     * takes for them is {@code /assign}, which the group does not use for this tenant (it would erase creates
     * that other instances send at the same time).
     */
    Outcome needsAssign(ReceivedRequest work, String tenantId) {
        return failed(work, tenantId, OutcomeError.local(ErrorCategory.INVALID_REQUEST, "OperationNeedsAssign",
                "operation " + work.request().operation().wireName() + " is written with POST …/{id}/assign, and "
                        + "this worker group writes tenant " + tenantId + " with creates (WORKER_GRAPH_STRATEGY="
                        + "create); nothing was written. Configure the tenant auto (the default) or assign", false),
                0);
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
