package io.assignmentworker.scheduling;

import io.assignmentworker.graph.AssignResult;
import io.assignmentworker.graph.GraphClient;
import io.assignmentworker.graph.TenantStrategies;
import io.assignmentworker.graph.WritePermit;
import io.assignmentworker.metrics.WorkerMetrics;
import io.assignmentworker.request.AssignmentRequest;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/** The {@code /assign} strategy: one coalesced batch of a policy's requests, written at once; one answer each. */
final class CoalescedWrites {

    private final GraphClient graph;
    private final TenantStrategies strategies;
    private final GraphRetries retries;
    private final Answers answers;
    private final int maxAttempts;
    private final Duration maxRequestAge;
    private final ScheduledExecutorService timer;
    private final WorkerMetrics metrics;

    CoalescedWrites(GraphClient graph, TenantStrategies strategies, GraphRetries retries, Answers answers,
                    SchedulingProperties properties, ScheduledExecutorService timer, WorkerMetrics metrics) {
        this.graph = graph;
        this.strategies = strategies;
        this.retries = retries;
        this.answers = answers;
        this.maxAttempts = properties.maxAttempts();
        this.maxRequestAge = properties.maxRequestAge();
        this.timer = timer;
        this.metrics = metrics;
    }

    /** One coalesced batch for one policy: one answer per request, in order. */
    CompletableFuture<List<Handled>> write(String tenantId, String policyId, List<ReceivedRequest> batch) {
        // Just after the group switched the tenant from creates, a create sent elsewhere may still land: /assign
        // would read the policy without it and write it away. The batch waits that out before it reads.
        Duration held = strategies.assignHeldFor(tenantId);
        if (held.isZero()) {
            return writeOwned(tenantId, policyId, batch);
        }
        return CompletableFuture.runAsync(() -> { },
                        CompletableFuture.delayedExecutor(held.toNanos(), TimeUnit.NANOSECONDS, timer))
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
        return written.thenApply(answered -> {
            List<Handled> all = new ArrayList<>(batch.size());
            int next = 0;
            for (int i = 0; i < batch.size(); i++) {
                all.add(owned[i] ? answered.get(next++) : Answers.WITHDRAWN);
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
        CompletableFuture<List<AssignResult>> results = retries.run(tenantId, attempts,
                () -> graph.assignAll(tenantId, policyId, requests, written, attempts.deadline(), permit));
        return results.handle((answered, failure) -> {
            metrics.assignBatch(batch.size());
            List<Handled> handled = new ArrayList<>(batch.size());
            for (int i = 0; i < batch.size(); i++) {
                handled.add(answer(batch.get(i), tenantId, failure == null ? answered.get(i) : null, failure,
                        attempts.attempts()));
            }
            return handled;
        });
    }

    private Handled answer(ReceivedRequest work, String tenantId, AssignResult result, Throwable failure,
                           int attempts) {
        if (failure != null && Answers.withdrawn(failure)) {
            return Answers.WITHDRAWN;
        }
        if (failure != null) {
            return new Handled.Answered(answers.failed(work, tenantId, failure, attempts));
        }
        if (result.assigned() != null) {
            return new Handled.Answered(answers.created(work, tenantId, result.assigned(), attempts));
        }
        return new Handled.Answered(answers.failed(work, tenantId, result.error().toOutcomeError(), attempts));
    }
}
