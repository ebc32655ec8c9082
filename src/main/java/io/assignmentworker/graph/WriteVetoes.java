package io.assignmentworker.graph;

import io.assignmentworker.outcome.ErrorCategory;
import java.util.concurrent.CompletableFuture;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;

/**
 * What keeps a request's write from being sent, as the errors the call gate fails a vetoed call with: the tenant
 * now writes another way, or the caller's {@link WritePermit} says wait or never. Inside graph these are known by
 * identity; {@link #typed} turns them into the types callers see before they leave it.
 */
final class WriteVetoes {

    static final GraphError REROUTED = new GraphError(ErrorCategory.ROUTE_REFUSED, null, "Rerouted",
            "the tenant refuses the create route; the request is written with /assign", false, false, null, null);
    static final GraphError HELD = new GraphError(ErrorCategory.UNAVAILABLE, null, "OwnershipUnconfirmed",
            "this worker cannot confirm it still owns the request (its write permit says wait); the write waits "
            + "until it can", true, false, null, null);
    /** Never leaves graph: {@link #typed} turns it into a {@link WriteWithdrawn}. */
    private static final GraphError WITHDRAWN = new GraphError(ErrorCategory.GRAPH_ERROR, null, "Withdrawn",
            "the request's write permit was withdrawn", false, false, null, null);

    private WriteVetoes() {
    }

    /**
     * The veto the call gate asks: {@code null} when the write may go. Rerouting is asked first, then the permit,
     * every time (a permit's first yes may mark the request as writing).
     */
    static Supplier<GraphError> of(BooleanSupplier rerouted, WritePermit permit) {
        return () -> rerouted.getAsBoolean() ? REROUTED : of(permit).get();
    }

    static Supplier<GraphError> of(WritePermit permit) {
        return () -> switch (permit.ask()) {
            case GO -> null;
            case WAIT -> HELD;
            case WITHDRAWN -> WITHDRAWN;
        };
    }

    static boolean isVeto(GraphError error) {
        return error == REROUTED || error == HELD || error == WITHDRAWN;
    }

    /** {@code future}, with a withdrawn or held write failing as {@link WriteWithdrawn} or {@link WriteHeld}. */
    static <T> CompletableFuture<T> typed(CompletableFuture<T> future) {
        return future.exceptionallyCompose(failure -> {
            GraphError error = GraphException.errorOf(failure);
            if (error == WITHDRAWN) {
                return CompletableFuture.failedFuture(new WriteWithdrawn());
            }
            if (error == HELD && !(GraphException.unwrap(failure) instanceof WriteHeld)) {
                return CompletableFuture.failedFuture(new WriteHeld(HELD));
            }
            return CompletableFuture.failedFuture(failure);
        });
    }
}
