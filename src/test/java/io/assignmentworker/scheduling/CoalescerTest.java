package io.assignmentworker.scheduling;

import static org.assertj.core.api.Assertions.assertThat;

import io.assignmentworker.outcome.ErrorCategory;
import io.assignmentworker.outcome.Outcome;
import io.assignmentworker.outcome.OutcomeError;
import io.assignmentworker.outcome.RecordSource;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The coalescer alone: its window is a timer the test fires by hand, and batches go to a runner whose answers the
 * test completes, so every interleaving below is chosen, not raced.
 */
class CoalescerTest {

    private static final Duration WINDOW = Duration.ofMillis(250);
    private static final Duration MAX_WAIT = Duration.ofSeconds(1);
    private static final int MAX_BATCH = 3;
    /** The runner's answer that sends a request on to the policy's next batch. */
    private static final Outcome AGAIN = new Outcome.Failed("again", null, "t", "p",
            OutcomeError.local(ErrorCategory.GRAPH_ERROR, "Again", "again", true), 0, Instant.EPOCH, Instant.EPOCH,
            new RecordSource("requests", 0, -1));

    private final ManualTimer timer = new ManualTimer();
    private final List<RunnerCall> calls = new ArrayList<>();
    private long now = 1_000_000_000L;
    private final Coalescer<Outcome> coalescer = recording(MAX_BATCH, Coalescer.Scarcity.NONE);

    /** A coalescer on the test's clock and timer whose batches go to {@link #calls}, answered by the test. */
    private Coalescer<Outcome> recording(int maxBatch, Coalescer.Scarcity scarcity) {
        return new Coalescer<>(WINDOW, MAX_WAIT, maxBatch, timer, new PolicySequencer(),
                (tenantId, policyId, batch) -> {
                    RunnerCall call = new RunnerCall(tenantId, policyId, batch, new CompletableFuture<>());
                    calls.add(call);
                    return call.result();
                }, AGAIN, scarcity, () -> now);
    }

    /** Moves the clock on and fires what the coalescer scheduled. */
    private void later(Duration by) {
        now += by.toNanos();
        timer.fireAll();
    }

    @AfterEach
    void stopTimer() {
        timer.shutdownNow();
    }

    @Test
    void gathersAPolicysRequestsWithinTheWindowIntoOneBatch() {
        ReceivedRequest first = request(0);
        ReceivedRequest second = request(1);
        coalescer.add("t", "p", "t/p", first);
        coalescer.add("t", "p", "t/p", second);

        assertThat(calls).as("nothing is written before the window closes").isEmpty();
        assertThat(timer.delays).as("one window per batch, opened by its first request")
                .containsExactly(WINDOW.toNanos());

        later(WINDOW);

        assertThat(calls).singleElement().satisfies(call -> {
            assertThat(call.tenantId()).isEqualTo("t");
            assertThat(call.policyId()).isEqualTo("p");
            assertThat(call.batch()).containsExactly(first, second);
        });
    }

    @Test
    void sendsAFullBatchAtOnceWithoutWaitingForTheWindow() {
        for (int i = 0; i < MAX_BATCH; i++) {
            coalescer.add("t", "p", "t/p", request(i));
        }

        assertThat(calls).singleElement().satisfies(call -> assertThat(call.batch()).hasSize(MAX_BATCH));

        // The window of the batch that went early must not send it a second time.
        later(MAX_WAIT);
        assertThat(calls).hasSize(1);
    }

    @Test
    void startsANewBatchOnceTheCurrentOneIsFull() {
        for (int i = 0; i < MAX_BATCH + 1; i++) {
            coalescer.add("t", "p", "t/p", request(i));
        }
        calls.get(0).result().complete(outcomesFor(calls.get(0).batch()));

        later(WINDOW);

        assertThat(calls).hasSize(2);
        assertThat(calls.get(1).batch()).containsExactly(request(MAX_BATCH));
    }

    @Test
    void keepsPoliciesInBatchesOfTheirOwn() {
        coalescer.add("t", "a", "t/a", request(0));
        coalescer.add("t", "b", "t/b", request(1));
        coalescer.add("t", "a", "t/a", request(2));

        later(WINDOW);

        assertThat(calls).extracting(RunnerCall::policyId).containsExactlyInAnyOrder("a", "b");
        assertThat(calls).filteredOn(call -> call.policyId().equals("a")).singleElement()
                .satisfies(call -> assertThat(call.batch()).containsExactly(request(0), request(2)));
    }

    @Test
    void aRequestArrivingAfterItsPolicysBatchWasSealedGoesIntoTheNextBatch() {
        coalescer.add("t", "p", "t/p", request(0));
        later(WINDOW);
        assertThat(calls).hasSize(1);
        assertThat(calls.get(0).batch()).containsExactly(request(0)); // sealed: its write is leaving

        CompletableFuture<Outcome> late = coalescer.add("t", "p", "t/p", request(1));
        CompletableFuture<Outcome> after = coalescer.add("t", "p", "t/p", request(2));
        later(WINDOW);

        assertThat(calls).as("one write at a time per policy: the next batch waits for the first")
                .hasSize(1);
        calls.get(0).result().complete(outcomesFor(calls.get(0).batch()));

        assertThat(calls).hasSize(2);
        assertThat(calls.get(1).batch()).containsExactly(request(1), request(2));
        assertThat(late).isNotDone();
        calls.get(1).result().complete(outcomesFor(calls.get(1).batch()));
        assertThat(late.join()).isEqualTo(outcomeFor(request(1)));
        assertThat(after.join()).isEqualTo(outcomeFor(request(2)));
    }

    @Test
    void aBatchKeepsTakingRequestsUntilItsWriterSealsIt() {
        coalescer.add("t", "p", "t/p", request(0));
        later(WINDOW);
        assertThat(calls).as("handed to its writer, which waits for the tenant's budget").hasSize(1);

        CompletableFuture<Outcome> meanwhile = coalescer.add("t", "p", "t/p", request(1));

        assertThat(calls.get(0).batch()).as("what came before the seal rides with the write")
                .containsExactly(request(0), request(1));
        calls.get(0).result().complete(outcomesFor(calls.get(0).batch()));
        assertThat(meanwhile.join()).isEqualTo(outcomeFor(request(1)));
    }

    @Test
    void aBatchWaitingForItsTurnKeepsGrowingUntilItIsSealed() {
        coalescer.add("t", "p", "t/p", request(0));
        later(WINDOW);
        calls.get(0).batch(); // sealed
        coalescer.add("t", "p", "t/p", request(1));
        later(WINDOW); // handed to the sequencer, which holds it behind the first write
        coalescer.add("t", "p", "t/p", request(2));

        calls.get(0).result().complete(outcomesFor(calls.get(0).batch()));

        assertThat(calls).hasSize(2);
        assertThat(calls.get(1).batch()).as("the request that came while the batch waited rides with it")
                .containsExactly(request(1), request(2));
    }

    @Test
    void waitsWhileRequestsKeepComingAndGoesOnceTheyPauseForTheWindow() {
        coalescer.add("t", "p", "t/p", request(0));
        now += WINDOW.toNanos() - 1;
        coalescer.add("t", "p", "t/p", request(1));
        later(Duration.ofNanos(1));
        assertThat(calls).as("a request came within the window: the batch waits on").isEmpty();

        later(WINDOW);
        assertThat(calls).singleElement()
                .satisfies(call -> assertThat(call.batch()).containsExactly(request(0), request(1)));
    }

    @Test
    void goesAfterTheLongestWaitEvenWhileRequestsKeepComing() {
        Coalescer<Outcome> wide = recording(1_000, Coalescer.Scarcity.NONE);
        long opened = now;
        for (int i = 0; calls.isEmpty(); i++) {
            wide.add("t", "p", "t/p", request(i));
            later(WINDOW.dividedBy(2));
        }
        assertThat(now - opened).isBetween(MAX_WAIT.toNanos(), MAX_WAIT.toNanos() + WINDOW.toNanos());
    }

    /**
     * Three policies wait and the tenant's window has room for two writes: a write spent on the first seconds of a
     * policy's requests is one the rest of the rollout cannot have. So while the tenant's requests keep coming (for
     * any of its policies), no batch goes; once they stop for the window, each policy's batch goes whole.
     */
    @Test
    void whileTheBudgetBindsBatchesWaitForTheRestOfTheTenantsRequests() {
        int[] room = {2};
        int[] told = {0};
        Coalescer<Outcome> scarce = recording(1_000,
                new Coalescer.Scarcity(tenantId -> room[0], MAX_WAIT.multipliedBy(20), () -> told[0]++));
        int n = 0;
        for (int policy = 0; policy < 3; policy++) {
            scarce.add("t", "p" + policy, "t/p" + policy, request(n++));
        }
        // Then each policy gets a request only every 375 ms (longer than the window), for 6 s: six times MAX_WAIT.
        for (int step = 0; step < 48; step++) {
            scarce.add("t", "p" + (step % 3), "t/p" + (step % 3), request(n++));
            later(WINDOW.dividedBy(2));
        }
        assertThat(calls).as("no write while the tenant's requests keep coming and its budget binds").isEmpty();
        assertThat(told[0]).as("the intake is told to read far ahead while batches wait for more").isPositive();

        later(WINDOW);
        later(WINDOW);
        assertThat(calls).as("a pause of a window or two does not end a rollout while the budget binds").isEmpty();
        later(WINDOW);
        later(WINDOW);
        later(WINDOW);

        assertThat(calls).hasSize(3);
        assertThat(calls).allSatisfy(call -> assertThat(call.batch()).hasSize(17));
    }

    /**
     * Room for every waiting policy: the budget does not bind, and a batch whose policy's requests keep coming goes
     * after the longest wait, not after the scarcity's.
     */
    @Test
    void withRoomForEveryWaitingPolicyABatchGoesAfterTheLongestWait() {
        int[] told = {0};
        Coalescer<Outcome> roomy = recording(1_000,
                new Coalescer.Scarcity(tenantId -> 2, MAX_WAIT.multipliedBy(20), () -> told[0]++));
        long opened = now;
        roomy.add("t", "other", "t/other", request(1_000));
        for (int i = 0; calls.stream().noneMatch(call -> call.policyId().equals("p")); i++) {
            roomy.add("t", "p", "t/p", request(i));
            later(WINDOW.dividedBy(2));
        }
        assertThat(now - opened).isBetween(MAX_WAIT.toNanos(), MAX_WAIT.toNanos() + WINDOW.toNanos());
        assertThat(told[0]).as("a budget with room binds nothing").isZero();
    }

    /**
     * Once the batches that made the budget bind have run, it binds no more: the next batches go after the window,
     * as configured, not after the tenant's rollout.
     */
    @Test
    void theBudgetStopsBindingOnceTheWaitingBatchesHaveRun() {
        Coalescer<Outcome> scarce = recording(1_000,
                new Coalescer.Scarcity(tenantId -> 2, MAX_WAIT.multipliedBy(20)));
        for (int policy = 0; policy < 3; policy++) {
            scarce.add("t", "p" + policy, "t/p" + policy, request(policy));
        }
        for (int i = 0; i < 5; i++) {
            later(WINDOW);
        }
        assertThat(calls).hasSize(3);
        calls.forEach(call -> call.result().complete(List.of(outcomeFor(call.batch().get(0)))));

        // Two policies now, room for two: a request for one, and a steady stream for the other every half window.
        scarce.add("t", "p0", "t/p0", request(10));
        for (int i = 0; i < 3; i++) {
            scarce.add("t", "p1", "t/p1", request(11 + i));
            later(WINDOW.dividedBy(2));
        }
        assertThat(calls).as("p0's batch goes after its own quiet window, while p1's requests keep coming")
                .hasSize(4);
        assertThat(calls.get(3).policyId()).isEqualTo("p0");
    }

    /**
     * A request sent on to the next batch came before everything that arrived while its batch was written: it
     * goes ahead of those (with others sent on, in their order), so a subject's requests keep their order.
     */
    @Test
    void requestsSentOnGoAheadOfThoseThatArrivedMeanwhileInTheirOrder() {
        coalescer.add("t", "p", "t/p", request(0));
        coalescer.add("t", "p", "t/p", request(1));
        coalescer.add("t", "p", "t/p", request(2));
        assertThat(calls).hasSize(1);
        coalescer.add("t", "p", "t/p", request(3));

        calls.get(0).result().complete(List.of(outcomeFor(request(0)), AGAIN, AGAIN));
        later(WINDOW);

        assertThat(calls).hasSize(2);
        assertThat(calls.get(1).batch()).containsExactly(request(1), request(2), request(3));
    }

    /** The next batch is already full and waiting for its turn: the requests sent on still go ahead of it. */
    @Test
    void requestsSentOnGoAheadOfAFullBatchWaitingForItsTurn() {
        for (int i = 0; i < 2 * MAX_BATCH + 1; i++) {
            coalescer.add("t", "p", "t/p", request(i));
        }
        assertThat(calls).as("the second full batch waits for the first").hasSize(1);

        calls.get(0).result().complete(List.of(outcomeFor(request(0)), AGAIN, AGAIN));

        assertThat(calls).hasSize(2);
        assertThat(calls.get(1).batch()).containsExactly(request(1), request(2), request(3), request(4), request(5));
        calls.get(1).result().complete(outcomesFor(calls.get(1).batch()));
        later(WINDOW);
        assertThat(calls.get(2).batch()).containsExactly(request(6));
    }

    @Test
    void aRequestItsWriterSendsAgainGoesWithThePolicysNextBatchAndKeepsItsOutcome() {
        CompletableFuture<Outcome> done = coalescer.add("t", "p", "t/p", request(0));
        CompletableFuture<Outcome> again = coalescer.add("t", "p", "t/p", request(1));
        later(WINDOW);

        calls.get(0).result().complete(List.of(outcomeFor(request(0)), AGAIN));

        assertThat(done.join()).isEqualTo(outcomeFor(request(0)));
        assertThat(again).isNotDone();
        later(WINDOW);
        assertThat(calls).hasSize(2);
        assertThat(calls.get(1).batch()).containsExactly(request(1));
        calls.get(1).result().complete(outcomesFor(calls.get(1).batch()));
        assertThat(again.join()).isEqualTo(outcomeFor(request(1)));
    }

    @Test
    void completesEachRequestWithItsOwnOutcome() {
        List<CompletableFuture<Outcome>> outcomes = new ArrayList<>();
        for (int i = 0; i < MAX_BATCH; i++) {
            outcomes.add(coalescer.add("t", "p", "t/p", request(i)));
        }
        assertThat(outcomes).noneMatch(CompletableFuture::isDone);

        calls.get(0).result().complete(outcomesFor(calls.get(0).batch()));

        for (int i = 0; i < MAX_BATCH; i++) {
            assertThat(outcomes.get(i).join()).isEqualTo(outcomeFor(request(i)));
        }
    }

    @Test
    void aFailedBatchFailsEveryRequestInItAndTheNextBatchStillRuns() {
        CompletableFuture<Outcome> first = coalescer.add("t", "p", "t/p", request(0));
        CompletableFuture<Outcome> second = coalescer.add("t", "p", "t/p", request(1));
        later(WINDOW);
        calls.get(0).batch(); // sealed: its write is under way
        CompletableFuture<Outcome> next = coalescer.add("t", "p", "t/p", request(2));
        later(WINDOW);

        IllegalStateException failure = new IllegalStateException("write abandoned");
        calls.get(0).result().completeExceptionally(failure);

        assertThat(first).isCompletedExceptionally();
        assertThat(second).isCompletedExceptionally();
        assertThat(second.handle((value, thrown) -> thrown).join()).isSameAs(failure);
        assertThat(calls).as("the policy's queue moves on past a failed write").hasSize(2);
        calls.get(1).result().complete(outcomesFor(calls.get(1).batch()));
        assertThat(next.join()).isEqualTo(outcomeFor(request(2)));
    }

    @Test
    void aRunnerThatThrowsFailsItsBatchInsteadOfLosingIt() {
        RuntimeException thrown = new IllegalStateException("runner broke");
        Coalescer<Outcome> throwing = new Coalescer<>(WINDOW, MAX_WAIT, MAX_BATCH, timer, new PolicySequencer(),
                (tenantId, policyId, batch) -> {
                    throw thrown;
                }, AGAIN, Coalescer.Scarcity.NONE, () -> now);

        CompletableFuture<Outcome> outcome = throwing.add("t", "p", "t/p", request(0));
        later(WINDOW);

        assertThat(outcome).isCompletedExceptionally();
        assertThat(outcome.handle((value, failure) -> failure).join()).isSameAs(thrown);
    }

    private final Map<Integer, ReceivedRequest> requests = new HashMap<>();

    /** The same instance each time for {@code n}, so batches compare by identity of what was added. */
    private ReceivedRequest request(int n) {
        // The coalescer never looks inside a request: its source is enough to tell one from another.
        return requests.computeIfAbsent(n,
                offset -> new ReceivedRequest(null, new RecordSource("requests", 0, offset), Instant.EPOCH));
    }

    private static Outcome outcomeFor(ReceivedRequest work) {
        return new Outcome.Failed("request-" + work.source().offset(), null, "t", "p",
                OutcomeError.local(ErrorCategory.GRAPH_ERROR, "Test", "test", false), 1, Instant.EPOCH,
                Instant.EPOCH, work.source());
    }

    private static List<Outcome> outcomesFor(List<ReceivedRequest> batch) {
        return batch.stream().map(CoalescerTest::outcomeFor).toList();
    }

    /** A batch handed to its writer; {@link #batch} seals it, as the writer does when its write leaves. */
    private record RunnerCall(String tenantId, String policyId, OpenBatch open,
                              CompletableFuture<List<Outcome>> result) {
        List<ReceivedRequest> batch() {
            return open.seal();
        }
    }

    /** A timer whose tasks run only when the test fires them, on the test's thread. */
    private static final class ManualTimer extends ScheduledThreadPoolExecutor {

        final List<Long> delays = new ArrayList<>();
        private final List<Runnable> due = new ArrayList<>();

        ManualTimer() {
            super(1);
        }

        @Override
        public ScheduledFuture<?> schedule(Runnable task, long delay, TimeUnit unit) {
            delays.add(unit.toNanos(delay));
            due.add(task);
            return null; // the coalescer never cancels its windows
        }

        void fireAll() {
            List<Runnable> firing = List.copyOf(due);
            due.clear();
            firing.forEach(Runnable::run);
        }
    }
}
