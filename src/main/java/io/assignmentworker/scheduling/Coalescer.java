package io.assignmentworker.scheduling;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * Gathers requests for the same policy into batches, one {@code /assign} write each. A batch opens with its
 * first request and is handed to the {@link PolicySequencer} after the coalescing window (or at once when
 * full); it keeps taking requests until the sequencer starts it, so while a policy's write waits for the
 * previous one or for the tenant's pace, the next batch grows instead of queueing writes.
 *
 * @param <R> what each request's write comes to
 */
final class Coalescer<R> {

    /** Runs one batch; completes with one result per request, in order. */
    interface BatchRunner<R> {
        CompletableFuture<List<R>> run(String tenantId, String policyId, List<ReceivedRequest> batch);
    }

    private final Duration window;
    private final int maxBatchSize;
    private final ScheduledExecutorService timer;
    private final PolicySequencer sequencer;
    private final BatchRunner<R> runner;
    private final Map<String, Batch<R>> open = new HashMap<>();

    Coalescer(Duration window, int maxBatchSize, ScheduledExecutorService timer, PolicySequencer sequencer,
              BatchRunner<R> runner) {
        this.window = window;
        this.maxBatchSize = maxBatchSize;
        this.timer = timer;
        this.sequencer = sequencer;
        this.runner = runner;
    }

    CompletableFuture<R> add(String tenantId, String policyId, String policyKey, ReceivedRequest work) {
        CompletableFuture<R> outcome = new CompletableFuture<>();
        Batch<R> submitNow = null;
        Batch<R> first = null;
        synchronized (open) {
            Batch<R> batch = open.get(policyKey);
            if (batch == null) {
                batch = new Batch<>(tenantId, policyId, policyKey);
                open.put(policyKey, batch);
                first = batch;
            }
            batch.works.add(work);
            batch.outcomes.add(outcome);
            if (batch.works.size() >= maxBatchSize) {
                open.remove(policyKey);
                if (!batch.submitted) {
                    batch.submitted = true;
                    submitNow = batch;
                }
            }
        }
        if (submitNow != null) {
            submit(submitNow);
        } else if (first != null) {
            Batch<R> batch = first;
            timer.schedule(() -> submitOnce(batch), window.toNanos(), TimeUnit.NANOSECONDS);
        }
        return outcome;
    }

    private void submitOnce(Batch<R> batch) {
        synchronized (open) {
            if (batch.submitted) {
                return;
            }
            batch.submitted = true;
        }
        submit(batch);
    }

    private void submit(Batch<R> batch) {
        sequencer.submit(batch.policyKey, () -> run(batch));
    }

    private CompletableFuture<Void> run(Batch<R> batch) {
        List<ReceivedRequest> works;
        List<CompletableFuture<R>> outcomes;
        synchronized (open) {
            open.remove(batch.policyKey, batch);
            works = List.copyOf(batch.works);
            outcomes = List.copyOf(batch.outcomes);
        }
        CompletableFuture<List<R>> running;
        try {
            running = runner.run(batch.tenantId, batch.policyId, works);
        } catch (RuntimeException e) {
            running = CompletableFuture.failedFuture(e);
        }
        return running.handle((results, failure) -> {
            for (int i = 0; i < outcomes.size(); i++) {
                if (failure != null) {
                    outcomes.get(i).completeExceptionally(failure);
                } else {
                    outcomes.get(i).complete(results.get(i));
                }
            }
            return null;
        });
    }

    private static final class Batch<R> {
        final String tenantId;
        final String policyId;
        final String policyKey;
        final List<ReceivedRequest> works = new ArrayList<>();
        final List<CompletableFuture<R>> outcomes = new ArrayList<>();
        boolean submitted;

        Batch(String tenantId, String policyId, String policyKey) {
            this.tenantId = tenantId;
            this.policyId = policyId;
            this.policyKey = policyKey;
        }
    }
}
