package io.assignmentworker.scheduling;

import static org.assertj.core.api.Assertions.assertThat;

import io.assignmentworker.emulator.EmulatorSettings;
import io.assignmentworker.emulator.EmulatorStats;
import io.assignmentworker.emulator.GraphCall;
import io.assignmentworker.emulator.GraphEmulator;
import io.assignmentworker.metrics.WorkerMetrics;
import io.assignmentworker.outcome.ErrorCategory;
import io.assignmentworker.outcome.Outcome;
import io.assignmentworker.outcome.RecordSource;
import io.assignmentworker.request.AssignmentRequest;
import io.assignmentworker.request.AssignmentSource;
import io.assignmentworker.request.AssignmentTarget;
import io.assignmentworker.request.FilterType;
import io.assignmentworker.request.TargetType;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.assertj.core.data.Offset;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Scheduling and Graph stages against the emulator over https: pacing, retries, order, idempotency. */
class AssignmentSchedulerTest {

    static final String TENANT = "8f1c7e2a-1b2c-4d5e-8f90-0a1b2c3d4e5f";
    static final String CLIENT = "3c1f6a7e-0000-4000-8000-00000000c1d1";
    static final String SECRET = "scheduler-test-secret";

    GraphEmulator emulator;
    GraphStackFixture stack;

    void start(EmulatorSettings settings, SchedulingProperties scheduling) {
        emulator = GraphEmulator.start(settings);
        emulator.registerApp(TENANT, CLIENT, SECRET);
        stack = new GraphStackFixture(emulator, TENANT, CLIENT, SECRET, scheduling);
    }

    @BeforeEach
    void defaults() {
        start(EmulatorSettings.defaults().withWriteBudget(100_000).withRequestBudget(1_000_000),
                GraphStackFixture.fastScheduling(100_000, Duration.ofSeconds(20)));
    }

    @AfterEach
    void stop() {
        stack.close();
        emulator.close();
    }

    String policy() {
        String id = UUID.randomUUID().toString();
        emulator.addPolicy(TENANT, id, "policy");
        return id;
    }

    static ReceivedRequest request(String policyId, String groupId) {
        AssignmentRequest request = new AssignmentRequest("r-" + UUID.randomUUID(), TENANT, policyId, "test",
                new AssignmentTarget(TargetType.GROUP, groupId, null, null, FilterType.NONE), AssignmentSource.DIRECT,
                null);
        return new ReceivedRequest(request, new RecordSource("t", 0, 0), Instant.now());
    }

    static Outcome await(CompletableFuture<Outcome> future) throws Exception {
        return future.get(30, TimeUnit.SECONDS);
    }

    @Test
    void createsSequentialRequestsQuickly() throws Exception {
        String policy = policy();
        await(stack.scheduler.schedule(request(policy, UUID.randomUUID().toString())));
        long started = System.nanoTime();
        for (int i = 1; i < 20; i++) {
            assertThat(await(stack.scheduler.schedule(request(policy, UUID.randomUUID().toString()))))
                    .isInstanceOf(Outcome.Created.class);
        }
        System.out.printf("19 sequential creates took %d ms%n", (System.nanoTime() - started) / 1_000_000);
        assertThat(emulator.assignments(TENANT, policy)).hasSize(20);
    }

    @Test
    void renewsTheTokenOnceWhenGraphSaysItExpired() throws Exception {
        String policy = policy();
        await(stack.scheduler.schedule(request(policy, UUID.randomUUID().toString())));
        long issued = emulator.stats().tokensIssued();
        emulator.expireAllTokens();
        long started = System.nanoTime();

        List<CompletableFuture<Outcome>> outcomes = new ArrayList<>();
        for (int i = 0; i < 10; i++) {
            outcomes.add(stack.scheduler.schedule(request(policy(), UUID.randomUUID().toString())));
        }

        for (CompletableFuture<Outcome> outcome : outcomes) {
            assertThat(await(outcome)).isInstanceOf(Outcome.Created.class);
        }
        System.out.printf("renewal took %d ms%n", (System.nanoTime() - started) / 1_000_000);
        assertThat(emulator.stats().tokensIssued()).isEqualTo(issued + 1);
    }

    @Test
    void answersTheSameTargetUnderAnotherIdWithTheExistingAssignment() throws Exception {
        String policy = policy();
        String group = UUID.randomUUID().toString();

        Outcome first = await(stack.scheduler.schedule(request(policy, group)));
        Outcome second = await(stack.scheduler.schedule(request(policy, group)));

        assertThat(((Outcome.Created) first).alreadyExisted()).isFalse();
        assertThat(((Outcome.Created) second).alreadyExisted()).isTrue();
        assertThat(((Outcome.Created) second).assignmentId()).isEqualTo(((Outcome.Created) first).assignmentId());
        assertThat(emulator.assignments(TENANT, policy)).hasSize(1);
    }

    @Test
    void findsAnAssignmentThatExistedBeforeTheWorkerStarted() throws Exception {
        String policy = policy();
        String group = UUID.randomUUID().toString();
        await(stack.scheduler.schedule(request(policy, group)));
        long writes = emulator.stats().writesPerformed();

        try (GraphStackFixture restarted = new GraphStackFixture(emulator, TENANT, CLIENT, SECRET,
                GraphStackFixture.fastScheduling(100_000, Duration.ofSeconds(20)))) {
            Outcome again = await(restarted.scheduler.schedule(request(policy, group)));

            assertThat(((Outcome.Created) again).alreadyExisted()).isTrue();
        }
        assertThat(emulator.stats().writesPerformed()).isEqualTo(writes);
        assertThat(emulator.assignments(TENANT, policy)).hasSize(1);
    }

    @Test
    void readsEachPolicyOnceAndKeepsItCurrentWithItsOwnWrites() throws Exception {
        String policy = policy();
        long lists = emulator.stats().count(EmulatorStats.Operation.LIST);

        for (int i = 0; i < 10; i++) {
            await(stack.scheduler.schedule(request(policy, UUID.randomUUID().toString())));
        }

        assertThat(emulator.stats().count(EmulatorStats.Operation.LIST) - lists).isEqualTo(1);
        assertThat(emulator.assignments(TENANT, policy)).hasSize(10);
    }

    @Test
    void keepsTheOrderOfRequestsForOneSubject() throws Exception {
        String policy = policy();
        String group = UUID.randomUUID().toString();
        // Every call lingers at Graph, so requests for the subject sent side by side would overlap there.
        emulator.tenant(TENANT).latency(Duration.ofMillis(30), Duration.ZERO);
        List<CompletableFuture<Outcome>> outcomes = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            outcomes.add(stack.scheduler.schedule(request(policy, group)));
        }
        List<Outcome> answered = new ArrayList<>();
        for (CompletableFuture<Outcome> outcome : outcomes) {
            answered.add(await(outcome));
        }

        List<GraphCall> creates = emulator.calls().stream().filter(c -> policy.equals(c.policyId())
                && c.operation() == EmulatorStats.Operation.CREATE).toList();
        assertThat(creates).as("the first creates, the others find it: none is sent to be refused")
                .singleElement().satisfies(call -> assertThat(call.status()).isEqualTo(201));
        assertThat(answered).allSatisfy(outcome -> assertThat(outcome).isInstanceOf(Outcome.Created.class));
        assertThat(answered).extracting(outcome -> ((Outcome.Created) outcome).alreadyExisted())
                .as("in arrival order").containsExactly(false, true, true, true, true);
    }

    @Test
    void createsForDifferentSubjectsOfOnePolicyAtOnceWithoutDuplicates() throws Exception {
        String policy = policy();
        emulator.tenant(TENANT).latency(Duration.ofMillis(30), Duration.ZERO);
        List<String> groups = new ArrayList<>();
        List<CompletableFuture<Outcome>> outcomes = new ArrayList<>();
        for (int i = 0; i < 15; i++) {
            String group = UUID.randomUUID().toString();
            groups.add(group);
            outcomes.add(stack.scheduler.schedule(request(policy, group)));
            outcomes.add(stack.scheduler.schedule(request(policy, group))); // the same target, asked twice
        }
        for (CompletableFuture<Outcome> outcome : outcomes) {
            assertThat(await(outcome)).isInstanceOf(Outcome.Created.class);
        }

        List<GraphCall> calls = emulator.calls().stream().filter(c -> policy.equals(c.policyId())).toList();
        List<GraphCall> creates = calls.stream().filter(c -> c.operation() == EmulatorStats.Operation.CREATE)
                .toList();
        assertThat(creates).as("one create per subject, none refused").hasSize(15)
                .allSatisfy(call -> assertThat(call.status()).isEqualTo(201));
        assertThat(creates.stream().anyMatch(a -> creates.stream().anyMatch(b -> a != b && a.overlaps(b))))
                .as("creates for different subjects at Graph at once").isTrue();
        assertThat(calls).filteredOn(c -> c.operation() == EmulatorStats.Operation.LIST)
                .as("the policy read once for all of them").hasSize(1);
        assertThat(emulator.duplicateAssignments(TENANT)).isZero();
        assertThat(emulator.assignments(TENANT, policy).stream().map(a -> a.path("target").path("groupId").asString()))
                .containsExactlyInAnyOrderElementsOf(groups);
        for (int i = 0; i < outcomes.size(); i += 2) {
            Outcome.Created first = (Outcome.Created) outcomes.get(i).join();
            Outcome.Created second = (Outcome.Created) outcomes.get(i + 1).join();
            assertThat(first.alreadyExisted()).isFalse();
            assertThat(second.alreadyExisted()).isTrue();
            assertThat(second.assignmentId()).isEqualTo(first.assignmentId());
        }
    }

    @Test
    void coolsTheWholeTenantDownOnOne429() throws Exception {
        List<String> others = new ArrayList<>();
        for (int i = 0; i < 7; i++) {
            others.add(policy());
        }
        String throttledPolicy = policy();
        await(stack.scheduler.schedule(request(throttledPolicy, UUID.randomUUID().toString())));
        // The emulator's injected 429 says Retry-After: 1.
        emulator.tenant(TENANT).failNext(1, 429);

        CompletableFuture<Outcome> throttled = stack.scheduler.schedule(request(throttledPolicy,
                UUID.randomUUID().toString()));
        // Once the worker has counted the 429 it has learnt of it: whatever is scheduled now must wait it out.
        Awaitility.await().atMost(Duration.ofSeconds(10)).until(() -> throttledCount() == 1);
        List<CompletableFuture<Outcome>> outcomes = new ArrayList<>();
        for (String policy : others) {
            outcomes.add(stack.scheduler.schedule(request(policy, UUID.randomUUID().toString())));
        }
        outcomes.add(throttled);

        for (CompletableFuture<Outcome> outcome : outcomes) {
            assertThat(await(outcome)).isInstanceOf(Outcome.Created.class);
        }
        List<GraphCall> calls = emulator.calls();
        GraphCall tooMany = calls.stream().filter(c -> c.status() == 429).findFirst().orElseThrow();
        long coolDownEnds = tooMany.answeredNanos() + Duration.ofSeconds(1).toNanos();
        List<GraphCall> after = calls.subList(calls.indexOf(tooMany) + 1, calls.size());
        // Every policy's calls, not only the throttled one's, reached Graph only after the Retry-After.
        assertThat(after).extracting(GraphCall::policyId).containsAll(others).contains(throttledPolicy);
        assertThat(after).allSatisfy(call -> assertThat(call.arrivedNanos())
                .as("%s arrived %d ms after the 429", call, (call.arrivedNanos() - tooMany.answeredNanos()) / 1_000_000)
                .isGreaterThanOrEqualTo(coolDownEnds));
        assertThat(emulator.stats().throttled()).isEqualTo(1);
    }

    @Test
    void halvesTheTenantsPaceOnA429AndRecoversItStepByStep() throws Exception {
        String policy = policy();
        await(stack.scheduler.schedule(request(policy, UUID.randomUUID().toString())));
        assertThat(pace()).isEqualTo(1.0);
        emulator.tenant(TENANT).failNext(1, 429);

        CompletableFuture<Outcome> throttled = stack.scheduler.schedule(request(policy, UUID.randomUUID().toString()));
        Awaitility.await().atMost(Duration.ofSeconds(10)).until(() -> throttledCount() == 1);

        // Read before any success can raise it again: that needs a quiet step (a tenth of the 20 s window).
        assertThat(pace()).isEqualTo(0.5);
        assertThat(await(throttled)).isInstanceOf(Outcome.Created.class);
        // Successes after a quiet step raise it again, a tenth at a time.
        Awaitility.await().atMost(Duration.ofSeconds(20)).pollInterval(Duration.ofMillis(500))
                .until(() -> {
                    await(stack.scheduler.schedule(request(policy, UUID.randomUUID().toString())));
                    return pace() > 0.5;
                });
        assertThat(pace()).isCloseTo(0.6, Offset.offset(1e-9));
    }

    double throttledCount() {
        var counter = stack.meters.find(WorkerMetrics.GRAPH_THROTTLED).counter();
        return counter == null ? 0 : counter.count();
    }

    double pace() {
        return stack.meters.get(WorkerMetrics.TENANT_PACE).gauge().value();
    }

    @Test
    void pacesWritesToTheTenantBudgetSoGraphNeverThrottles() throws Exception {
        stop();
        // The global budget is generous; this tenant's own budget (9 writes per second) is what applies. Graph
        // allows 10: one spare write absorbs the latency jitter of a loaded test machine.
        start(EmulatorSettings.defaults().withWriteBudget(10).withBudgetWindow(Duration.ofSeconds(1)),
                GraphStackFixture.fastScheduling(10_000, Duration.ofSeconds(1),
                        Map.of(TENANT.toUpperCase(), new SchedulingProperties.TenantBudget(9, null))));
        List<CompletableFuture<Outcome>> outcomes = new ArrayList<>();
        long started = System.nanoTime();
        for (int i = 0; i < 25; i++) {
            outcomes.add(stack.scheduler.schedule(request(policy(), UUID.randomUUID().toString())));
        }
        for (CompletableFuture<Outcome> outcome : outcomes) {
            assertThat(await(outcome)).isInstanceOf(Outcome.Created.class);
        }
        long elapsedMillis = (System.nanoTime() - started) / 1_000_000;

        // 25 writes at 9 per second: the first 9 at once (the window was unused), never more than 9 in any second
        // as Graph counts them, and no 429 from Graph.
        assertThat(elapsedMillis).isGreaterThanOrEqualTo(2_000);
        assertThat(emulator.stats().throttled()).isZero();
        List<Long> creates = emulator.calls().stream().filter(c -> c.operation() == EmulatorStats.Operation.CREATE)
                .map(GraphCall::arrivedNanos).sorted().toList();
        assertThat(creates).hasSize(25);
        assertThat(creates.get(8) - creates.get(0)).as("the unused window spent at once")
                .isLessThan(Duration.ofMillis(500).toNanos());
        for (int i = 9; i < creates.size(); i++) {
            assertThat(creates.get(i) - creates.get(i - 9)).as("10 writes within one second")
                    .isGreaterThanOrEqualTo(Duration.ofSeconds(1).toNanos());
        }
    }

    @Test
    void pacesAtItsShareOfTheBudgetWhenItOwnsPartOfThePartitions() throws Exception {
        stop();
        // The tenant allows 10 writes per second; this instance owns 2 of 8 partitions of a worker group that
        // may make 36: its share is 9 (one spare write absorbs the latency jitter of a loaded test machine).
        start(EmulatorSettings.defaults().withWriteBudget(10).withBudgetWindow(Duration.ofSeconds(1)),
                GraphStackFixture.fastScheduling(36, Duration.ofSeconds(1)));
        stack.budgetShare.requestsPartitions(2, 8);
        List<CompletableFuture<Outcome>> outcomes = new ArrayList<>();
        for (int i = 0; i < 25; i++) {
            outcomes.add(stack.scheduler.schedule(request(policy(), UUID.randomUUID().toString())));
        }
        for (CompletableFuture<Outcome> outcome : outcomes) {
            assertThat(await(outcome)).isInstanceOf(Outcome.Created.class);
        }

        assertThat(emulator.stats().throttled()).isZero();
        assertThat(stack.meters.get("intune.worker.tenant.budget.share").gauge().value()).isEqualTo(0.25);
    }

    @Test
    void failsAtOnceWithGraphsReasonOnAPermanentError() throws Exception {
        Outcome outcome = await(stack.scheduler.schedule(request(UUID.randomUUID().toString(),
                UUID.randomUUID().toString())));

        Outcome.Failed failed = (Outcome.Failed) outcome;
        assertThat(failed.error().category()).isEqualTo(ErrorCategory.NOT_FOUND);
        assertThat(failed.error().code()).isEqualTo("ResourceNotFound");
        assertThat(failed.attempts()).isEqualTo(1);
    }

    @Test
    void givesUpOnPersistentTransientFailuresWithARetryableOutcome() throws Exception {
        String policy = policy();
        emulator.tenant(TENANT).failNext(50, 500);

        Outcome outcome = await(stack.scheduler.schedule(request(policy, UUID.randomUUID().toString())));

        Outcome.Failed failed = (Outcome.Failed) outcome;
        assertThat(failed.error().category()).isEqualTo(ErrorCategory.UNAVAILABLE);
        assertThat(failed.error().retryable()).isTrue();
        assertThat(failed.error().message()).startsWith("gave up after 6 attempts");
        assertThat(failed.attempts()).isEqualTo(6);
    }

    @Test
    void waitsOutAnOutageInsteadOfFailingTheRequests() throws Exception {
        List<String> policies = new ArrayList<>();
        for (int i = 0; i < 10; i++) {
            policies.add(policy());
        }
        emulator.tenant(TENANT).outage(true);
        List<CompletableFuture<Outcome>> outcomes = new ArrayList<>();
        for (String policy : policies) {
            outcomes.add(stack.scheduler.schedule(request(policy, UUID.randomUUID().toString())));
        }

        Awaitility.await().atMost(Duration.ofSeconds(10))
                .until(() -> stack.pacer.inOutage(TENANT));
        long refused = emulator.stats().count(EmulatorStats.Operation.LIST, 503);
        // Several open → half-open → open rounds, each probe refused, and not one request answered meanwhile.
        Awaitility.await().atMost(Duration.ofSeconds(20))
                .failFast("a request was answered during the outage",
                        () -> outcomes.stream().anyMatch(CompletableFuture::isDone))
                .until(() -> emulator.stats().count(EmulatorStats.Operation.LIST, 503) >= refused + 3);
        assertThat(outcomes).noneMatch(CompletableFuture::isDone);
        emulator.tenant(TENANT).outage(false);

        for (CompletableFuture<Outcome> outcome : outcomes) {
            assertThat(await(outcome)).isInstanceOf(Outcome.Created.class);
        }
        assertThat(emulator.duplicateAssignments(TENANT)).isZero();
    }

    @Test
    void waitsNoLongerThanTheCapWhenA503AsksForADay() throws Exception {
        stop();
        // maxRetryAfter 1 s: the same cap as for 429s.
        start(EmulatorSettings.defaults(), new SchedulingProperties(100, 1000, Duration.ofSeconds(20), 6,
                Duration.ofHours(1), Duration.ofMillis(50), Duration.ofMillis(400), Duration.ofSeconds(1), 50, 20,
                Duration.ofSeconds(1), null, Duration.ofMillis(100), Duration.ofSeconds(1), 200, true, null));
        emulator.tenant(TENANT).failureRetryAfter("86400").failNext(1, 503);

        Outcome outcome = stack.scheduler.schedule(request(policy(), UUID.randomUUID().toString()))
                .get(15, TimeUnit.SECONDS);

        assertThat(outcome).isInstanceOf(Outcome.Created.class);
        assertThat(outcome.attempts()).isEqualTo(2);
    }

    @Test
    void failsARequestThatOutlivesItsMaximumAgeWithARetryableOutcome() throws Exception {
        stop();
        // A circuit over the last 2 calls, so that one request is enough to open it.
        start(EmulatorSettings.defaults(), new SchedulingProperties(100, 1000, Duration.ofSeconds(20), 6,
                Duration.ofSeconds(2), Duration.ofMillis(50), Duration.ofMillis(200), Duration.ofSeconds(30), 50, 2,
                Duration.ofMillis(300), null, Duration.ofMillis(100), Duration.ofSeconds(1), 200, true, null));
        emulator.tenant(TENANT).outage(true);
        long started = System.nanoTime();

        Outcome outcome = await(stack.scheduler.schedule(request(policy(), UUID.randomUUID().toString())));

        assertThat(Duration.ofNanos(System.nanoTime() - started)).isGreaterThanOrEqualTo(Duration.ofSeconds(2));
        Outcome.Failed failed = (Outcome.Failed) outcome;
        assertThat(failed.error().category()).isEqualTo(ErrorCategory.UNAVAILABLE);
        assertThat(failed.error().retryable()).isTrue();
        assertThat(emulator.stats().writesPerformed()).isZero();
    }
}
