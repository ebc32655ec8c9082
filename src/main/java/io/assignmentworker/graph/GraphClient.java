package io.assignmentworker.graph;

import io.assignmentworker.request.AssignmentRequest;
import io.assignmentworker.outcome.ErrorCategory;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;

/**
 * Front door of the Graph stage: makes sure a requested assignment exists, creating it only when Graph does
 * not have it yet. Before a create it consults what it knows of the policy's assignments (one read per
 * policy, kept current by its own writes); after an ambiguous failure, or for a policy it has not seen, it
 * reads again. That is what keeps redelivered requests (after a crash or rebalance), retried writes that
 * may have landed, and the same target requested twice under different ids from creating duplicates.
 *
 * <p>In tenants that write with {@code /assign}, {@link #assignAll} writes a batch of requests for one policy
 * at once, keeping every assignment the policy has.
 *
 * <p>Callers must not run two requests for the same policy at once (the scheduling stage orders them).
 */
public final class GraphClient {

    private final GraphCalls calls;
    private final KnownAssignments known;
    private final PolicyAssigner assigner;
    private final Clock clock;
    private final Duration maxReadAge;

    /**
     * The error code of a request whose partition went to another worker before it could write: it has no
     * outcome here; the partition's next owner reads it again and answers it.
     */
    public static final String NOT_OWNER_CODE = "NotOwner";
    /**
     * The error code of a write held back because this worker cannot be sure it still owns the partition (its
     * Kafka session may have expired during a pause): transient, tried again, never counted as a try.
     */
    public static final String LEASE_EXPIRED_CODE = "OwnershipUnconfirmed";


    GraphClient(GraphCalls calls, KnownAssignments known, PolicyAssigner assigner, Clock clock,
                Duration maxReadAge) {
        this.calls = calls;
        this.known = known;
        this.assigner = assigner;
        this.clock = clock;
        this.maxReadAge = maxReadAge;
    }

    /**
     * The assignment the request asks for: found or created. Graph holds one assignment per subject (group,
     * collection, all devices, all users): one that asks for another intent or filter than the request fails
     * the request as a {@link SubjectConflict}. An answer that the assignment exists rests on a read of Graph at
     * most {@code worker.graph.max-read-age} old: an older copy is confirmed by reading the assignment by its id.
     *
     * @param mayExistUnseen whether an earlier attempt may have created it without the worker knowing
     *                       (an ambiguous failure): the policy's assignments are then read again first
     * @param deadline       when the request stops waiting for Graph (see {@link CallGate})
     * @param guard          what must still hold for the create to be sent
     */
    public CompletableFuture<Assigned> ensureAssigned(String tenantId, AssignmentRequest request,
                                                      boolean mayExistUnseen, Instant deadline, WriteGuard guard) {
        GraphError now = guard.veto();
        if (now != null && now != WriteGuard.LEASE_EXPIRED) {
            return CompletableFuture.failedFuture(new GraphException(now));
        }
        String policyId = request.policyId();
        Optional<KnownAssignments.View> cached = mayExistUnseen ? Optional.empty() : known.get(tenantId, policyId);
        CompletableFuture<KnownAssignments.View> current = cached.map(CompletableFuture::completedFuture)
                .orElseGet(() -> read(tenantId, policyId, deadline));
        return current.thenCompose(view -> {
            Assigned existing = view.bySubject().get(request.target().subjectKey());
            if (existing == null) {
                return create(tenantId, request, deadline, guard);
            }
            if (view.freshAt(clock.instant(), maxReadAge)) {
                return CompletableFuture.completedFuture(existing(existing, request));
            }
            return confirm(tenantId, request, existing, deadline, guard);
        });
    }

    /** An older copy says the subject is assigned: one read of that assignment says whether it still is. */
    private CompletableFuture<Assigned> confirm(String tenantId, AssignmentRequest request, Assigned existing,
                                                Instant deadline, WriteGuard guard) {
        String policyId = request.policyId();
        if (!GraphCalls.isPathSafe(existing.id())) {
            return ensureAssigned(tenantId, request, true, deadline, guard);
        }
        return calls.get(tenantId, policyId, existing.id(), deadline).thenCompose(found -> {
            if (found.isEmpty()) {
                // Removed behind the worker's back: what it knew of the policy is out of date.
                known.forget(tenantId, policyId);
                return ensureAssigned(tenantId, request, true, deadline, guard);
            }
            known.add(tenantId, policyId, request.target().subjectKey(), found.get());
            return CompletableFuture.completedFuture(existing(found.get(), request));
        });
    }

    private CompletableFuture<Assigned> create(String tenantId, AssignmentRequest request, Instant deadline,
                                               WriteGuard guard) {
        String policyId = request.policyId();
        String subject = request.target().subjectKey();
        return calls.create(tenantId, request, deadline, guard::veto).handle((created, failure) -> {
            if (created != null) {
                known.add(tenantId, policyId, subject, created);
                return CompletableFuture.completedFuture(created);
            }
            GraphError error = GraphException.errorOf(failure);
            if (isVeto(error)) {
                return CompletableFuture.<Assigned>failedFuture(failure);
            }
            // Whatever happened, the next request for this policy reads what Graph really has.
            known.forget(tenantId, policyId);
            if (error == null || error.category() != ErrorCategory.BAD_REQUEST) {
                return CompletableFuture.<Assigned>failedFuture(failure);
            }
            // Graph refuses a second assignment for one subject: another writer may have assigned it since
            // the worker last read the policy. A fresh read says whether it exists (as asked, or differently).
            return read(tenantId, policyId, deadline).thenCompose(view -> {
                Assigned existing = view.bySubject().get(subject);
                return existing == null ? CompletableFuture.<Assigned>failedFuture(failure)
                        : CompletableFuture.completedFuture(existing(existing, request));
            });
        }).thenCompose(next -> next);
    }

    /** The answer for a subject the policy has: the assignment when it is as asked, else a conflict. */
    private static Assigned existing(Assigned existing, AssignmentRequest request) {
        if (SubjectConflict.between(existing, request)) {
            throw new GraphException(SubjectConflict.error(existing));
        }
        return new Assigned(existing.id(), existing.assignment(), true, existing.graphRequestId());
    }

    /**
     * Writes a batch of requests for one policy with one {@code /assign} (see {@link PolicyAssigner}): every
     * existing assignment is kept, the targets not there yet are added.
     *
     * @param writtenBefore subjects earlier attempts of this batch may have written; updated by this one
     * @param guard         what must still hold for the write to be sent (the caller owns the policy)
     * @return one result per request, in order
     */
    public CompletableFuture<List<AssignResult>> assignAll(String tenantId, String policyId,
                                                           List<AssignmentRequest> requests, Set<String> writtenBefore,
                                                           Instant deadline, WriteGuard guard) {
        return assigner.assign(tenantId, policyId, requests, writtenBefore, deadline, guard.withoutRerouting());
    }

    /**
     * Forgets what this worker knows of every policy's assignments. Called when it is given partitions: their
     * requests may have been written by their previous owner (which may have been killed mid-write), so the
     * next request of each policy reads what Graph has now.
     */
    public void forgetKnownAssignments() {
        known.clear();
    }

    private static boolean isVeto(GraphError error) {
        return error == WriteGuard.REROUTED || error == WriteGuard.NOT_OWNER || error == WriteGuard.LEASE_EXPIRED;
    }

    private CompletableFuture<KnownAssignments.View> read(String tenantId, String policyId, Instant deadline) {
        return calls.list(tenantId, policyId, deadline).thenApply(listing -> known.replace(tenantId, policyId, listing));
    }
}
