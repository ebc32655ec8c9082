package io.assignmentworker.graph;

import io.assignmentworker.request.AssignmentRequest;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import tools.jackson.databind.JsonNode;

/**
 * Front door of the Graph stage: makes sure a requested assignment exists, creating it only when Graph does
 * not have it yet. Before a create it consults what it knows of the policy's assignments (one read per
 * policy, kept current by its own writes); after an ambiguous failure, or for a policy it has not seen, it
 * reads again. That is what keeps redelivered requests (after a crash or rebalance), retried writes that
 * may have landed, and the same target requested twice under different ids from creating duplicates.
 *
 * <p>Callers must not run two requests for the same policy at once (the scheduling stage orders them).
 */
public final class GraphClient {

    private final GraphCalls calls;
    private final KnownAssignments known;

    GraphClient(GraphCalls calls, KnownAssignments known) {
        this.calls = calls;
        this.known = known;
    }

    /**
     * The assignment the request asks for: found or created.
     *
     * @param mayExistUnseen whether an earlier attempt may have created it without the worker knowing
     *                       (an ambiguous failure): the policy's assignments are then read again first
     * @param deadline       when the request stops waiting for Graph (see {@link CallGate})
     */
    public CompletableFuture<Assigned> ensureAssigned(String tenantId, AssignmentRequest request,
                                                      boolean mayExistUnseen, Instant deadline) {
        String policyId = request.policyId();
        String matchKey = request.target().matchKey();
        Optional<Map<String, Assigned>> cached = mayExistUnseen ? Optional.empty() : known.get(tenantId, policyId);
        CompletableFuture<Map<String, Assigned>> current = cached.map(CompletableFuture::completedFuture)
                .orElseGet(() -> read(tenantId, policyId, deadline));
        return current.thenCompose(assignments -> {
            Assigned existing = assignments.get(matchKey);
            if (existing != null) {
                return CompletableFuture.completedFuture(
                        new Assigned(existing.id(), existing.assignment(), true, existing.graphRequestId()));
            }
            return calls.create(tenantId, request, deadline).whenComplete((created, failure) -> {
                if (created != null) {
                    known.add(tenantId, policyId, matchKey, created);
                } else {
                    // Whatever happened, the next request for this policy reads what Graph really has.
                    known.forget(tenantId, policyId);
                }
            });
        });
    }

    private CompletableFuture<Map<String, Assigned>> read(String tenantId, String policyId, Instant deadline) {
        return calls.list(tenantId, policyId, deadline).thenApply(listing -> {
            Map<String, Assigned> byTarget = new LinkedHashMap<>();
            for (JsonNode assignment : listing.assignments()) {
                AssignmentJson.matchKey(assignment).ifPresent(key -> byTarget.putIfAbsent(key,
                        new Assigned(assignment.path("id").asString(null), assignment, true, listing.requestId())));
            }
            known.replace(tenantId, policyId, byTarget);
            return byTarget;
        });
    }
}
