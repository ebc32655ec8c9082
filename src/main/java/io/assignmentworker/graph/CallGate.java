package io.assignmentworker.graph;

import java.time.Instant;
import java.util.concurrent.CompletableFuture;
import java.util.function.Supplier;

/**
 * Lets every single Graph call pass only when the tenant's pacing, cool-down and circuit allow it.
 * Implemented by the scheduling stage; the Graph stage decides which calls to make, the gate decides when.
 */
public interface CallGate {

    /**
     * Runs {@code call} when the tenant may be called, and learns from its result (429s, outages).
     * The returned future completes with the call's result or failure, or with an UNAVAILABLE
     * {@link GraphException} when {@code deadline} passes while the call still waits.
     *
     * @param veto asked when the call's turn comes, before it uses any budget: {@code null} to go ahead, or
     *             the error to fail with instead (the call is no longer wanted, e.g. its tenant now writes
     *             another way or its policy has another owner)
     */
    <T> CompletableFuture<T> pass(String tenantId, CallKind kind, Instant deadline, Supplier<GraphError> veto,
                                  Supplier<CompletableFuture<T>> call);
}
