package io.assignmentworker.scheduling;

import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;
import java.util.function.ToIntFunction;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Gathers requests for the same policy into batches, one write each. A batch opens with its first request and is
 * handed to the {@link PolicySequencer} once no request for the policy has come for the coalescing window, or it
 * has been open for the longest wait, or it is full. While requests keep coming, a batch keeps growing; and it
 * keeps taking requests after it was handed over, while it waits for the policy's previous write and for a place
 * in the tenant's budget, until its writer seals it ({@link OpenBatch#seal}) just before the write is sent. So
 * one write carries what arrived until it left, not what had arrived when its turn began.
 *
 * <p>When the tenant's budget binds (more of its policies wait for a write than its window has writes left), a
 * write spent on part of a policy's requests is a write the rest of the rollout cannot have. A batch then waits
 * while the tenant's requests keep coming (a pause of a few windows ends them), whichever policy they are for, up
 * to {@link Scarcity#longestWait}, so that each write carries what the rollout has for its policy rather than
 * what came in the first seconds.
 *
 * @param <R> what each request's write comes to
 */
final class Coalescer<R> {

    private static final Logger log = LoggerFactory.getLogger(Coalescer.class);

    /**
     * Runs one batch; completes with one result per request of the batch as sealed, in order. A result that is
     * the coalescer's {@code again} puts that request into the policy's next batch (it joined a batch whose write
     * failed for reasons that were not its own).
     */
    interface BatchRunner<R> {
        CompletableFuture<List<R>> run(String tenantId, String policyId, OpenBatch batch);
    }

    /**
     * How the coalescer learns that a tenant's budget binds: the writes its window takes now, and how long a batch
     * may wait for more then; and whom it tells when a batch waits because it binds (the intake then reads as far
     * ahead as it may: {@link ReadAhead}).
     */
    record Scarcity(ToIntFunction<String> writeRoom, Duration longestWait, Runnable binds) {
        /** Never binds: batches go after the coalescing window or the longest wait, as configured. */
        static final Scarcity NONE = new Scarcity(tenantId -> Integer.MAX_VALUE, Duration.ZERO);

        Scarcity(ToIntFunction<String> writeRoom, Duration longestWait) {
            this(writeRoom, longestWait, () -> { });
        }
    }

    /** A tenant's policies with a batch not yet run, and when its last request came; guarded by {@link #open}. */
    private static final class TenantFlow {
        int waitingPolicies;
        long lastArrival;
    }

    /**
     * While the budget binds, how many coalescing windows without any of the tenant's requests end its rollout: a
     * worker reading under load pauses for a window now and then, and a write spent on that pause is lost.
     */
    private static final int SCARCE_QUIET = 4;

    private final Duration window;
    private final Duration maxWait;
    private final Scarcity scarcity;
    private final int maxBatchSize;
    private final ScheduledExecutorService timer;
    private final PolicySequencer sequencer;
    private final BatchRunner<R> runner;
    private final LongSupplier nanoTime;
    private final R again;
    /** The batch of each policy that still takes requests; guarded by itself, as is every batch's content. */
    private final Map<String, OpenBatch> open = new HashMap<>();
    /** Each policy's batches not yet run, in the order they will run; guarded by {@link #open}. */
    private final Map<String, Deque<OpenBatch>> queued = new HashMap<>();
    /** The tenants with a batch not yet run; guarded by {@link #open}. */
    private final Map<String, TenantFlow> flows = new HashMap<>();

    Coalescer(Duration window, Duration maxWait, int maxBatchSize, ScheduledExecutorService timer,
              PolicySequencer sequencer, BatchRunner<R> runner, R again, Scarcity scarcity) {
        this(window, maxWait, maxBatchSize, timer, sequencer, runner, again, scarcity, System::nanoTime);
    }

    /**
     * @param again    the result that sends a request on to the policy's next batch (compared by identity)
     * @param scarcity when the tenant's budget binds, and how long a batch may wait for more then
     * @param nanoTime the clock the window is measured on (tests drive their own)
     */
    Coalescer(Duration window, Duration maxWait, int maxBatchSize, ScheduledExecutorService timer,
              PolicySequencer sequencer, BatchRunner<R> runner, R again, Scarcity scarcity, LongSupplier nanoTime) {
        this.scarcity = scarcity;
        this.again = again;
        this.nanoTime = nanoTime;
        this.window = window;
        this.maxWait = maxWait;
        this.maxBatchSize = maxBatchSize;
        this.timer = timer;
        this.sequencer = sequencer;
        this.runner = runner;
    }

    CompletableFuture<R> add(String tenantId, String policyId, String policyKey, ReceivedRequest work) {
        CompletableFuture<R> outcome = new CompletableFuture<>();
        add(tenantId, policyId, policyKey, work, outcome);
        return outcome;
    }

    private void add(String tenantId, String policyId, String policyKey, ReceivedRequest work,
                     CompletableFuture<R> outcome) {
        OpenBatch handOver = null;
        OpenBatch first = null;
        synchronized (open) {
            OpenBatch batch = open.get(policyKey);
            if (batch == null) {
                batch = newBatch(tenantId, policyKey);
                first = batch;
            }
            long now = nanoTime.getAsLong();
            batch.take(work, outcome, now);
            // A tenant's flow outlives its waiting batches only while one of them runs: a few per configured tenant.
            flows.computeIfAbsent(tenantId, tenant -> new TenantFlow()).lastArrival = now;
            if (batch.size() >= maxBatchSize) {
                batch.close();
                if (batch.handOver()) {
                    handOver = batch;
                }
            }
        }
        if (handOver != null) {
            submit(tenantId, policyId, handOver);
        } else if (first != null) {
            OpenBatch batch = first;
            timer.schedule(() -> handOverWhenDue(tenantId, policyId, batch), window.toNanos(), TimeUnit.NANOSECONDS);
        }
    }

    /** A new open batch for the policy, last in its queue of batches not yet run. Called with the lock held. */
    private OpenBatch newBatch(String tenantId, String policyKey) {
        OpenBatch batch = new OpenBatch(open, policyKey, nanoTime.getAsLong());
        open.put(policyKey, batch);
        queued.computeIfAbsent(policyKey, key -> {
            flows.computeIfAbsent(tenantId, tenant -> new TenantFlow()).waitingPolicies++;
            return new ArrayDeque<>();
        }).addLast(batch);
        return batch;
    }

    /**
     * Requests an earlier batch sent on came before every request of the batches not yet run: they go, in their
     * order, at the head of the next batch to run (open, or handed over and waiting for its turn, however full),
     * or into a new batch when none waits. So a subject's requests take effect in the order they came.
     */
    private void takeBack(String tenantId, String policyId, String policyKey, List<ReceivedRequest> works,
                          List<CompletableFuture<R>> outcomes) {
        OpenBatch first = null;
        synchronized (open) {
            Deque<OpenBatch> waiting = queued.get(policyKey);
            OpenBatch next = waiting == null ? null : waiting.peekFirst();
            if (next == null) {
                next = newBatch(tenantId, policyKey);
                first = next;
            }
            for (int i = 0; i < works.size(); i++) {
                next.takeBack(works.get(i), outcomes.get(i), nanoTime.getAsLong());
            }
        }
        if (first != null) {
            OpenBatch batch = first;
            timer.schedule(() -> handOverWhenDue(tenantId, policyId, batch), window.toNanos(), TimeUnit.NANOSECONDS);
        }
    }

    /**
     * Hands the batch over once it has been quiet for the window or open for the longest wait; else looks again.
     * While the tenant's budget binds, "quiet" means no request for any of the tenant's policies, and the longest
     * wait is the scarcity's; it looks again every window, as the budget may stop binding.
     */
    private void handOverWhenDue(String tenantId, String policyId, OpenBatch batch) {
        int room = roomWhileWaiting(tenantId);
        long due;
        long again;
        boolean binds;
        synchronized (open) {
            if (batch.handedOver()) {
                return;
            }
            long now = nanoTime.getAsLong();
            TenantFlow flow = flows.get(tenantId);
            binds = flow != null && flow.waitingPolicies > 1 && flow.waitingPolicies > room;
            long quietSince = binds ? Math.max(batch.lastArrival(), flow.lastArrival) : batch.lastArrival();
            long quiet = binds ? SCARCE_QUIET * window.toNanos() : window.toNanos();
            long longest = binds ? Math.max(maxWait.toNanos(), scarcity.longestWait().toNanos()) : maxWait.toNanos();
            due = Math.min(quietSince + quiet, batch.openedAt() + longest) - now;
            again = binds ? Math.min(due, window.toNanos()) : due;
            if (due <= 0) {
                batch.handOver();
            }
        }
        if (binds) {
            scarcity.binds().run();
        }
        if (due <= 0) {
            submit(tenantId, policyId, batch);
        } else {
            timer.schedule(() -> handOverWhenDue(tenantId, policyId, batch), again, TimeUnit.NANOSECONDS);
        }
    }

    /**
     * The tenant's write room, asked only when more than one of its policies waits (else the budget cannot be
     * said to bind) and outside the lock (the pacer has its own). A pacer that cannot answer counts as room: this
     * runs on the timer, and a batch must never be left without its next look.
     */
    private int roomWhileWaiting(String tenantId) {
        synchronized (open) {
            TenantFlow flow = flows.get(tenantId);
            if (flow == null || flow.waitingPolicies <= 1) {
                return Integer.MAX_VALUE;
            }
        }
        try {
            return scarcity.writeRoom().applyAsInt(tenantId);
        } catch (RuntimeException e) {
            log.warn("Could not read the write room of tenant {}; its batches go as if the budget did not bind",
                    tenantId, e);
            return Integer.MAX_VALUE;
        }
    }

    private void submit(String tenantId, String policyId, OpenBatch batch) {
        sequencer.submit(batch.policyKey(), () -> run(tenantId, policyId, batch));
    }

    @SuppressWarnings("unchecked")
    private CompletableFuture<Void> run(String tenantId, String policyId, OpenBatch batch) {
        synchronized (open) {
            Deque<OpenBatch> waiting = queued.get(batch.policyKey());
            if (waiting != null) {
                waiting.remove(batch);
                if (waiting.isEmpty()) {
                    queued.remove(batch.policyKey());
                    TenantFlow flow = flows.get(tenantId);
                    if (flow != null && --flow.waitingPolicies <= 0) {
                        flows.remove(tenantId);
                    }
                }
            }
        }
        CompletableFuture<List<R>> running;
        try {
            running = runner.run(tenantId, policyId, batch);
        } catch (RuntimeException e) {
            running = CompletableFuture.failedFuture(e);
        }
        return running.handle((results, failure) -> {
            // Sealed by now: the runner seals before it writes, and an answer or a failure ends the batch.
            List<CompletableFuture<?>> outcomes = batch.sealOutcomes();
            List<ReceivedRequest> works = batch.seal();
            List<ReceivedRequest> again = new ArrayList<>();
            List<CompletableFuture<R>> againOutcomes = new ArrayList<>();
            for (int i = 0; i < outcomes.size(); i++) {
                CompletableFuture<R> outcome = (CompletableFuture<R>) outcomes.get(i);
                if (failure != null) {
                    outcome.completeExceptionally(failure);
                } else if (results.get(i) == this.again) {
                    again.add(works.get(i));
                    againOutcomes.add(outcome);
                } else {
                    outcome.complete(results.get(i));
                }
            }
            if (!again.isEmpty()) {
                takeBack(tenantId, policyId, batch.policyKey(), again, againOutcomes);
            }
            return null;
        });
    }
}
