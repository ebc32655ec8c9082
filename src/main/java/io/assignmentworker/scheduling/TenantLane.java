package io.assignmentworker.scheduling;

import io.assignmentworker.graph.CallKind;
import io.assignmentworker.graph.GraphError;
import io.assignmentworker.graph.GraphException;
import io.assignmentworker.metrics.WorkerMetrics;
import io.github.resilience4j.circuitbreaker.CircuitBreaker;
import io.github.resilience4j.ratelimiter.RateLimiter;
import io.github.resilience4j.ratelimiter.internal.AtomicRateLimiter;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Queue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

/**
 * One tenant's queue of Graph calls. A call leaves the queue when the tenant is not cooling down after a 429,
 * its circuit admits calls, and its budgets have a slot. A 429 cools the whole tenant down, so in-flight
 * requests do not each discover it; an open circuit holds calls back (they wait, they are not failed) until
 * a probe succeeds. Calls never block a thread: waiting is a timer.
 */
final class TenantLane {

    private static final Duration OPEN_CIRCUIT_RECHECK = Duration.ofMillis(250);

    private final String tenantId;
    private final RateLimiter writes;
    private final RateLimiter requests;
    private final CircuitBreaker circuit;
    private final Backoff backoff;
    private final Duration maxRetryAfter;
    private final ScheduledExecutorService timer;
    private final WorkerMetrics metrics;

    private final Queue<Runnable> queue = new ArrayDeque<>();
    private final Queue<CallKind> kinds = new ArrayDeque<>();
    private long coolDownUntil = System.nanoTime();
    private int consecutiveThrottles;
    private boolean wakeUpScheduled;

    TenantLane(String tenantId, RateLimiter writes, RateLimiter requests, CircuitBreaker circuit, Backoff backoff,
               Duration maxRetryAfter, ScheduledExecutorService timer, WorkerMetrics metrics) {
        this.tenantId = tenantId;
        this.writes = writes;
        this.requests = requests;
        this.circuit = circuit;
        this.backoff = backoff;
        this.maxRetryAfter = maxRetryAfter;
        this.timer = timer;
        this.metrics = metrics;
    }

    <T> CompletableFuture<T> pass(CallKind kind, Supplier<CompletableFuture<T>> call) {
        CompletableFuture<T> result = new CompletableFuture<>();
        Runnable start = () -> {
            long started = System.nanoTime();
            CompletableFuture<T> running;
            try {
                running = call.get();
            } catch (RuntimeException e) {
                running = CompletableFuture.failedFuture(e);
            }
            running.whenComplete((value, failure) -> {
                learn(failure, System.nanoTime() - started);
                if (failure != null) {
                    result.completeExceptionally(failure);
                } else {
                    result.complete(value);
                }
            });
        };
        synchronized (this) {
            queue.add(start);
            kinds.add(kind);
        }
        timer.execute(this::drain);
        return result;
    }

    CircuitBreaker.State circuitState() {
        return circuit.getState();
    }

    synchronized double coolDownSeconds() {
        return Math.max(0, coolDownUntil - System.nanoTime()) / 1e9;
    }

    /** Starts every call that may start now, then sleeps on the timer until the next one may. */
    private void drain() {
        while (true) {
            Runnable start;
            synchronized (this) {
                wakeUpScheduled = false;
                CallKind kind = kinds.peek();
                if (kind == null) {
                    return;
                }
                long wait = waitBeforeNext(kind);
                if (wait > 0) {
                    wakeUpIn(wait);
                    return;
                }
                kinds.poll();
                start = queue.poll();
            }
            start.run();
        }
    }

    /** Nanoseconds until the head call may go; 0 when it may go now (its permits are then taken). */
    private long waitBeforeNext(CallKind kind) {
        long now = System.nanoTime();
        if (now < coolDownUntil) {
            return coolDownUntil - now;
        }
        long budgetWait = Math.max(nanosToWait(requests),
                kind == CallKind.WRITE ? nanosToWait(writes) : 0);
        if (budgetWait > 0) {
            return budgetWait;
        }
        if (!circuit.tryAcquirePermission()) {
            return OPEN_CIRCUIT_RECHECK.toNanos();
        }
        if (!requests.acquirePermission() || kind == CallKind.WRITE && !writes.acquirePermission()) {
            circuit.releasePermission();
            return Math.max(1, Math.max(nanosToWait(requests), nanosToWait(writes)));
        }
        return 0;
    }

    /** Resilience4j's default (atomic) limiter knows when its next permit comes; others are polled. */
    private static long nanosToWait(RateLimiter limiter) {
        if (limiter.getMetrics() instanceof AtomicRateLimiter.AtomicRateLimiterMetrics metrics) {
            return Math.max(0, metrics.getNanosToWait());
        }
        return limiter.getMetrics().getAvailablePermissions() > 0 ? 0 : Duration.ofMillis(10).toNanos();
    }

    private void wakeUpIn(long nanos) {
        if (!wakeUpScheduled) {
            wakeUpScheduled = true;
            timer.schedule(this::drain, Math.max(nanos, 100_000), TimeUnit.NANOSECONDS);
        }
    }

    /** Feeds a finished call's result to the circuit and the cool-down. */
    private void learn(Throwable failure, long nanos) {
        GraphError error = graphError(failure);
        if (error != null && error.throttled()) {
            circuit.releasePermission(); // throttling is not an outage: it has its own cool-down
            coolDown(error.retryAfter());
            metrics.throttled(tenantId);
            return;
        }
        if (error != null && error.transientError() || failure != null && error == null) {
            circuit.onError(nanos, TimeUnit.NANOSECONDS, failure);
        } else {
            circuit.onSuccess(nanos, TimeUnit.NANOSECONDS);
        }
        synchronized (this) {
            consecutiveThrottles = 0;
        }
    }

    private void coolDown(Duration retryAfter) {
        synchronized (this) {
            consecutiveThrottles++;
            Duration wait = retryAfter != null ? min(retryAfter, maxRetryAfter) : backoff.forAttempt(consecutiveThrottles);
            coolDownUntil = Math.max(coolDownUntil, System.nanoTime() + wait.toNanos());
        }
        timer.execute(this::drain);
    }

    private static Duration min(Duration a, Duration b) {
        return a.compareTo(b) <= 0 ? a : b;
    }

    static GraphError graphError(Throwable failure) {
        Throwable cause = failure;
        while (cause instanceof CompletionException && cause.getCause() != null) {
            cause = cause.getCause();
        }
        return cause instanceof GraphException graph ? graph.error() : null;
    }
}
