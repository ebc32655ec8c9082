package io.assignmentworker.scheduling;

import static io.assignmentworker.scheduling.AssignmentSchedulerTest.CLIENT;
import static io.assignmentworker.scheduling.AssignmentSchedulerTest.SECRET;
import static io.assignmentworker.scheduling.AssignmentSchedulerTest.TENANT;
import static org.assertj.core.api.Assertions.assertThat;

import io.assignmentworker.emulator.EmulatorSettings;
import io.assignmentworker.emulator.EmulatorStats.Operation;
import io.assignmentworker.emulator.GraphEmulator;
import io.assignmentworker.graph.Strategy;
import io.assignmentworker.graph.WritePermit;
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
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * The assign strategy against the emulator over https: requests for one policy coalesced into few
 * {@code /assign} writes, every existing assignment kept as it was, refused targets isolated, and the switch
 * from create to assign when a tenant refuses the create route.
 */
class CoalescedAssignTest {

    private static final JsonMapper JSON = JsonMapper.builder().build();

    private GraphEmulator emulator;
    private GraphStackFixture stack;

    private void start(Strategy strategy, int maxBatchSize) {
        start(strategy, maxBatchSize, 100_000);
    }

    /** @param writeBudget the worker's writes per 20 s window */
    private void start(Strategy strategy, int maxBatchSize, int writeBudget) {
        start(strategy, maxBatchSize, writeBudget, Duration.ofMillis(100));
    }

    /** @param coalesceWindow how long a batch waits for one more request (at most ten times that in all) */
    private void start(Strategy strategy, int maxBatchSize, int writeBudget, Duration coalesceWindow) {
        emulator = GraphEmulator.start(EmulatorSettings.defaults().withWriteBudget(100_000)
                .withRequestBudget(1_000_000).withPageSize(50));
        emulator.registerApp(TENANT, CLIENT, SECRET);
        SchedulingProperties fast = GraphStackFixture.fastScheduling(writeBudget, Duration.ofSeconds(20));
        SchedulingProperties scheduling = new SchedulingProperties(fast.writeBudget(), fast.requestBudget(),
                fast.budgetWindow(), fast.maxAttempts(), fast.maxRequestAge(), fast.initialBackoff(),
                fast.maxBackoff(), fast.maxRetryAfter(), fast.circuitFailureRate(), fast.circuitWindow(),
                fast.circuitOpenDuration(), null, coalesceWindow, coalesceWindow.multipliedBy(10), maxBatchSize, true,
                null);
        stack = new GraphStackFixture(emulator, TENANT, CLIENT, SECRET, scheduling, strategy);
    }

    @AfterEach
    void stop() {
        stack.close();
        emulator.close();
    }

    private String policy() {
        String id = UUID.randomUUID().toString();
        emulator.addPolicy(TENANT, id, "policy");
        return id;
    }

    private static ReceivedRequest request(String policyId, AssignmentTarget target) {
        AssignmentRequest request = new AssignmentRequest("r-" + UUID.randomUUID(), TENANT, policyId, "test",
                target, AssignmentSource.DIRECT, null);
        return new ReceivedRequest(request, new RecordSource("t", 0, 0), Instant.now());
    }

    private static AssignmentTarget group(String groupId) {
        return new AssignmentTarget(TargetType.GROUP, groupId, null, null, FilterType.NONE);
    }

    private static List<Outcome> awaitAll(List<CompletableFuture<Outcome>> futures) throws Exception {
        List<Outcome> outcomes = new ArrayList<>();
        for (CompletableFuture<Outcome> future : futures) {
            outcomes.add(future.get(60, TimeUnit.SECONDS));
        }
        return outcomes;
    }

    private long assignCalls() {
        return emulator.stats().count(Operation.ASSIGN, 200);
    }

    /**
     * A partition revoked and given back to the same worker: requests aborted with the old assignment sit in the
     * same open batch as the partition's records read again. Only the former go back without an outcome.
     */
    @Test
    void writesTheOwnedRequestsOfABatchAndHandsBackTheAbortedOnes() throws Exception {
        start(Strategy.ASSIGN, 200);
        String policy = policy();
        String abortedGroup = UUID.randomUUID().toString();
        String ownedGroup = UUID.randomUUID().toString();
        AssignmentRequest aborted = request(policy, group(abortedGroup)).request();
        ReceivedRequest abortedWork = new ReceivedRequest(aborted, new RecordSource("t", 0, 1), Instant.now(),
                () -> WritePermit.Answer.WITHDRAWN);

        CompletableFuture<Handled> abortedAnswer = stack.scheduler.coalesce(abortedWork);
        CompletableFuture<Handled> ownedAnswer = stack.scheduler.coalesce(request(policy, group(ownedGroup)));

        assertThat(abortedAnswer.get(60, TimeUnit.SECONDS)).isInstanceOf(Handled.HandedBack.class);
        assertThat(ownedAnswer.get(60, TimeUnit.SECONDS)).isInstanceOfSatisfying(Handled.Answered.class,
                answered -> assertThat(answered.outcome()).isInstanceOf(Outcome.Created.class));
        assertThat(groupIds(emulator.assignments(TENANT, policy))).containsExactly(ownedGroup);
    }

    @Test
    void coalescesManyRequestsForAPolicyIntoFewWrites() throws Exception {
        start(Strategy.ASSIGN, 200);
        List<String> policies = List.of(policy(), policy(), policy());
        List<CompletableFuture<Outcome>> futures = new ArrayList<>();
        Map<String, Set<String>> wanted = new HashMap<>();
        for (int i = 0; i < 450; i++) {
            String policy = policies.get(i % policies.size());
            String groupId = UUID.randomUUID().toString();
            wanted.computeIfAbsent(policy, p -> new HashSet<>()).add(groupId);
            futures.add(stack.scheduler.assignCoalesced(request(policy, group(groupId))));
        }

        List<Outcome> outcomes = awaitAll(futures);

        assertThat(outcomes).allSatisfy(o -> assertThat(o).isInstanceOf(Outcome.Created.class));
        assertThat(outcomes).extracting(o -> ((Outcome.Created) o).alreadyExisted()).containsOnly(false);
        for (String policy : policies) {
            assertThat(groupIds(emulator.assignments(TENANT, policy))).isEqualTo(wanted.get(policy));
        }
        // 150 requests per policy, at most 200 per write: one write per policy, two if a window split them.
        assertThat(assignCalls()).isBetween(3L, 6L);
        assertThat(emulator.stats().count(Operation.CREATE, 201)).isZero();
        // Each answer carries the id Graph gave the assignment.
        Set<String> ids = new HashSet<>();
        policies.forEach(p -> emulator.assignments(TENANT, p).forEach(a -> ids.add(a.path("id").asString())));
        assertThat(outcomes).extracting(o -> ((Outcome.Created) o).assignmentId()).containsAll(ids)
                .doesNotHaveDuplicates();
    }

    @Test
    void splitsAPolicysRequestsIntoBatchesOfTheMaximumSize() throws Exception {
        start(Strategy.ASSIGN, 40);
        String policy = policy();
        List<CompletableFuture<Outcome>> futures = new ArrayList<>();
        for (int i = 0; i < 100; i++) {
            futures.add(stack.scheduler.assignCoalesced(request(policy, group(UUID.randomUUID().toString()))));
        }

        assertThat(awaitAll(futures)).allSatisfy(o -> assertThat(o).isInstanceOf(Outcome.Created.class));
        assertThat(emulator.assignments(TENANT, policy)).hasSize(100);
        assertThat(assignCalls()).isEqualTo(3);
    }

    @Test
    void keepsEveryExistingAssignmentExactlyAsItWas() throws Exception {
        start(Strategy.ASSIGN, 200);
        String policy = policy();
        String filter = UUID.randomUUID().toString();
        String policySet = UUID.randomUUID().toString();
        List<String> seeded = List.of(
                target("groupAssignmentTarget", "\"groupId\":\"" + UUID.randomUUID() + "\"", "direct", null),
                target("exclusionGroupAssignmentTarget", "\"groupId\":\"" + UUID.randomUUID() + "\"", "direct", null),
                target("allLicensedUsersAssignmentTarget", null, "direct", null),
                target("allDevicesAssignmentTarget", "\"deviceAndAppManagementAssignmentFilterId\":\"" + filter
                        + "\",\"deviceAndAppManagementAssignmentFilterType\":\"include\"", "direct", null),
                target("configurationManagerCollectionAssignmentTarget",
                        "\"collectionId\":\"MEM00042\"", "direct", null),
                target("groupAssignmentTarget", "\"groupId\":\"" + UUID.randomUUID() + "\"", "policySets", policySet));
        for (String assignment : seeded) {
            emulator.addAssignment(TENANT, policy, JSON.readTree(assignment));
        }
        List<JsonNode> before = emulator.assignments(TENANT, policy);
        List<CompletableFuture<Outcome>> futures = new ArrayList<>();
        for (int i = 0; i < 20; i++) {
            futures.add(stack.scheduler.assignCoalesced(request(policy, group(UUID.randomUUID().toString()))));
        }

        assertThat(awaitAll(futures)).allSatisfy(o -> assertThat(o).isInstanceOf(Outcome.Created.class));

        List<JsonNode> after = emulator.assignments(TENANT, policy);
        assertThat(after).hasSize(before.size() + 20);
        assertThat(after).containsAll(before);
        assertThat(emulator.duplicateAssignments(TENANT)).isZero();
    }

    @Test
    void answersTargetsThatWereThereAlreadyWithTheirExistingAssignment() throws Exception {
        start(Strategy.ASSIGN, 200);
        String policy = policy();
        String existingGroup = UUID.randomUUID().toString();
        emulator.addAssignment(TENANT, policy, JSON.readTree(
                target("groupAssignmentTarget", "\"groupId\":\"" + existingGroup + "\"", "direct", null)));
        String existingId = emulator.assignments(TENANT, policy).get(0).path("id").asString();
        String newGroup = UUID.randomUUID().toString();

        List<Outcome> outcomes = awaitAll(List.of(
                stack.scheduler.assignCoalesced(request(policy, group(existingGroup))),
                stack.scheduler.assignCoalesced(request(policy, group(newGroup))),
                stack.scheduler.assignCoalesced(request(policy, group(newGroup)))));

        Outcome.Created existing = (Outcome.Created) outcomes.get(0);
        Outcome.Created created = (Outcome.Created) outcomes.get(1);
        Outcome.Created repeated = (Outcome.Created) outcomes.get(2);
        assertThat(existing.alreadyExisted()).isTrue();
        assertThat(existing.assignmentId()).isEqualTo(existingId);
        assertThat(created.alreadyExisted()).isFalse();
        assertThat(repeated.alreadyExisted()).isTrue();
        assertThat(repeated.assignmentId()).isEqualTo(created.assignmentId());
        assertThat(emulator.assignments(TENANT, policy)).hasSize(2);
        assertThat(assignCalls()).isEqualTo(1);
    }

    @Test
    void failsOnlyTheTargetGraphRefusesAndWritesTheRestOfTheBatch() throws Exception {
        start(Strategy.ASSIGN, 200);
        String policy = policy();
        String missing = UUID.randomUUID().toString();
        emulator.tenant(TENANT).missingGroup(missing);
        List<String> groups = new ArrayList<>();
        List<CompletableFuture<Outcome>> futures = new ArrayList<>();
        for (int i = 0; i < 9; i++) {
            String groupId = i == 5 ? missing : UUID.randomUUID().toString();
            groups.add(groupId);
            futures.add(stack.scheduler.assignCoalesced(request(policy, group(groupId))));
        }

        List<Outcome> outcomes = awaitAll(futures);

        for (int i = 0; i < outcomes.size(); i++) {
            if (i == 5) {
                Outcome.Failed failed = (Outcome.Failed) outcomes.get(i);
                assertThat(failed.error().category()).isEqualTo(ErrorCategory.BAD_REQUEST);
                assertThat(failed.error().httpStatus()).isEqualTo(400);
                assertThat(failed.error().message()).contains(missing);
            } else {
                assertThat(outcomes.get(i)).isInstanceOf(Outcome.Created.class);
            }
        }
        Set<String> expected = new HashSet<>(groups);
        expected.remove(missing);
        assertThat(groupIds(emulator.assignments(TENANT, policy))).isEqualTo(expected);
    }

    @Test
    void sendsNoWriteOnceThePolicysPartitionIsNoLongerOwned() throws Exception {
        start(Strategy.ASSIGN, 200);
        String policy = policy();
        ReceivedRequest orphan = request(policy, group(UUID.randomUUID().toString()));
        ReceivedRequest revoked = new ReceivedRequest(orphan.request(), orphan.source(), orphan.receivedAt(),
                () -> WritePermit.Answer.WITHDRAWN);

        Handled handled = stack.scheduler.coalesce(revoked).get(30, TimeUnit.SECONDS);

        assertThat(handled).as("no outcome: the partition's next owner answers it")
                .isInstanceOf(Handled.HandedBack.class);
        assertThat(assignCalls()).isZero();
        assertThat(emulator.assignments(TENANT, policy)).isEmpty();
    }

    @Test
    void autoTenantMovesToAssignWhenTheCreateRouteIsRefused() throws Exception {
        start(Strategy.AUTO, 200);
        emulator.tenant(TENANT).createRouteRefused(true);
        String policy = policy();

        Handled routed = stack.scheduler.handle(request(policy, group(UUID.randomUUID().toString())))
                .get(30, TimeUnit.SECONDS);
        assertThat(routed).as("auto tenants are written by their policies' owners")
                .isEqualTo(new Handled.ToPolicyOwner(AssignmentScheduler.policyKey(TENANT, policy)));

        Outcome first = stack.scheduler.assignCoalesced(request(policy, group(UUID.randomUUID().toString())))
                .get(30, TimeUnit.SECONDS);
        Outcome second = stack.scheduler.assignCoalesced(request(policy, group(UUID.randomUUID().toString())))
                .get(30, TimeUnit.SECONDS);

        assertThat(first).isInstanceOf(Outcome.Created.class);
        assertThat(second).isInstanceOf(Outcome.Created.class);
        // The refusal was met once, by the first lone request, which then went by /assign as the second did.
        assertThat(emulator.stats().count(Operation.CREATE, 400)).isEqualTo(1);
        assertThat(assignCalls()).isEqualTo(2);
        assertThat(emulator.assignments(TENANT, policy)).hasSize(2);
        assertThat(stack.meters.get("intune.worker.strategy.switches").counter().count()).isEqualTo(1.0);
    }

    /**
     * A rollout's first seconds bring a lone request for each of many policies at once. Each refused create is a
     * write of the tenant's budget spent for nothing, so until the tenant has taken a create, one batch of creates
     * goes at a time and the others go by /assign: one refusal, not one per policy.
     */
    @Test
    void autoTenantSpendsOneRefusedCreateNotOnePerPolicy() throws Exception {
        start(Strategy.AUTO, 200);
        // Graph under load: the first refusal comes back only after the other policies' creates could have left.
        emulator.tenant(TENANT).createRouteRefused(true).latency(Duration.ofMillis(300), Duration.ZERO);
        List<CompletableFuture<Outcome>> lone = new ArrayList<>();
        List<String> policies = new ArrayList<>();
        for (int i = 0; i < 10; i++) {
            String policy = policy();
            policies.add(policy);
            lone.add(stack.scheduler.assignCoalesced(request(policy, group(UUID.randomUUID().toString()))));
        }

        assertThat(awaitAll(lone)).allSatisfy(o -> assertThat(o).isInstanceOf(Outcome.Created.class));
        assertThat(emulator.stats().count(Operation.CREATE, 400)).isEqualTo(1);
        assertThat(policies).allSatisfy(policy -> assertThat(emulator.assignments(TENANT, policy)).hasSize(1));
    }

    @Test
    void autoTenantCreatesALoneRequestAndCoalescesWhenMoreThanOneIsWaiting() throws Exception {
        start(Strategy.AUTO, 200);
        String policy = policy();

        Outcome alone = stack.scheduler.assignCoalesced(request(policy, group(UUID.randomUUID().toString())))
                .get(30, TimeUnit.SECONDS);
        assertThat(alone).isInstanceOf(Outcome.Created.class);
        assertThat(emulator.stats().count(Operation.CREATE, 201)).as("a lone request: one create").isEqualTo(1);
        assertThat(assignCalls()).isZero();

        List<CompletableFuture<Outcome>> together = new ArrayList<>();
        for (int i = 0; i < 50; i++) {
            together.add(stack.scheduler.assignCoalesced(request(policy, group(UUID.randomUUID().toString()))));
        }
        assertThat(awaitAll(together)).allSatisfy(o -> assertThat(o).isInstanceOf(Outcome.Created.class));
        assertThat(emulator.stats().count(Operation.CREATE, 201)).as("no create for a batch").isEqualTo(1);
        assertThat(assignCalls()).as("50 waiting together: one write").isEqualTo(1);
        assertThat(emulator.assignments(TENANT, policy)).hasSize(51);
        assertThat(emulator.duplicateAssignments(TENANT)).isZero();
    }

    @Test
    void autoTenantCreatesAFewWaitingRequestsWhenTheBudgetIsPlentifulAndCoalescesWhenItBinds() throws Exception {
        start(Strategy.AUTO, 200);
        String policy = policy();

        List<CompletableFuture<Outcome>> few = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            few.add(stack.scheduler.assignCoalesced(request(policy, group(UUID.randomUUID().toString()))));
        }
        assertThat(awaitAll(few)).allSatisfy(o -> assertThat(o).isInstanceOf(Outcome.Created.class));
        assertThat(emulator.stats().count(Operation.CREATE, 201))
                .as("three creates cost less than reading, writing and reading back the whole set").isEqualTo(3);
        assertThat(assignCalls()).isZero();

        stop();
        start(Strategy.AUTO, 200, 100); // Intune's budget, 100 writes per window: every write counts
        String tight = policy();
        List<CompletableFuture<Outcome>> many = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            many.add(stack.scheduler.assignCoalesced(request(tight, group(UUID.randomUUID().toString()))));
        }
        assertThat(awaitAll(many)).allSatisfy(o -> assertThat(o).isInstanceOf(Outcome.Created.class));
        assertThat(emulator.stats().count(Operation.CREATE, 201)).isZero();
        assertThat(assignCalls()).as("at Intune's budget: one write for all three").isEqualTo(1);
    }

    /**
     * Creates with the budget to spare: nothing read early would have joined a write, so the intake reads nearer
     * ({@link ReadAhead}). Once a write coalesces, far again; a lone create at Intune's budget keeps it far, as
     * the next requests may coalesce.
     */
    @Test
    void theIntakeReadsNearOnlyWhileWritesGoAsCreatesWithTheBudgetToSpare() throws Exception {
        start(Strategy.AUTO, 200);
        String policy = policy();
        assertThat(stack.scheduler.readAhead().far()).as("at start, as far as it may").isTrue();

        awaitAll(together(policy, 3));
        assertThat(emulator.stats().count(Operation.CREATE, 201)).isEqualTo(3);
        assertThat(stack.scheduler.readAhead().far()).as("three creates, budget to spare").isFalse();

        awaitAll(together(policy, 50));
        assertThat(assignCalls()).isEqualTo(1);
        assertThat(stack.scheduler.readAhead().far()).as("a write coalesced").isTrue();

        stop();
        start(Strategy.AUTO, 200, 100); // Intune's budget
        awaitAll(together(policy(), 1));
        assertThat(emulator.stats().count(Operation.CREATE, 201)).isEqualTo(1);
        assertThat(stack.scheduler.readAhead().far()).as("a lone create where every write counts").isTrue();
    }

    @Test
    void autoTenantWithRoomCoalescesOnlyWhenTheWaitingAreHalfTheSetItWouldCarry() throws Exception {
        // Each batch must be written as one: a window of 500 ms lets a slow machine submit all of it first.
        start(Strategy.AUTO, 200, 100_000, Duration.ofMillis(500));
        String policy = policy();
        for (int i = 0; i < 40; i++) {
            emulator.addAssignment(TENANT, policy, JSON.readTree(
                    "{\"@odata.type\":\"#microsoft.graph.deviceCompliancePolicyAssignment\",\"target\":{"
                            + "\"@odata.type\":\"#microsoft.graph.groupAssignmentTarget\",\"groupId\":\""
                            + UUID.randomUUID() + "\"},\"source\":\"direct\"}"));
        }

        awaitAll(together(policy, 10)); // the set is not known yet: one /assign reads it (50 held after)
        assertThat(assignCalls()).isEqualTo(1);

        assertThat(awaitAll(together(policy, 20))).allSatisfy(o -> assertThat(o).isInstanceOf(Outcome.Created.class));
        assertThat(emulator.stats().count(Operation.CREATE, 201))
                .as("20 waiting against 50 held: a create each carries less than the set read, written, read back")
                .isEqualTo(20);
        assertThat(assignCalls()).isEqualTo(1);

        assertThat(awaitAll(together(policy, 40))).allSatisfy(o -> assertThat(o).isInstanceOf(Outcome.Created.class));
        assertThat(assignCalls()).as("40 waiting against 70 held: one /assign").isEqualTo(2);
        assertThat(emulator.stats().count(Operation.CREATE, 201)).isEqualTo(20);
        assertThat(emulator.assignments(TENANT, policy)).hasSize(110);
        assertThat(emulator.duplicateAssignments(TENANT)).isZero();
    }

    private List<CompletableFuture<Outcome>> together(String policy, int count) {
        List<CompletableFuture<Outcome>> futures = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            futures.add(stack.scheduler.assignCoalesced(request(policy, group(UUID.randomUUID().toString()))));
        }
        return futures;
    }

    @Test
    void createTenantReportsTheRefusedRouteAsItsOutcome() throws Exception {
        start(Strategy.CREATE, 200);
        emulator.tenant(TENANT).createRouteRefused(true);

        Handled handled = stack.scheduler.handle(request(policy(), group(UUID.randomUUID().toString())))
                .get(30, TimeUnit.SECONDS);

        Outcome outcome = ((Handled.Answered) handled).outcome();
        assertThat(((Outcome.Failed) outcome).error().category()).isEqualTo(ErrorCategory.ROUTE_REFUSED);
    }

    private static String target(String type, String properties, String source, String sourceId) {
        return "{\"@odata.type\":\"#microsoft.graph.deviceCompliancePolicyAssignment\",\"target\":{\"@odata.type\":"
                + "\"#microsoft.graph." + type + "\"" + (properties == null ? "" : "," + properties) + "},"
                + "\"source\":\"" + source + "\"" + (sourceId == null ? "" : ",\"sourceId\":\"" + sourceId + "\"")
                + "}";
    }

    private static Set<String> groupIds(List<JsonNode> assignments) {
        Set<String> ids = new HashSet<>();
        assignments.forEach(a -> ids.add(a.path("target").path("groupId").asString()));
        return ids;
    }
}
