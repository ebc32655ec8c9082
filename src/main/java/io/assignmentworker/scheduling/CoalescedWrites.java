package io.assignmentworker.scheduling;

import io.assignmentworker.graph.AssignResult;
import io.assignmentworker.graph.Assigned;
import io.assignmentworker.graph.BatchMemory;
import io.assignmentworker.graph.GraphClient;
import io.assignmentworker.graph.GraphError;
import io.assignmentworker.graph.GraphException;
import io.assignmentworker.graph.TenantStrategies;
import io.assignmentworker.graph.WritePermit;
import io.assignmentworker.metrics.WorkerMetrics;
import io.assignmentworker.outcome.ErrorCategory;
import io.assignmentworker.outcome.Outcome;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * The policy owner's writes: one batch of a policy's requests, one answer each. In a tenant that takes creates
 * ({@code auto}), a batch of creates for which one {@code /assign} does not pay (a lone request, or a few while
 * the budget has room) is written as one create per request; any other (and every batch with a removal or an
 * update) is written with one {@code /assign}, and keeps
 * taking requests until the write's read is back ({@link SealedBatch}).
 */
final class CoalescedWrites {

    /** Below this many requests, a batch goes as creates when the budget is plentiful. */
    private static final int MANY = 8;
    /** Room for this many more writes in the tenant's window: a budget that does not bind. */
    private static final int PLENTY = 1_000;

    private final GraphClient graph;
    private final TenantStrategies strategies;
    private final GraphRetries retries;
    private final TenantPacer pacer;
    private final Answers answers;
    private final int maxAttempts;
    private final Duration maxRequestAge;
    private final ScheduledExecutorService timer;
    private final WorkerMetrics metrics;
    private final ReadAhead readAhead;

    CoalescedWrites(GraphClient graph, TenantStrategies strategies, GraphRetries retries, TenantPacer pacer,
                    Answers answers, SchedulingProperties properties, ScheduledExecutorService timer,
                    WorkerMetrics metrics, ReadAhead readAhead) {
        this.readAhead = readAhead;
        this.pacer = pacer;
        this.graph = graph;
        this.strategies = strategies;
        this.retries = retries;
        this.answers = answers;
        this.maxAttempts = properties.maxAttempts();
        this.maxRequestAge = properties.maxRequestAge();
        this.timer = timer;
        this.metrics = metrics;
    }

    /** One batch for one policy: one answer per request of the batch as sealed, in order. */
    CompletableFuture<List<Handled>> write(String tenantId, String policyId, OpenBatch batch) {
        // Just after the group switched the tenant from creates, a create sent elsewhere may still land: /assign
        // would read the policy without it and write it away. The batch waits that out before it reads, and
        // looks again after it (the group's decision may not have been read back yet).
        Duration held = strategies.assignHeldFor(tenantId);
        if (held.isZero()) {
            return writeNow(tenantId, policyId, batch);
        }
        return CompletableFuture.runAsync(() -> { },
                        CompletableFuture.delayedExecutor(held.toNanos(), TimeUnit.NANOSECONDS, timer))
                .thenCompose(ready -> write(tenantId, policyId, batch));
    }

    private CompletableFuture<List<Handled>> writeNow(String tenantId, String policyId, OpenBatch batch) {
        List<ReceivedRequest> waiting = batch.snapshot();
        if (strategies.createsLoneRequests(tenantId) && !coalescingPays(tenantId, policyId, waiting)) {
            List<ReceivedRequest> sealed = batch.seal();
            if (!coalescingPays(tenantId, policyId, sealed) && strategies.tryLoneCreates(tenantId)) {
                if (pacer.writeRoom(tenantId) >= PLENTY) {
                    // Nothing would have joined a write: reading further ahead only makes requests wait.
                    readAhead.createdWithRoom();
                }
                CompletableFuture<List<Handled>> created;
                try {
                    created = createEach(tenantId, sealed);
                } catch (RuntimeException e) {
                    strategies.loneCreatesDone(tenantId, false); // else the tenant's probe would stay taken
                    throw e;
                }
                return created.whenComplete((answers, failure) -> strategies.loneCreatesDone(tenantId,
                        answers != null && answers.stream().anyMatch(handled -> handled instanceof Handled.Answered a
                                && a.outcome() instanceof Outcome.Created c && !c.alreadyExisted())));
            }
            return assign(tenantId, policyId, SealedBatch.of(sealed));
        }
        return assign(tenantId, policyId, new SealedBatch(batch));
    }

    /**
     * Whether one {@code /assign} pays for {@code waiting} requests rather than one create each. It spends one
     * write instead of many, but reads the policy's whole set, writes it and reads it back: three calls that each
     * carry every assignment the policy has. So it pays whenever the write budget binds (a window without room for
     * a thousand more writes), and otherwise when the batch is large next to the calls it saves and the set it
     * carries.
     */
    private boolean coalescingPays(String tenantId, String policyId, List<ReceivedRequest> batch) {
        if (batch.stream().anyMatch(work -> !work.request().isCreate())) {
            // Removals and updates have no call of their own that every tenant takes: /assign writes them.
            return true;
        }
        int waiting = batch.size();
        if (waiting <= 1) {
            return false;
        }
        if (pacer.writeRoom(tenantId) < PLENTY) {
            // The budget is what binds (Intune's: 100 writes per 20 s): a write spent on one request is missed by
            // the hundreds still to come, however much room the window has right now.
            return true;
        }
        // Each create carries one assignment; the /assign carries the whole set three times (read, written, read
        // back). Measured in the latency-bound benchmark, 20 creates against a set of about 80 cost the worker
        // less CPU and garbage per request than the /assign did (docs/benchmarks.md); half the set is about where
        // the two meet.
        return waiting >= Math.max(MANY, graph.knownAssignmentCount(tenantId, policyId) / 2);
    }

    /** The batch as one create per request: at once for different subjects, in order for the same one. */
    private CompletableFuture<List<Handled>> createEach(String tenantId, List<ReceivedRequest> works) {
        Map<String, CompletableFuture<Handled>> lastOfSubject = new HashMap<>();
        List<CompletableFuture<Handled>> each = new ArrayList<>(works.size());
        for (ReceivedRequest work : works) {
            String subject = work.request().target().subjectKey();
            CompletableFuture<Handled> before = lastOfSubject.get(subject);
            CompletableFuture<Handled> mine = before == null ? createOne(tenantId, work)
                    : before.handle((done, failed) -> null).thenCompose(ignored -> createOne(tenantId, work));
            lastOfSubject.put(subject, mine);
            each.add(mine);
        }
        return CompletableFuture.allOf(each.toArray(CompletableFuture[]::new))
                .thenApply(all -> each.stream().map(CompletableFuture::join).toList());
    }

    /**
     * One request as one create: this worker owns the policy, so no {@code /assign} of it runs elsewhere. A tenant
     * that refuses the route is remembered, and the request goes with the policy's next batch, by {@code /assign}.
     */
    private CompletableFuture<Handled> createOne(String tenantId, ReceivedRequest work) {
        RequestAttempts attempts = new RequestAttempts(maxAttempts, work.receivedAt().plus(maxRequestAge));
        CompletableFuture<Assigned> created = retries.run(tenantId, attempts,
                () -> graph.ensureAssigned(tenantId, work.request(), attempts.mayExistUnseen(), attempts.deadline(),
                        () -> !strategies.createsLoneRequests(tenantId), work.permit()));
        return created.handle((assigned, failure) -> {
            if (failure == null) {
                return new Handled.Answered(answers.created(work, tenantId, assigned, attempts.attempts()));
            }
            if (Answers.withdrawn(failure)) {
                return Answers.WITHDRAWN;
            }
            GraphError error = GraphException.errorOf(failure);
            if (error != null && error.category() == ErrorCategory.ROUTE_REFUSED) {
                strategies.loneCreateRefused(tenantId);
                return Answers.AGAIN;
            }
            return new Handled.Answered(answers.failed(work, tenantId, failure, attempts.attempts()));
        });
    }

    private CompletableFuture<List<Handled>> assign(String tenantId, String policyId, SealedBatch batch) {
        readAhead.coalesced(); // what is read before the write's read is back joins it
        List<ReceivedRequest> first = batch.current();
        // The batch's tries and deadline are those of the requests it held when its write began; those that
        // joined later have tries and time of their own, and a failure of this write is not theirs to keep.
        int firstCount = first.size();
        Instant oldest = first.stream().map(ReceivedRequest::receivedAt).min(Instant::compareTo).orElseThrow();
        RequestAttempts attempts = new RequestAttempts(maxAttempts, oldest.plus(maxRequestAge));
        BatchMemory written = new BatchMemory();
        WritePermit permit = Permits.waitingFor(batch.permit(), () -> strategies.assignHeldFor(tenantId).isZero());
        CompletableFuture<List<AssignResult>> results = retries.run(tenantId, attempts,
                () -> graph.assignAll(tenantId, policyId, batch::writableRequests, written, attempts.deadline(),
                        permit));
        return results.handle((answered, failure) -> {
            List<ReceivedRequest> sealed = batch.sealed();
            metrics.assignBatch(sealed.size());
            List<Handled> handled = new ArrayList<>(sealed.size());
            int next = 0;
            for (int i = 0; i < sealed.size(); i++) {
                if (!batch.writable(i)) {
                    handled.add(Answers.WITHDRAWN);
                } else if (failure != null) {
                    handled.add(failed(sealed.get(i), tenantId, i >= firstCount, failure, attempts.attempts()));
                } else {
                    handled.add(answer(sealed.get(i), tenantId, answered.get(next), attempts.attempts()));
                }
                if (batch.writable(i)) {
                    next++;
                }
            }
            return handled;
        });
    }

    /**
     * A request of a batch whose write failed as a whole. Withdrawn: handed back, unless this request's own permit
     * still says go (it was read again since its partition came back), which then goes with the next batch. A
     * transient failure (Graph unavailable or throttling, the batch's deadline) fails only the requests whose
     * tries or time it used up; the others go with the next batch.
     */
    private Handled failed(ReceivedRequest work, String tenantId, boolean joinedLate, Throwable failure,
                           int attempts) {
        if (Answers.withdrawn(failure)) {
            return work.permit().ask() == WritePermit.Answer.WITHDRAWN ? Answers.WITHDRAWN : Answers.AGAIN;
        }
        GraphError error = GraphException.errorOf(failure);
        boolean ownTimeLeft = work.receivedAt().plus(maxRequestAge).isAfter(Instant.now());
        if (error != null && error.transientError() && ownTimeLeft
                && (joinedLate || RequestAttempts.EXPIRED.equals(error.code()))) {
            return Answers.AGAIN;
        }
        return new Handled.Answered(answers.failed(work, tenantId, failure, attempts));
    }

    private Handled answer(ReceivedRequest work, String tenantId, AssignResult result, int attempts) {
        return switch (result.kind()) {
            case CREATED -> new Handled.Answered(answers.created(work, tenantId, result.assigned(), attempts));
            case REMOVED, UPDATED, UNCHANGED -> new Handled.Answered(answers.changed(work, tenantId, result,
                    attempts));
            case REFUSED -> new Handled.Answered(answers.failed(work, tenantId, result.error().toOutcomeError(),
                    attempts));
            case LATER -> Answers.AGAIN;
            case RETRY -> work.receivedAt().plus(maxRequestAge).isAfter(Instant.now()) ? Answers.AGAIN
                    : new Handled.Answered(answers.failed(work, tenantId, result.error().toOutcomeError(), attempts));
        };
    }
}
