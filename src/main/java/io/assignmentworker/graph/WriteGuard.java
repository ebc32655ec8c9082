package io.assignmentworker.graph;

import io.assignmentworker.outcome.ErrorCategory;
import java.util.function.BooleanSupplier;

/**
 * What must still hold for a request's write to be sent. Asked when the write's turn comes (before it uses
 * budget) and again just before it goes; a write that fails it is not sent.
 *
 * @param rerouted   the tenant now writes with {@code /assign}: a create fails as ROUTE_REFUSED and the
 *                   request is written the other way
 * @param owned      this worker still owns the request's partition; when not, the request has no outcome here
 *                   ({@link GraphClient#NOT_OWNER_CODE}): the partition's next owner answers it
 * @param leaseFresh this worker's Kafka session is known to be alive (it polled recently and was not paused
 *                   long enough to lose its partitions unnoticed); when not, the write waits
 *                   ({@link GraphClient#LEASE_EXPIRED_CODE}, transient)
 */
public record WriteGuard(BooleanSupplier rerouted, BooleanSupplier owned, BooleanSupplier leaseFresh) {

    /** No condition: every write goes. */
    public static final WriteGuard NONE = new WriteGuard(() -> false, () -> true, () -> true);

    static final GraphError REROUTED = new GraphError(ErrorCategory.ROUTE_REFUSED, null, "Rerouted",
            "the tenant refuses the create route; the request is written with /assign", false, false, null, null);
    static final GraphError NOT_OWNER = new GraphError(ErrorCategory.GRAPH_ERROR, null, GraphClient.NOT_OWNER_CODE,
            "this worker no longer owns the request's partition; its new owner answers the request", false, false,
            null, null);
    static final GraphError LEASE_EXPIRED = new GraphError(ErrorCategory.UNAVAILABLE, null,
            GraphClient.LEASE_EXPIRED_CODE, "this worker cannot confirm it still owns the request's partition "
            + "(its Kafka session may have lapsed); the write waits until it can", true, false, null, null);

    /** {@code null} when the write may go, else the error it fails with. */
    public GraphError veto() {
        if (rerouted.getAsBoolean()) {
            return REROUTED;
        }
        if (!owned.getAsBoolean()) {
            return NOT_OWNER;
        }
        return leaseFresh.getAsBoolean() ? null : LEASE_EXPIRED;
    }

    /** The same guard without the rerouting condition (for writes that are already the /assign kind). */
    public WriteGuard withoutRerouting() {
        return new WriteGuard(() -> false, owned, leaseFresh);
    }
}
