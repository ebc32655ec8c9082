package io.assignmentworker.scheduling;

import io.assignmentworker.graph.GraphError;
import io.assignmentworker.graph.GraphException;
import io.assignmentworker.graph.WriteHeld;
import io.assignmentworker.metrics.WorkerMetrics;
import io.github.resilience4j.retry.Retry;
import io.github.resilience4j.retry.RetryConfig;
import io.github.resilience4j.retry.RetryRegistry;
import java.time.Clock;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.function.Supplier;

/**
 * Runs a request's Graph calls again after transient failures, on a Resilience4j {@link Retry}. Each request decides
 * for itself when to stop ({@link RequestAttempts}): 429s and failures during a tenant-wide outage until it is older
 * than {@code max-request-age}, failures of the request alone up to {@code max-attempts} times. The Retry only paces
 * the tries.
 */
final class GraphRetries {

    private final Retry retry;
    private final TenantPacer pacer;
    private final ScheduledExecutorService timer;
    private final Backoff backoff;
    private final Duration maxRetryAfter;
    private final Clock clock;
    private final WorkerMetrics metrics;

    GraphRetries(RetryRegistry retries, TenantPacer pacer, SchedulingProperties properties,
                 ScheduledExecutorService timer, Clock clock, WorkerMetrics metrics) {
        this.pacer = pacer;
        this.timer = timer;
        this.clock = clock;
        this.metrics = metrics;
        this.backoff = new Backoff(properties.initialBackoff(), properties.maxBackoff());
        this.maxRetryAfter = properties.maxRetryAfter();
        this.retry = retries.retry("graph", RetryConfig.<Object>custom()
                .maxAttempts(Integer.MAX_VALUE)
                .retryOnException(failure -> tryAgain(failure) != null)
                .intervalBiFunction((attempt, result) -> delayBeforeRetry(attempt,
                        result.isLeft() ? tryAgain(result.getLeft()) : null))
                .build());
    }

    /** Runs {@code call} until it succeeds or {@code attempts} says to give up. */
    <T> CompletableFuture<T> run(String tenantId, RequestAttempts attempts, Supplier<CompletableFuture<T>> call) {
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
}
