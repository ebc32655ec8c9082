package io.assignmentworker.scheduling;

import io.assignmentworker.graph.CallKind;
import io.assignmentworker.graph.GraphError;
import io.assignmentworker.graph.GraphException;
import io.assignmentworker.metrics.WorkerMetrics;
import io.assignmentworker.outcome.ErrorCategory;
import io.github.resilience4j.circuitbreaker.CircuitBreaker;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.Iterator;
import java.util.List;
import java.util.Queue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Supplier;

/**
 * One tenant's queue of Graph calls. A call leaves the queue when the tenant is not cooling down after a 429
 * ({@link CoolDown}), the tenant's window has room for it ({@link TenantPace}), and its circuit admits calls. A 429 cools the
 * whole tenant down and halves the tenant's pace, which then recovers step by step. An open circuit holds calls
 * back (they wait, they do not fail) until a probe succeeds; only a call whose request is past its deadline leaves
 * the queue unserved. Calls never block a thread: waiting is a timer.
 */
final class TenantLane {

    private static final Duration OPEN_CIRCUIT_RECHECK = Duration.ofMillis(250);
    private static final Duration EXPIRY_SWEEP = Duration.ofSeconds(1);
    /** How often a lane whose window is filled by calls in flight looks again. */
    private static final Duration ANSWER_RECHECK = Duration.ofSeconds(1);

    private final String tenantId;
    private final CircuitBreaker circuit;
    private final CoolDown coolDown;
    private final TenantPace pace;
    private final ScheduledExecutorService timer;
    private final WorkerMetrics metrics;
    private final Duration stuckCall;

    /**
     * Reads and writes wait apart: a write waiting for the write window (up to a whole window after a burst) must
     * not hold back the reads behind it, which only need the call window (a policy's read-back, a create's check).
     */
    private final Queue<Waiting<?>> reads = new ArrayDeque<>();
    private final Queue<Waiting<?>> writes = new ArrayDeque<>();
    /** Reads first: they never take write budget, so letting them by costs the writes nothing. */
    private final List<Queue<Waiting<?>>> queues = List.of(reads, writes);
    private long nextExpirySweep = System.nanoTime();
    private boolean wakeUpPending;
    private long wakeUpAt;
    private ScheduledFuture<?> wakeUp;

    /**
     * @param stuckCall how long a call may go unanswered before it counts as answered in the tenant's window
     */
    TenantLane(String tenantId, CircuitBreaker circuit, CoolDown coolDown, TenantPace pace,
               ScheduledExecutorService timer, WorkerMetrics metrics, Duration stuckCall) {
        this.stuckCall = stuckCall;
        this.tenantId = tenantId;
        this.circuit = circuit;
        this.coolDown = coolDown;
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
            Queue<Waiting<?>> queue = queueOf(kind);
            wasIdle = queue.isEmpty();
            queue.add(new Waiting<>(kind, deadline, veto, call, result));
        }
        // A queue with calls waiting has a drain running or a wake-up pending; the new call waits its turn behind
        // them. One that was empty may go before the other queue's head, so the lane looks now.
        if (wasIdle) {
            timer.execute(this::drain);
        }
        return result;
    }

    /** How many more writes the tenant's window would take now. */
    int writeRoom() {
        return pace.writeRoom(System.nanoTime());
    }

    /** Whether Graph is failing for this tenant as a whole, rather than for one request. */
    boolean inOutage() {
        return circuit.getState() != CircuitBreaker.State.CLOSED;
    }

    /** Whether the tenant's calls wait out an outage or a cool-down. */
    boolean heldBack() {
        return inOutage() || coolDown.nanosLeft(System.nanoTime()) > 0;
    }

    double coolDownSeconds() {
        return coolDown.nanosLeft(System.nanoTime()) / 1e9;
    }

    /**
     * Starts every call that may start now, then sleeps on the timer until the next one may. A call vetoed
     * when its turn comes leaves the queue at once, without using budget.
     */
    private void drain() {
        while (true) {
            Waiting<?> next = null;
            GraphError vetoed = null;
            synchronized (this) {
                if (wakeUpPending && System.nanoTime() - wakeUpAt >= 0) {
                    wakeUpPending = false; // this is that wake-up
                }
                long wait = Long.MAX_VALUE;
                for (Queue<Waiting<?>> queue : queues) {
                    Waiting<?> head = queue.peek();
                    if (head == null) {
                        continue;
                    }
                    vetoed = head.veto().get();
                    long headWait = vetoed != null ? 0 : waitBeforeNext(head.kind());
                    if (headWait == 0) {
                        next = queue.poll();
                        break;
                    }
                    wait = Math.min(wait, headWait);
                }
                if (next == null) {
                    if (wait != Long.MAX_VALUE) {
                        expireOverdue();
                        wakeUpIn(wait);
                    }
                    return;
                }
            }
            if (vetoed != null) {
                next.result().completeExceptionally(new GraphException(vetoed));
            } else {
                start(next);
            }
        }
    }

    private Queue<Waiting<?>> queueOf(CallKind kind) {
        return kind == CallKind.WRITE ? writes : reads;
    }

    private <T> void start(Waiting<T> waiting) {
        long started = System.nanoTime();
        CompletableFuture<T> running;
        try {
            running = waiting.call().get();
        } catch (RuntimeException e) {
            running = CompletableFuture.failedFuture(e);
        }
        // A call whose answer never comes (a body that stalls past the HTTP timeouts) would keep its place in the
        // tenant's window for good, and enough of them would stop the tenant: after stuckCall it counts as answered.
        AtomicBoolean counted = new AtomicBoolean();
        Runnable countAnswered = () -> {
            if (counted.compareAndSet(false, true)) {
                pace.answered(waiting.kind(), System.nanoTime());
            }
        };
        ScheduledFuture<?> stuck = running.isDone() ? null
                : timer.schedule(countAnswered, stuckCall.toNanos(), TimeUnit.NANOSECONDS);
        running.whenComplete((value, failure) -> {
            long answeredAt = System.nanoTime();
            if (stuck != null) {
                stuck.cancel(false);
            }
            countAnswered.run();
            learn(failure, answeredAt - started);
            if (failure != null) {
                waiting.result().completeExceptionally(failure);
            } else {
                waiting.result().complete(value);
            }
        });
    }

    /**
     * Nanoseconds until the head call may go; 0 when it may go now (it then counts in the tenant's window). While
     * the calls in flight alone fill the window, the lane looks again every {@link #ANSWER_RECHECK}: an answer
     * does not make room by itself (the call then counts at its answer's time), it only says when room comes.
     */
    private long waitBeforeNext(CallKind kind) {
        long now = System.nanoTime();
        long wait = Math.max(coolDown.nanosLeft(now), pace.nanosUntilFree(kind, now));
        if (wait > 0) {
            return wait == Long.MAX_VALUE ? ANSWER_RECHECK.toNanos() : wait;
        }
        if (!circuit.tryAcquirePermission()) {
            return OPEN_CIRCUIT_RECHECK.toNanos();
        }
        pace.take(kind, now);
        return 0;
    }

    /** Requests past their deadline stop waiting (an outage that outlived them), at most once a second. */
    private void expireOverdue() {
        long now = System.nanoTime();
        if (now < nextExpirySweep) {
            return;
        }
        nextExpirySweep = now + EXPIRY_SWEEP.toNanos();
        Instant wallClock = Instant.now();
        for (Queue<Waiting<?>> queue : queues) {
            for (Iterator<Waiting<?>> it = queue.iterator(); it.hasNext(); ) {
                Waiting<?> waiting = it.next();
                if (wallClock.isAfter(waiting.deadline())) {
                    it.remove();
                    waiting.result().completeExceptionally(new GraphException(new GraphError(
                            ErrorCategory.UNAVAILABLE, null, RequestAttempts.EXPIRED, "the request outlived "
                            + "worker.scheduling.max-request-age while Graph was unavailable or throttling the "
                            + "tenant", true, false, null, null)));
                }
            }
        }
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
            long now = System.nanoTime();
            coolDown.throttled(error.retryAfter(), now);
            pace.throttled(now);
            metrics.throttled(tenantId);
            timer.execute(this::drain);
            return;
        }
        if (error != null && error.transientError() || failure != null && error == null) {
            circuit.onError(nanos, TimeUnit.NANOSECONDS, failure);
        } else {
            circuit.onSuccess(nanos, TimeUnit.NANOSECONDS);
            pace.succeeded(System.nanoTime());
        }
        coolDown.answered();
    }
}
