package io.assignmentworker.graph;

import io.assignmentworker.request.AssignmentRequest;
import io.assignmentworker.outcome.ErrorCategory;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;

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
 * <p>Callers must not run two requests for the same subject of a policy at once, nor a batch next to anything
 * else for its policy (the scheduling stage orders them). Creates for different subjects of one policy may run at
 * once: Graph refuses a second assignment for a subject, and a refused create reads the policy again.
 */
public final class GraphClient {

    private final GraphCalls calls;
    private final KnownAssignments known;
    private final PolicyAssigner assigner;
    private final Clock clock;
    private final Duration maxReadAge;
    private final Map<String, CompletableFuture<KnownAssignments.View>> readsUnderWay = new ConcurrentHashMap<>();

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
     * @param rerouted       whether the tenant now writes with {@code /assign}: a create then fails as
     *                       ROUTE_REFUSED instead of being sent
     * @param permit         asked before the create is sent: a wait fails it as {@link WriteHeld}, a withdrawal
     *                       as {@link WriteWithdrawn}
     */
    public CompletableFuture<Assigned> ensureAssigned(String tenantId, AssignmentRequest request,
                                                      boolean mayExistUnseen, Instant deadline,
                                                      BooleanSupplier rerouted, WritePermit permit) {
        return WriteVetoes.typed(ensure(tenantId, request, mayExistUnseen, deadline,
                WriteVetoes.of(rerouted, permit)));
    }

    private CompletableFuture<Assigned> ensure(String tenantId, AssignmentRequest request, boolean mayExistUnseen,
                                               Instant deadline, Supplier<GraphError> veto) {
        GraphError now = veto.get();
        // A write that must wait may still read: the read is no write, and the create asks again.
        if (now != null && now != WriteVetoes.HELD) {
            return CompletableFuture.failedFuture(new GraphException(now));
        }
        String policyId = request.policyId();
        Optional<KnownAssignments.View> cached = mayExistUnseen ? Optional.empty() : known.get(tenantId, policyId);
        CompletableFuture<KnownAssignments.View> current = cached.map(CompletableFuture::completedFuture)
                .orElseGet(() -> mayExistUnseen ? read(tenantId, policyId, deadline)
                        : sharedRead(tenantId, policyId, deadline));
        return current.thenCompose(view -> {
            Assigned existing = view.assigned(request.target().subjectKey());
            if (existing == null) {
                return create(tenantId, request, deadline, veto);
            }
            if (view.freshAt(clock.instant(), maxReadAge)) {
                return CompletableFuture.completedFuture(existing(existing, request));
            }
            return confirm(tenantId, request, existing, deadline, veto);
        });
    }

    /** An older copy says the subject is assigned: one read of that assignment says whether it still is. */
    private CompletableFuture<Assigned> confirm(String tenantId, AssignmentRequest request, Assigned existing,
                                                Instant deadline, Supplier<GraphError> veto) {
        String policyId = request.policyId();
        if (!GraphCalls.isPathSafe(existing.id())) {
            return ensure(tenantId, request, true, deadline, veto);
        }
        return calls.get(tenantId, policyId, existing.id(), deadline).thenCompose(found -> {
            if (found.isEmpty()) {
                // Removed behind the worker's back: what it knew of the policy is out of date.
                known.forget(tenantId, policyId);
                return ensure(tenantId, request, true, deadline, veto);
            }
            known.add(tenantId, policyId, request.target().subjectKey(), found.get());
            return CompletableFuture.completedFuture(existing(found.get(), request));
        });
    }

    private CompletableFuture<Assigned> create(String tenantId, AssignmentRequest request, Instant deadline,
                                               Supplier<GraphError> veto) {
        String policyId = request.policyId();
        String subject = request.target().subjectKey();
        return calls.create(tenantId, request, deadline, veto).handle((created, failure) -> {
            if (created != null) {
                known.add(tenantId, policyId, subject, created);
                return CompletableFuture.completedFuture(created);
            }
            GraphError error = GraphException.errorOf(failure);
            if (WriteVetoes.isVeto(error)) {
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
                Assigned existing = view.assigned(subject);
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
     * @param requests      the batch, asked for once the policy has been read in the write's slot (it may grow
     *                      until then), the same list on every later call
     * @param writtenBefore subjects earlier attempts of this batch may have written; updated by this one
     * @param permit        asked before each write is sent (the caller owns the policy): a wait fails the batch
     *                      as {@link WriteHeld}, a withdrawal as {@link WriteWithdrawn}
     * @return one result per request, in order
     */
    public CompletableFuture<List<AssignResult>> assignAll(String tenantId, String policyId,
                                                           Supplier<List<AssignmentRequest>> requests,
                                                           BatchMemory memory,
                                                           Instant deadline, WritePermit permit) {
        return WriteVetoes.typed(assigner.assign(tenantId, policyId, requests, memory, deadline,
                WriteVetoes.of(permit)));
    }

    /** How many assignments the policy has, as far as this worker knows (0 when it does not know). */
    public int knownAssignmentCount(String tenantId, String policyId) {
        return known.get(tenantId, policyId).map(KnownAssignments.View::size).orElse(0);
    }

    /**
     * Forgets what this worker knows of every policy's assignments. Called when it is given partitions: their
     * requests may have been written by their previous owner (which may have been killed mid-write), so the
     * next request of each policy reads what Graph has now.
     */
    public void forgetKnownAssignments() {
        known.clear();
    }

    /**
     * A read of a policy that is not known yet, shared by the creates that ask for it while it runs: a rollout's
     * first requests for a policy arrive together, and each reading the policy would spend the tenant's budget on
     * the same answer. (A read after an ambiguous failure is never shared: it must start after that failure.)
     */
    private CompletableFuture<KnownAssignments.View> sharedRead(String tenantId, String policyId, Instant deadline) {
        String key = tenantId + "/" + policyId.toLowerCase(Locale.ROOT);
        CompletableFuture<KnownAssignments.View> mine = new CompletableFuture<>();
        CompletableFuture<KnownAssignments.View> running = readsUnderWay.putIfAbsent(key, mine);
        if (running != null) {
            return running;
        }
        CompletableFuture<KnownAssignments.View> reading;
        try {
            reading = read(tenantId, policyId, deadline);
        } catch (RuntimeException e) {
            reading = CompletableFuture.failedFuture(e);
        }
        reading.whenComplete((view, failure) -> {
            readsUnderWay.remove(key, mine);
            if (failure != null) {
                mine.completeExceptionally(failure);
            } else {
                mine.complete(view);
            }
        });
        return mine;
    }

    private CompletableFuture<KnownAssignments.View> read(String tenantId, String policyId, Instant deadline) {
        return calls.list(tenantId, policyId, deadline).thenApply(listing -> known.replace(tenantId, policyId, listing));
    }
}
