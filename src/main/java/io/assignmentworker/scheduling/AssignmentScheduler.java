package io.assignmentworker.scheduling;

import io.assignmentworker.graph.AssignResult;
import io.assignmentworker.graph.Assigned;
import io.assignmentworker.graph.GraphClient;
import io.assignmentworker.graph.GraphError;
import io.assignmentworker.graph.GraphException;
import io.assignmentworker.graph.TenantDirectory;
import io.assignmentworker.graph.TenantStrategies;
import io.assignmentworker.graph.WriteHeld;
import io.assignmentworker.graph.WritePermit;
import io.assignmentworker.graph.WriteWithdrawn;
import io.assignmentworker.metrics.WorkerMetrics;
import io.assignmentworker.outcome.ErrorCategory;
import io.assignmentworker.outcome.Outcome;
import io.assignmentworker.outcome.OutcomeError;
import io.assignmentworker.request.AssignmentRequest;
import io.github.resilience4j.retry.Retry;
import io.github.resilience4j.retry.RetryConfig;
import io.github.resilience4j.retry.RetryRegistry;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ScheduledExecutorService;
import java.util.function.Supplier;

/**
 * Front door of the scheduling stage: takes a valid request and completes, without blocking, with what became of
 * it ({@link Handled}): most often its one {@link Outcome}. Requests for the same policy run in arrival order;
 * all else runs concurrently, paced per tenant by the {@link TenantPacer}. Transient failures are retried by a
 * Resilience4j {@link Retry}: 429s and failures during a tenant-wide outage until the request is older than
 * {@code max-request-age}, failures of the request alone up to {@code max-attempts} times. After an ambiguous
 * failure the next try reads the policy's assignments again first, so the assignment is never created twice.
 */
public final class AssignmentScheduler {

    private static final Handled.HandedBack WITHDRAWN = new Handled.HandedBack("this worker no longer owns the "
            + "request's partition (its write permit was withdrawn); the partition's next owner answers it");

    private final GraphClient graph;
    private final TenantPacer pacer;
    private final int maxAttempts;
    private final Duration maxRequestAge;
    private final TenantDirectory tenants;
    private final Retry retry;
    private final ScheduledExecutorService timer;
    private final Backoff backoff;
    private final Duration maxRetryAfter;
    private final Clock clock;
    private final WorkerMetrics metrics;
    private final PolicySequencer sequencer = new PolicySequencer();
    private final TenantStrategies strategies;
    private final Coalescer<Handled> coalescer;

    public AssignmentScheduler(GraphClient graph, TenantPacer pacer, TenantDirectory tenants,
                               TenantStrategies strategies, SchedulingProperties properties, RetryRegistry retries,
                               ScheduledExecutorService timer, Clock clock, WorkerMetrics metrics) {
        this.graph = graph;
        this.strategies = strategies;
        this.coalescer = new Coalescer<>(properties.coalesceWindow(), properties.maxBatchSize(), timer, sequencer,
                this::executeBatch);
        this.pacer = pacer;
        this.maxAttempts = properties.maxAttempts();
        this.maxRequestAge = properties.maxRequestAge();
        this.tenants = tenants;
        this.timer = timer;
        this.clock = clock;
        this.metrics = metrics;
        this.backoff = new Backoff(properties.initialBackoff(), properties.maxBackoff());
        this.maxRetryAfter = properties.maxRetryAfter();
        this.retry = retries.retry("graph", RetryConfig.<Object>custom()
                // Each request decides for itself when to stop (RequestAttempts); the Retry only paces the tries.
                .maxAttempts(Integer.MAX_VALUE)
                .retryOnException(failure -> tryAgain(failure) != null)
                .intervalBiFunction((attempt, result) -> delayBeforeRetry(attempt,
                        result.isLeft() ? tryAgain(result.getLeft()) : null))
                .build());
    }

    /**
     * A request read from the requests topic: answered with the create strategy, or (its tenant writes with
     * {@code /assign}) sent on to the policy's owner.
     */
    public CompletableFuture<Handled> handle(ReceivedRequest work) {
        AssignmentRequest request = work.request();
        Optional<String> tenant = tenants.resolve(request.tenantId());
        if (tenant.isEmpty()) {
            return CompletableFuture.completedFuture(
                    new Handled.Answered(failed(work, request.tenantId(), unknownTenant(request), 0)));
        }
        Handled.ToPolicyOwner toOwner = new Handled.ToPolicyOwner(policyKey(tenant.get(), request.policyId()));
        if (strategies.coalesces(tenant.get())) {
            return CompletableFuture.completedFuture(toOwner);
        }
        return create(work, tenant.get()).thenApply(handled -> isRouteRefused(handled)
                && strategies.createRefused(tenant.get()) ? toOwner : handled);
    }

    /**
     * A request this worker writes as the owner of its policy (read from the by-policy topic): coalesced with
     * the policy's other requests into one {@code /assign} write. Answered, or handed back.
     */
    public CompletableFuture<Handled> coalesce(ReceivedRequest work) {
        AssignmentRequest request = work.request();
        Optional<String> tenant = tenants.resolve(request.tenantId());
        if (tenant.isEmpty()) {
            return CompletableFuture.completedFuture(
                    new Handled.Answered(failed(work, request.tenantId(), unknownTenant(request), 0)));
        }
        return coalescer.add(tenant.get(), request.policyId(), policyKey(tenant.get(), request.policyId()), work);
    }

    /** {@link #coalesce}, for a request whose permit is never withdrawn (tests): its outcome. */
    CompletableFuture<Outcome> assignCoalesced(ReceivedRequest work) {
        return coalesce(work).thenApply(AssignmentScheduler::outcomeOf);
    }

    /** This worker was given partitions: see {@link GraphClient#forgetKnownAssignments}. */
    public void partitionsAssigned() {
        graph.forgetKnownAssignments();
    }

    /**
     * The by-policy key {@link #handle} forwards the request under, if its tenant writes with {@code /assign} now;
     * empty when the tenant writes with create or is not configured.
     */
    public Optional<String> byPolicyKey(AssignmentRequest request) {
        return tenants.resolve(request.tenantId()).filter(strategies::coalesces)
                .map(tenant -> policyKey(tenant, request.policyId()));
    }

    /** The key that sends all of a policy's requests to one partition of the by-policy topic. */
    public static String policyKey(String tenantId, String policyId) {
        return tenantId.toLowerCase(Locale.ROOT) + "/" + policyId.toLowerCase(Locale.ROOT);
    }

    /** The create strategy, for a request whose permit is never withdrawn (tests): its outcome. */
    CompletableFuture<Outcome> schedule(ReceivedRequest work) {
        AssignmentRequest request = work.request();
        Optional<String> tenant = tenants.resolve(request.tenantId());
        if (tenant.isEmpty()) {
            return CompletableFuture.completedFuture(failed(work, request.tenantId(), unknownTenant(request), 0));
        }
        return create(work, tenant.get()).thenApply(AssignmentScheduler::outcomeOf);
    }

    /** The create strategy: one request, answered or handed back. */
    private CompletableFuture<Handled> create(ReceivedRequest work, String tenantId) {
        return sequencer.submit(policyKey(tenantId, work.request().policyId()), () -> execute(work, tenantId));
    }

    private static Outcome outcomeOf(Handled handled) {
        return handled.map(Handled.Answered::outcome, toOwner -> {
            throw new IllegalStateException("sent on to the policy's owner, not answered: " + toOwner);
        }, back -> {
            throw new IllegalStateException("handed back, not answered: " + back.reason());
        });
    }

    private static boolean isRouteRefused(Handled handled) {
        return handled.map(answered -> answered.outcome().map(created -> false,
                failed -> failed.error().category() == ErrorCategory.ROUTE_REFUSED), toOwner -> false, back -> false);
    }

    private CompletableFuture<Handled> execute(ReceivedRequest work, String tenantId) {
        RequestAttempts attempts = new RequestAttempts(maxAttempts, work.receivedAt().plus(maxRequestAge));
        AssignmentRequest request = work.request();
        // A create waits while the group has not decided on creates for the tenant, or this instance's view of
        // that decision is stale (it might have missed a switch).
        WritePermit permit = Permits.waitingFor(work.permit(), () -> strategies.createsAllowed(tenantId));
        CompletableFuture<Assigned> assigned = withRetries(tenantId, attempts,
                () -> graph.ensureAssigned(tenantId, request, attempts.mayExistUnseen(), attempts.deadline(),
                        () -> strategies.coalesces(tenantId), permit));
        return assigned.handle((result, failure) -> {
            if (failure == null) {
                return new Handled.Answered(created(work, tenantId, result, attempts.attempts()));
            }
            if (withdrawn(failure)) {
                return WITHDRAWN;
            }
            return new Handled.Answered(failed(work, tenantId, error(failure, attempts.attempts()),
                    attempts.attempts()));
        });
    }

    private static boolean withdrawn(Throwable failure) {
        return GraphException.unwrap(failure) instanceof WriteWithdrawn;
    }

    /** One coalesced batch for one policy: one answer per request, in order. */
    private CompletableFuture<List<Handled>> executeBatch(String tenantId, String policyId,
                                                          List<ReceivedRequest> batch) {
        // Just after the group switched the tenant from creates, a create sent elsewhere may still land: /assign
        // would read the policy without it and write it away. The batch waits that out before it reads.
        Duration held = strategies.assignHeldFor(tenantId);
        if (held.isZero()) {
            return writeOwned(tenantId, policyId, batch);
        }
        return CompletableFuture.runAsync(() -> { }, CompletableFuture.delayedExecutor(held.toNanos(),
                        java.util.concurrent.TimeUnit.NANOSECONDS, timer))
                .thenCompose(ready -> writeOwned(tenantId, policyId, batch));
    }

    /**
     * A batch may hold requests of a partition this worker gave up (aborted when it was revoked) next to that
     * partition's records read again since it came back: the former are handed back (their partition's owner reads
     * them again), the latter are written. Asked once, at the start: no request joins a running batch.
     */
    private CompletableFuture<List<Handled>> writeOwned(String tenantId, String policyId,
                                                        List<ReceivedRequest> batch) {
        boolean[] owned = new boolean[batch.size()];
        List<ReceivedRequest> writable = new ArrayList<>(batch.size());
        for (int i = 0; i < batch.size(); i++) {
            owned[i] = batch.get(i).permit().ask() != WritePermit.Answer.WITHDRAWN;
            if (owned[i]) {
                writable.add(batch.get(i));
            }
        }
        if (writable.size() == batch.size()) {
            return writeBatch(tenantId, policyId, batch);
        }
        CompletableFuture<List<Handled>> written = writable.isEmpty()
                ? CompletableFuture.completedFuture(List.of()) : writeBatch(tenantId, policyId, writable);
        return written.thenApply(answers -> {
            List<Handled> all = new ArrayList<>(batch.size());
            int next = 0;
            for (int i = 0; i < batch.size(); i++) {
                all.add(owned[i] ? answers.get(next++) : WITHDRAWN);
            }
            return all;
        });
    }

    private CompletableFuture<List<Handled>> writeBatch(String tenantId, String policyId,
                                                        List<ReceivedRequest> batch) {
        Instant oldest = batch.stream().map(ReceivedRequest::receivedAt).min(Instant::compareTo).orElseThrow();
        RequestAttempts attempts = new RequestAttempts(maxAttempts, oldest.plus(maxRequestAge));
        List<AssignmentRequest> requests = batch.stream().map(ReceivedRequest::request).toList();
        Set<String> written = ConcurrentHashMap.newKeySet();
        WritePermit permit = Permits.waitingFor(Permits.ofBatch(batch),
                () -> strategies.assignHeldFor(tenantId).isZero());
        CompletableFuture<List<AssignResult>> results = withRetries(tenantId, attempts,
                () -> graph.assignAll(tenantId, policyId, requests, written, attempts.deadline(), permit));
        return results.handle((answers, failure) -> {
            metrics.assignBatch(batch.size());
            List<Handled> handled = new ArrayList<>(batch.size());
            for (int i = 0; i < batch.size(); i++) {
                ReceivedRequest work = batch.get(i);
                if (failure != null && withdrawn(failure)) {
                    handled.add(WITHDRAWN);
                } else if (failure != null) {
                    handled.add(new Handled.Answered(failed(work, tenantId, error(failure, attempts.attempts()),
                            attempts.attempts())));
                } else if (answers.get(i).assigned() != null) {
                    handled.add(new Handled.Answered(created(work, tenantId, answers.get(i).assigned(),
                            attempts.attempts())));
                } else {
                    handled.add(new Handled.Answered(failed(work, tenantId, answers.get(i).error().toOutcomeError(),
                            attempts.attempts())));
                }
            }
            return handled;
        });
    }

    /** Runs {@code call} until it succeeds or {@code attempts} says to give up; see the class comment. */
    private <T> CompletableFuture<T> withRetries(String tenantId, RequestAttempts attempts,
                                                 Supplier<CompletableFuture<T>> call) {
        return Retry.decorateCompletionStage(retry, timer, () -> {
            if (attempts.start() > 1) {
                metrics.retry(attempts.last().category().name());
            }
            return call.get().exceptionally(failure -> {
                GraphError error = GraphException.errorOf(failure);
                // A write its permit held back waits for this worker, not for the request: no try is counted.
                if (error != null && attempts.tryAgainAfter(error,
                        pacer.inOutage(tenantId) || GraphException.unwrap(failure) instanceof WriteHeld,
                        clock.instant())) {
                    throw new RequestAttempts.TryAgain(error);
                }
                throw failure instanceof CompletionException c ? c : new CompletionException(failure);
            });
        }).get().toCompletableFuture();
    }

    private static GraphError tryAgain(Throwable failure) {
        return GraphException.unwrap(failure) instanceof RequestAttempts.TryAgain again ? again.error() : null;
    }

    /** Throttling already cools the whole tenant down in its lane; other transient failures back off here. */
    private long delayBeforeRetry(int attempt, GraphError error) {
        if (error == null || error.throttled()) {
            return 1;
        }
        // The same cap as the lane's 429 cool-down: a 503 asking for a day must not park its policy for a day.
        Duration wait = error.retryAfter() == null ? backoff.forAttempt(attempt)
                : error.retryAfter().compareTo(maxRetryAfter) <= 0 ? error.retryAfter() : maxRetryAfter;
        return Math.max(1, wait.toMillis());
    }

    private OutcomeError error(Throwable failure, int attempts) {
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

    private OutcomeError unknownTenant(AssignmentRequest request) {
        if (request.tenantId() == null) {
            return OutcomeError.local(ErrorCategory.INVALID_REQUEST, "TenantRequired",
                    "tenantId: is required when several tenants are configured", false);
        }
        // Names only the tenant asked for: a provider's worker serves many customers, and one customer's results
        // must not tell it who the others are.
        return OutcomeError.local(ErrorCategory.UNKNOWN_TENANT, "UnknownTenant", "tenantId: tenant "
                + request.tenantId() + " is not configured in this worker", false);
    }

    private Outcome created(ReceivedRequest work, String tenantId, Assigned assigned, int attempts) {
        AssignmentRequest r = work.request();
        return new Outcome.Created(r.requestId(), r.rolloutId(), tenantId, r.policyId(), assigned.id(),
                assigned.assignment(), assigned.alreadyExisted(), attempts, work.receivedAt(), clock.instant(),
                work.source());
    }

    private Outcome failed(ReceivedRequest work, String tenantId, OutcomeError error, int attempts) {
        AssignmentRequest r = work.request();
        return new Outcome.Failed(r.requestId(), r.rolloutId(), tenantId, r.policyId(), error, attempts,
                work.receivedAt(), clock.instant(), work.source());
    }
}
