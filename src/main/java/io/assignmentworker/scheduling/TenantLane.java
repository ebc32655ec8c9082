package io.assignmentworker.scheduling;

import io.assignmentworker.graph.CallKind;
import io.assignmentworker.graph.GraphError;
import io.assignmentworker.graph.GraphException;
import io.assignmentworker.metrics.WorkerMetrics;
import io.assignmentworker.outcome.ErrorCategory;
import io.github.resilience4j.circuitbreaker.CircuitBreaker;
import io.github.resilience4j.ratelimiter.RateLimiter;
import io.github.resilience4j.ratelimiter.internal.AtomicRateLimiter;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.Iterator;
import java.util.Queue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.DoubleSupplier;
import java.util.function.Supplier;

/**
 * One tenant's queue of Graph calls. A call leaves the queue when the tenant is not cooling down after a 429,
 * its circuit admits calls, and its budgets have a slot. A 429 cools the whole tenant down, so in-flight
 * requests do not each discover it, and halves the tenant's pace, which then recovers step by step. An open
 * circuit holds calls back (they wait, they do not fail) until a probe succeeds; only a call whose request is
 * past its deadline leaves the queue unserved. Calls never block a thread: waiting is a timer.
 */
final class TenantLane {

    private static final Duration OPEN_CIRCUIT_RECHECK = Duration.ofMillis(250);
    private static final Duration EXPIRY_SWEEP = Duration.ofSeconds(1);

    private final String tenantId;
    private final RateLimiter writes;
    private final RateLimiter requests;
    private final CircuitBreaker circuit;
    private final Backoff backoff;
    private final Duration maxRetryAfter;
    private final AdaptivePace pace;
    private final long requestSlotNanos;
    private final DoubleSupplier share;
    private final ScheduledExecutorService timer;
    private final WorkerMetrics metrics;

    private final Queue<Waiting<?>> queue = new ArrayDeque<>();
    private long coolDownUntil = System.nanoTime();
    private long nextWriteAt = System.nanoTime();
    private long nextCallAt = System.nanoTime();
    private long nextExpirySweep = System.nanoTime();
    private int consecutiveThrottles;
    private boolean wakeUpPending;
    private long wakeUpAt;
    private ScheduledFuture<?> wakeUp;

    /**
     * @param requestSlot the spacing of calls at the full request budget
     * @param share       this instance's share of the tenant's budgets, read for every call (see {@link BudgetShare})
     */
    TenantLane(String tenantId, RateLimiter writes, RateLimiter requests, CircuitBreaker circuit, Backoff backoff,
               Duration maxRetryAfter, AdaptivePace pace, Duration requestSlot, DoubleSupplier share,
               ScheduledExecutorService timer, WorkerMetrics metrics) {
        this.requestSlotNanos = requestSlot.toNanos();
        this.share = share;
        this.tenantId = tenantId;
        this.writes = writes;
        this.requests = requests;
        this.circuit = circuit;
        this.backoff = backoff;
        this.maxRetryAfter = maxRetryAfter;
        this.pace = pace;
        this.timer = timer;
        this.metrics = metrics;
    }

    private record Waiting<T>(CallKind kind, Instant deadline, Supplier<GraphError> veto,
                              Supplier<CompletableFuture<T>> call, CompletableFuture<T> result) {
    }

    <T> CompletableFuture<T> pass(CallKind kind, Instant deadline, Supplier<GraphError> veto,
                                  Supplier<CompletableFuture<T>> call) {
        CompletableFuture<T> result = new CompletableFuture<>();
        boolean wasIdle;
        synchronized (this) {
            wasIdle = queue.isEmpty();
            queue.add(new Waiting<>(kind, deadline, veto, call, result));
        }
        // A lane with calls queued has a drain running or a wake-up pending; the new call waits its turn behind them.
        if (wasIdle) {
            timer.execute(this::drain);
        }
        return result;
    }

    /** Whether Graph is failing for this tenant as a whole, rather than for one request. */
    boolean inOutage() {
        return circuit.getState() != CircuitBreaker.State.CLOSED;
    }

    synchronized double coolDownSeconds() {
        return Math.max(0, coolDownUntil - System.nanoTime()) / 1e9;
    }

    double pace() {
        return pace.current();
    }

    double budgetShare() {
        return share.getAsDouble();
    }

    /**
     * Starts every call that may start now, then sleeps on the timer until the next one may. A call vetoed
     * when its turn comes leaves the queue at once, without using budget.
     */
    private void drain() {
        while (true) {
            Waiting<?> next;
            GraphError vetoed;
            synchronized (this) {
                if (wakeUpPending && System.nanoTime() - wakeUpAt >= 0) {
                    wakeUpPending = false; // this is that wake-up
                }
                next = queue.peek();
                if (next == null) {
                    return;
                }
                vetoed = next.veto().get();
                if (vetoed == null) {
                    long wait = waitBeforeNext(next.kind());
                    if (wait > 0) {
                        expireOverdue();
                        wakeUpIn(wait);
                        return;
                    }
                }
                queue.poll();
            }
            if (vetoed != null) {
                next.result().completeExceptionally(new GraphException(vetoed));
            } else {
                start(next);
            }
        }
    }

    private <T> void start(Waiting<T> waiting) {
        long started = System.nanoTime();
        CompletableFuture<T> running;
        try {
            running = waiting.call().get();
        } catch (RuntimeException e) {
            running = CompletableFuture.failedFuture(e);
        }
        running.whenComplete((value, failure) -> {
            learn(failure, System.nanoTime() - started);
            if (failure != null) {
                waiting.result().completeExceptionally(failure);
            } else {
                waiting.result().complete(value);
            }
        });
    }

    /** Nanoseconds until the head call may go; 0 when it may go now (its permits are then taken). */
    private long waitBeforeNext(CallKind kind) {
        long now = System.nanoTime();
        if (now < coolDownUntil) {
            return coolDownUntil - now;
        }
        boolean write = kind == CallKind.WRITE;
        if (write && now < nextWriteAt) {
            return nextWriteAt - now;
        }
        if (now < nextCallAt) {
            return nextCallAt - now;
        }
        long budgetWait = Math.max(nanosToWait(requests), write ? nanosToWait(writes) : 0);
        if (budgetWait > 0) {
            return budgetWait;
        }
        if (!circuit.tryAcquirePermission()) {
            return OPEN_CIRCUIT_RECHECK.toNanos();
        }
        if (!requests.acquirePermission() || write && !writes.acquirePermission()) {
            circuit.releasePermission();
            return Math.max(1, Math.max(nanosToWait(requests), nanosToWait(writes)));
        }
        double budgetShare = share.getAsDouble();
        if (write) {
            nextWriteAt = nextSlot(nextWriteAt, now, (long) (pace.gapNanos() / budgetShare));
        }
        if (budgetShare < 1.0) {
            // The rate limiters pace at the whole budget; this instance's share spaces its calls further.
            nextCallAt = nextSlot(nextCallAt, now, (long) (requestSlotNanos / budgetShare));
        }
        return 0;
    }

    /**
     * When the call after one that was due at {@code due} and starts at {@code now} may start: a gap after the
     * due time, not after the start, so a timer that wakes a little late every time does not lose a few percent
     * of the budget (measured: 0.92 of it at a 1 s window). At most half a gap of lateness is made up, so calls
     * stay at least half a gap apart and any {@code budget + 1} of them still span more than the window (the gap
     * is {@code window × 1.01 ÷ (budget − 1)}; {@code budget} gaps less a half exceed the window).
     */
    static long nextSlot(long due, long now, long gap) {
        return Math.max(due, now - gap / 2) + gap;
    }

    /** Requests past their deadline stop waiting (an outage that outlived them), at most once a second. */
    private void expireOverdue() {
        long now = System.nanoTime();
        if (now < nextExpirySweep) {
            return;
        }
        nextExpirySweep = now + EXPIRY_SWEEP.toNanos();
        Instant wallClock = Instant.now();
        for (Iterator<Waiting<?>> it = queue.iterator(); it.hasNext(); ) {
            Waiting<?> waiting = it.next();
            if (wallClock.isAfter(waiting.deadline())) {
                it.remove();
                waiting.result().completeExceptionally(new GraphException(new GraphError(ErrorCategory.UNAVAILABLE,
                        null, "RequestExpired", "the request outlived worker.scheduling.max-request-age while "
                        + "Graph was unavailable or throttling the tenant", true, false, null, null)));
            }
        }
    }

    /** Resilience4j's default (atomic) limiter knows when its next permit comes; others are polled. */
    private static long nanosToWait(RateLimiter limiter) {
        if (limiter.getMetrics() instanceof AtomicRateLimiter.AtomicRateLimiterMetrics metrics) {
            return Math.max(0, metrics.getNanosToWait());
        }
        return limiter.getMetrics().getAvailablePermissions() > 0 ? 0 : Duration.ofMillis(10).toNanos();
    }

    /**
     * One wake-up at a time: a drain finding the head not due yet keeps the pending wake-up when it comes soon
     * enough. (Scheduling one per drain grew a chain of wake-ups per queued call: measured, half the worker's
     * CPU spent by the timer on 5,000 queued writes.)
     */
    private void wakeUpIn(long nanos) {
        long now = System.nanoTime();
        long at = now + Math.max(nanos, 100_000);
        if (wakeUpPending) {
            if (wakeUpAt - at <= 0) {
                return;
            }
            wakeUp.cancel(false);
        }
        wakeUpPending = true;
        wakeUpAt = at;
        wakeUp = timer.schedule(this::drain, at - now, TimeUnit.NANOSECONDS);
    }

    /** Feeds a finished call's result to the circuit, the cool-down and the pace. */
    private void learn(Throwable failure, long nanos) {
        GraphError error = GraphException.errorOf(failure);
        if (error != null && error.throttled()) {
            circuit.releasePermission(); // throttling is not an outage: it has its own cool-down
            coolDown(error.retryAfter());
            pace.throttled();
            metrics.throttled(tenantId);
            return;
        }
        if (error != null && error.transientError() || failure != null && error == null) {
            circuit.onError(nanos, TimeUnit.NANOSECONDS, failure);
        } else {
            circuit.onSuccess(nanos, TimeUnit.NANOSECONDS);
            pace.succeeded();
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
}
