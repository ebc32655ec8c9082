package io.assignmentworker.scheduling;

import io.assignmentworker.graph.Assigned;
import io.assignmentworker.graph.GraphClient;
import io.assignmentworker.graph.GraphError;
import io.assignmentworker.graph.GraphException;
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
import java.util.concurrent.CompletionException;

/**
 * Front door of the scheduling stage: takes a valid request and completes, without blocking, with its one
 * {@link Outcome}. Requests for the same policy run in arrival order; all else runs concurrently, paced per
 * tenant by the {@link TenantPacer}. Transient failures are retried by a Resilience4j {@link Retry}: 429s and
 * failures during a tenant-wide outage until the request is older than {@code max-request-age}, failures of
 * the request alone up to {@code max-attempts} times. After an ambiguous failure the next try reads the
 * policy's assignments again first, so the assignment is never created twice.
 */
public final class AssignmentScheduler {

    private final GraphClient graph;
    private final TenantPacer pacer;
    private final int maxAttempts;
    private final Duration maxRequestAge;
    private final TenantDirectory tenants;
    private final Retry retry;
    private final ScheduledExecutorService timer;
    private final Backoff backoff;
    private final Clock clock;
    private final WorkerMetrics metrics;
    private final PolicySequencer sequencer = new PolicySequencer();

    public AssignmentScheduler(GraphClient graph, TenantPacer pacer, TenantDirectory tenants,
                               SchedulingProperties properties, RetryRegistry retries, ScheduledExecutorService timer,
                               Clock clock, WorkerMetrics metrics) {
        this.graph = graph;
        this.pacer = pacer;
        this.maxAttempts = properties.maxAttempts();
        this.maxRequestAge = properties.maxRequestAge();
        this.tenants = tenants;
        this.timer = timer;
        this.clock = clock;
        this.metrics = metrics;
        this.backoff = new Backoff(properties.initialBackoff(), properties.maxBackoff());
        this.retry = retries.retry("graph", RetryConfig.<Assigned>custom()
                // Each request decides for itself when to stop (RequestAttempts); the Retry only paces the tries.
                .maxAttempts(Integer.MAX_VALUE)
                .retryOnException(failure -> tryAgain(failure) != null)
                .intervalBiFunction((attempt, result) -> delayBeforeRetry(attempt,
                        result.isLeft() ? tryAgain(result.getLeft()) : null))
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
        RequestAttempts attempts = new RequestAttempts(maxAttempts, work.receivedAt().plus(maxRequestAge));
        AssignmentRequest request = work.request();
        CompletableFuture<Assigned> assigned = Retry.decorateCompletionStage(retry, timer, () -> {
            if (attempts.start() > 1) {
                metrics.retry(attempts.last().category().name());
            }
            return graph.ensureAssigned(tenantId, request, attempts.mayExistUnseen(), attempts.deadline())
                    .exceptionally(failure -> {
                        GraphError error = GraphException.errorOf(failure);
                        if (error != null && attempts.tryAgainAfter(error, pacer.inOutage(tenantId), clock.instant())) {
                            throw new RequestAttempts.TryAgain(error);
                        }
                        throw failure instanceof CompletionException c ? c : new CompletionException(failure);
                    });
        }).get().toCompletableFuture();
        return assigned.handle((result, failure) -> failure == null
                ? created(work, tenantId, result, attempts.attempts())
                : failed(work, tenantId, error(failure, attempts.attempts()), attempts.attempts()));
    }

    private static GraphError tryAgain(Throwable failure) {
        return GraphException.unwrap(failure) instanceof RequestAttempts.TryAgain again ? again.error() : null;
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
}
