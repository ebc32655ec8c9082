package io.assignmentworker.scheduling;

import io.assignmentworker.graph.Assigned;
import io.assignmentworker.graph.GraphClient;
import io.assignmentworker.graph.GraphError;
import io.assignmentworker.graph.TenantDirectory;
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
import java.util.Locale;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Front door of the scheduling stage: takes a valid request and completes, without blocking, with its one
 * {@link Outcome}. Requests for the same policy run in arrival order; all else runs concurrently, paced per
 * tenant by the {@link TenantPacer}. Transient failures are retried by a Resilience4j {@link Retry}; after an
 * ambiguous failure the next try reads the policy's assignments again first, so it is never created twice.
 */
public final class AssignmentScheduler {

    private final GraphClient graph;
    private final TenantDirectory tenants;
    private final Retry retry;
    private final ScheduledExecutorService timer;
    private final Backoff backoff;
    private final Clock clock;
    private final WorkerMetrics metrics;
    private final PolicySequencer sequencer = new PolicySequencer();

    public AssignmentScheduler(GraphClient graph, TenantDirectory tenants, SchedulingProperties properties,
                               RetryRegistry retries, ScheduledExecutorService timer, Clock clock,
                               WorkerMetrics metrics) {
        this.graph = graph;
        this.tenants = tenants;
        this.timer = timer;
        this.clock = clock;
        this.metrics = metrics;
        this.backoff = new Backoff(properties.initialBackoff(), properties.maxBackoff());
        this.retry = retries.retry("graph", RetryConfig.<Assigned>custom()
                .maxAttempts(properties.maxAttempts())
                .retryOnException(failure -> {
                    GraphError error = TenantLane.graphError(failure);
                    return error != null && error.transientError();
                })
                .intervalBiFunction((attempt, result) -> delayBeforeRetry(attempt,
                        result.isLeft() ? TenantLane.graphError(result.getLeft()) : null))
                .build());
    }

    public CompletableFuture<Outcome> schedule(ReceivedRequest work) {
        AssignmentRequest request = work.request();
        Optional<String> tenant = tenants.resolve(request.tenantId());
        if (tenant.isEmpty()) {
            return CompletableFuture.completedFuture(failed(work, request.tenantId(), unknownTenant(request), 0));
        }
        String policyKey = tenant.get() + "/" + request.policyId().toLowerCase(Locale.ROOT);
        return sequencer.submit(policyKey, () -> execute(work, tenant.get()));
    }

    private CompletableFuture<Outcome> execute(ReceivedRequest work, String tenantId) {
        AtomicInteger attempts = new AtomicInteger();
        AtomicBoolean mayExist = new AtomicBoolean();
        AtomicReference<String> lastFailure = new AtomicReference<>();
        AssignmentRequest request = work.request();
        CompletableFuture<Assigned> assigned = Retry.decorateCompletionStage(retry, timer, () -> {
            if (attempts.incrementAndGet() > 1) {
                metrics.retry(lastFailure.get());
            }
            return graph.ensureAssigned(tenantId, request, mayExist.get()).whenComplete((ok, failure) -> {
                GraphError error = TenantLane.graphError(failure);
                if (error != null) {
                    lastFailure.set(error.category().name());
                    if (error.ambiguous()) {
                        mayExist.set(true);
                    }
                }
            });
        }).get().toCompletableFuture();
        return assigned.handle((result, failure) -> failure == null
                ? created(work, tenantId, result, attempts.get())
                : failed(work, tenantId, error(failure, attempts.get()), attempts.get()));
    }

    /** Throttling already cools the whole tenant down in its lane; other transient failures back off here. */
    private long delayBeforeRetry(int attempt, GraphError error) {
        if (error == null || error.throttled()) {
            return 1;
        }
        Duration wait = error.retryAfter() != null ? error.retryAfter() : backoff.forAttempt(attempt);
        return Math.max(1, wait.toMillis());
    }

    private OutcomeError error(Throwable failure, int attempts) {
        GraphError error = TenantLane.graphError(failure);
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
                    "tenantId: is required when several tenants are configured (" + tenants.tenantIds() + ")", false);
        }
        return OutcomeError.local(ErrorCategory.UNKNOWN_TENANT, "UnknownTenant", "tenantId: tenant "
                + request.tenantId() + " is not configured in this worker; configured: " + tenants.tenantIds(), false);
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

    /** Policies with a request under way (for metrics). */
    public int activePolicies() {
        return sequencer.activePolicies();
    }
}
