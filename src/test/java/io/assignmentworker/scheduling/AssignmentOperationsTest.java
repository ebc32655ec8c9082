package io.assignmentworker.scheduling;

import static io.assignmentworker.scheduling.AssignmentSchedulerTest.CLIENT;
import static io.assignmentworker.scheduling.AssignmentSchedulerTest.SECRET;
import static io.assignmentworker.scheduling.AssignmentSchedulerTest.TENANT;
import static org.assertj.core.api.Assertions.assertThat;

import io.assignmentworker.emulator.EmulatorSettings;
import io.assignmentworker.emulator.EmulatorStats;
import io.assignmentworker.emulator.GraphEmulator;
import io.assignmentworker.graph.Strategy;
import io.assignmentworker.outcome.ErrorCategory;
import io.assignmentworker.outcome.Outcome;
import io.assignmentworker.outcome.Outcome.Changed.Status;
import io.assignmentworker.outcome.RecordSource;
import io.assignmentworker.request.AssignmentRequest;
import io.assignmentworker.request.AssignmentSource;
import io.assignmentworker.request.AssignmentTarget;
import io.assignmentworker.request.FilterType;
import io.assignmentworker.request.Operation;
import io.assignmentworker.request.TargetType;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Removes and updates against the emulator over https: written with the policy's coalesced {@code /assign},
 * changing exactly what was asked and nothing else, answered with what Graph holds after the write.
 */
class AssignmentOperationsTest {

    private static final JsonMapper JSON = JsonMapper.builder().build();
    private static final String FILTER = "3c2b1a09-8f7e-4d6c-9b5a-4e3d2c1b0a99";

    private GraphEmulator emulator;
    private GraphStackFixture stack;

    private void start(Strategy strategy) {
        start(strategy, EmulatorSettings.defaults().withWriteBudget(100_000).withRequestBudget(1_000_000)
                .withPageSize(50));
    }

    private void start(Strategy strategy, EmulatorSettings settings) {
        emulator = GraphEmulator.start(settings);
        emulator.registerApp(TENANT, CLIENT, SECRET);
        SchedulingProperties fast = GraphStackFixture.fastScheduling(100_000, Duration.ofSeconds(20));
        SchedulingProperties scheduling = new SchedulingProperties(fast.writeBudget(), fast.requestBudget(),
                fast.budgetWindow(), fast.maxAttempts(), fast.maxRequestAge(), fast.initialBackoff(),
                fast.maxBackoff(), fast.maxRetryAfter(), fast.circuitFailureRate(), fast.circuitWindow(),
                fast.circuitOpenDuration(), null, Duration.ofMillis(100), Duration.ofSeconds(1), 200, true, null);
        stack = new GraphStackFixture(emulator, TENANT, CLIENT, SECRET, scheduling, strategy);
    }

    @AfterEach
    void stop() {
        stack.close();
        emulator.close();
    }

    @Test
    void removesExactlyTheNamedAssignmentsAndKeepsEverythingElseAsItWas() throws Exception {
        start(Strategy.AUTO);
        String policy = policy();
        String gone1 = UUID.randomUUID().toString();
        String gone2 = UUID.randomUUID().toString();
        seed(policy, include(gone1));
        seed(policy, exclude(gone2));
        seed(policy, include(UUID.randomUUID().toString()));
        seed(policy, "{\"@odata.type\":\"#microsoft.graph.deviceCompliancePolicyAssignment\",\"target\":{"
                + "\"@odata.type\":\"#microsoft.graph.allDevicesAssignmentTarget\","
                + "\"deviceAndAppManagementAssignmentFilterId\":\"" + FILTER + "\","
                + "\"deviceAndAppManagementAssignmentFilterType\":\"include\"},\"source\":\"direct\"}");
        seed(policy, "{\"@odata.type\":\"#microsoft.graph.deviceCompliancePolicyAssignment\",\"target\":{"
                + "\"@odata.type\":\"#microsoft.graph.groupAssignmentTarget\",\"groupId\":\"" + UUID.randomUUID()
                + "\"},\"source\":\"policySets\",\"sourceId\":\"" + UUID.randomUUID() + "\"}");
        List<JsonNode> before = emulator.assignments(TENANT, policy);
        JsonNode removed1 = find(before, gone1);
        JsonNode removed2 = find(before, gone2);

        List<Outcome> outcomes = awaitAll(
                send(policy, Operation.REMOVE, group(TargetType.GROUP, gone1, null)),
                send(policy, Operation.REMOVE, group(TargetType.EXCLUSION_GROUP, gone2, null)),
                send(policy, Operation.REMOVE, group(TargetType.GROUP, UUID.randomUUID().toString(), null)));

        assertChanged(outcomes.get(0), Status.REMOVED);
        assertChanged(outcomes.get(1), Status.REMOVED);
        assertChanged(outcomes.get(2), Status.UNCHANGED);
        Outcome.Changed first = (Outcome.Changed) outcomes.get(0);
        assertThat(first.assignment()).isNull();
        assertThat(first.previous()).isEqualTo(removed1);
        assertThat(first.assignmentId()).isEqualTo(removed1.path("id").asString());
        assertThat(((Outcome.Changed) outcomes.get(1)).previous()).isEqualTo(removed2);
        assertThat(((Outcome.Changed) outcomes.get(2)).assignmentId()).isNull();
        List<JsonNode> expected = new ArrayList<>(before);
        expected.remove(removed1);
        expected.remove(removed2);
        assertThat(emulator.assignments(TENANT, policy)).containsExactlyInAnyOrderElementsOf(expected);
        assertThat(assignCalls()).isEqualTo(1);
    }

    @Test
    void neverRemovesASubjectAssignedWithAnotherIntentOrFilter() throws Exception {
        start(Strategy.AUTO);
        String policy = policy();
        String groupId = UUID.randomUUID().toString();
        seed(policy, "{\"@odata.type\":\"#microsoft.graph.deviceCompliancePolicyAssignment\",\"target\":{"
                + "\"@odata.type\":\"#microsoft.graph.groupAssignmentTarget\",\"groupId\":\"" + groupId + "\","
                + "\"deviceAndAppManagementAssignmentFilterId\":\"" + FILTER + "\","
                + "\"deviceAndAppManagementAssignmentFilterType\":\"include\"},\"source\":\"direct\"}");
        List<JsonNode> before = emulator.assignments(TENANT, policy);

        List<Outcome> outcomes = awaitAll(
                send(policy, Operation.REMOVE, group(TargetType.GROUP, groupId, null)),
                send(policy, Operation.REMOVE, group(TargetType.EXCLUSION_GROUP, groupId, FILTER)));

        assertThat(outcomes).allSatisfy(outcome -> assertThat(outcome).isInstanceOfSatisfying(Outcome.Failed.class,
                failed -> {
                    assertThat(failed.error().category()).isEqualTo(ErrorCategory.CONFLICT);
                    assertThat(failed.error().message()).contains("nothing was removed");
                    assertThat(failed.operation()).isEqualTo(Operation.REMOVE);
                }));
        assertThat(emulator.assignments(TENANT, policy)).isEqualTo(before);
        assertThat(assignCalls()).isZero();
    }

    @Test
    void updatesTheIntentOrFilterOfAnExistingAssignmentOnly() throws Exception {
        start(Strategy.AUTO);
        String policy = policy();
        String filtered = UUID.randomUUID().toString();
        String flipped = UUID.randomUUID().toString();
        String untouched = UUID.randomUUID().toString();
        seed(policy, include(filtered));
        seed(policy, include(flipped));
        seed(policy, include(untouched));
        List<JsonNode> before = emulator.assignments(TENANT, policy);

        List<Outcome> outcomes = awaitAll(
                send(policy, Operation.UPDATE, group(TargetType.GROUP, filtered, FILTER)),
                send(policy, Operation.UPDATE, group(TargetType.EXCLUSION_GROUP, flipped, null)),
                send(policy, Operation.UPDATE, group(TargetType.GROUP, untouched, null)),
                send(policy, Operation.UPDATE, group(TargetType.GROUP, UUID.randomUUID().toString(), null)));

        assertChanged(outcomes.get(0), Status.UPDATED);
        assertChanged(outcomes.get(1), Status.UPDATED);
        assertChanged(outcomes.get(2), Status.UNCHANGED);
        assertThat(outcomes.get(3)).isInstanceOfSatisfying(Outcome.Failed.class, failed ->
                assertThat(failed.error().code()).isEqualTo("SubjectNotAssigned"));
        Outcome.Changed filter = (Outcome.Changed) outcomes.get(0);
        assertThat(filter.previous()).isEqualTo(find(before, filtered));
        assertThat(filter.assignment().path("target").path("deviceAndAppManagementAssignmentFilterId").asString())
                .isEqualTo(FILTER);
        List<JsonNode> after = emulator.assignments(TENANT, policy);
        assertThat(find(after, filtered).path("target").path("deviceAndAppManagementAssignmentFilterType")
                .asString()).isEqualTo("include");
        assertThat(find(after, flipped).path("target").path("@odata.type").asString())
                .isEqualTo("#microsoft.graph.exclusionGroupAssignmentTarget");
        assertThat(find(after, untouched)).isEqualTo(find(before, untouched));
        assertThat(filter.assignment()).isEqualTo(find(after, filtered));
        assertThat(after).hasSize(3);
        assertThat(assignCalls()).isEqualTo(1);
    }

    @Test
    void anUpdateWithAnExpectedAssignmentChangesNothingSomeoneChangedSince() throws Exception {
        start(Strategy.AUTO);
        String policy = policy();
        String groupId = UUID.randomUUID().toString();
        seed(policy, exclude(groupId));
        List<JsonNode> before = emulator.assignments(TENANT, policy);
        AssignmentRequest update = new AssignmentRequest("r-" + UUID.randomUUID(), TENANT, policy, "rollback",
                group(TargetType.GROUP, groupId, FILTER), AssignmentSource.DIRECT, null, Operation.UPDATE,
                group(TargetType.GROUP, groupId, null));

        Outcome outcome = stack.scheduler.assignCoalesced(received(update)).get(60, TimeUnit.SECONDS);

        assertThat(outcome).isInstanceOfSatisfying(Outcome.Failed.class, failed -> {
            assertThat(failed.error().category()).isEqualTo(ErrorCategory.CONFLICT);
            assertThat(failed.error().code()).isEqualTo("AssignmentChangedSince");
        });
        assertThat(emulator.assignments(TENANT, policy)).isEqualTo(before);
    }

    /**
     * A create, a remove and a create again of one subject in the same batch: each takes effect in turn, and each
     * outcome says what Graph held after it, never a creation that a later removal in the same write undid.
     */
    @Test
    void appliesTheRequestsOfOneSubjectInTheOrderTheyCame() throws Exception {
        start(Strategy.ASSIGN);
        String policy = policy();
        String groupId = UUID.randomUUID().toString();
        String other = UUID.randomUUID().toString();
        AssignmentTarget target = group(TargetType.GROUP, groupId, null);

        List<Outcome> outcomes = awaitAll(
                send(policy, Operation.CREATE, target),
                send(policy, Operation.CREATE, group(TargetType.GROUP, other, null)),
                send(policy, Operation.REMOVE, target),
                send(policy, Operation.CREATE, target),
                send(policy, Operation.UPDATE, group(TargetType.GROUP, groupId, FILTER)));

        assertThat(outcomes.get(0)).isInstanceOfSatisfying(Outcome.Created.class,
                created -> assertThat(created.alreadyExisted()).isFalse());
        assertThat(outcomes.get(1)).isInstanceOf(Outcome.Created.class);
        assertChanged(outcomes.get(2), Status.REMOVED);
        assertThat(outcomes.get(3)).isInstanceOfSatisfying(Outcome.Created.class,
                created -> assertThat(created.alreadyExisted()).isFalse());
        assertChanged(outcomes.get(4), Status.UPDATED);
        List<JsonNode> after = emulator.assignments(TENANT, policy);
        assertThat(after).hasSize(2);
        assertThat(find(after, groupId).path("target").path("deviceAndAppManagementAssignmentFilterId").asString())
                .isEqualTo(FILTER);
        assertThat(assignCalls()).isEqualTo(4);
        assertThat(emulator.duplicateAssignments(TENANT)).isZero();
    }

    @Test
    void writesAPolicysCreatesRemovesAndUpdatesWithOneAssign() throws Exception {
        start(Strategy.AUTO);
        String policy = policy();
        List<String> seeded = new ArrayList<>();
        for (int i = 0; i < 6; i++) {
            seeded.add(UUID.randomUUID().toString());
            seed(policy, include(seeded.get(i)));
        }
        List<CompletableFuture<Outcome>> futures = new ArrayList<>();
        for (int i = 0; i < 10; i++) {
            futures.add(send(policy, Operation.CREATE, group(TargetType.GROUP, UUID.randomUUID().toString(), null)));
        }
        futures.add(send(policy, Operation.REMOVE, group(TargetType.GROUP, seeded.get(0), null)));
        futures.add(send(policy, Operation.REMOVE, group(TargetType.GROUP, seeded.get(1), null)));
        futures.add(send(policy, Operation.UPDATE, group(TargetType.GROUP, seeded.get(2), FILTER)));

        List<Outcome> outcomes = awaitAll(futures.toArray(CompletableFuture[]::new));

        assertThat(outcomes.subList(0, 10)).allSatisfy(o -> assertThat(o).isInstanceOf(Outcome.Created.class));
        assertChanged(outcomes.get(10), Status.REMOVED);
        assertChanged(outcomes.get(11), Status.REMOVED);
        assertChanged(outcomes.get(12), Status.UPDATED);
        assertThat(emulator.assignments(TENANT, policy)).hasSize(6 + 10 - 2);
        assertThat(assignCalls()).isEqualTo(1);
        assertThat(emulator.stats().count(EmulatorStats.Operation.CREATE, 201)).isZero();
    }

    /**
     * A write refused (429) changed nothing: an administrator who creates the same assignment before the retry
     * created it, not the worker. The outcome says it was already there, and so the ledger records no change for
     * a rollback to undo.
     */
    @Test
    void anAssignmentSomeoneElseCreatesWhileARefusedWriteWaitsIsNotClaimed() throws Exception {
        start(Strategy.ASSIGN, EmulatorSettings.defaults().withWriteBudget(1).withRequestBudget(1_000_000)
                .toBuilder().budgetWindow(Duration.ofSeconds(2)).build());
        String policy = policy();
        String group = UUID.randomUUID().toString();
        assertThat(awaitAll(send(policy(), Operation.CREATE, group(TargetType.GROUP, UUID.randomUUID().toString(),
                null)))).singleElement().isInstanceOf(Outcome.Created.class);

        CompletableFuture<Outcome> asked = send(policy, Operation.CREATE, group(TargetType.GROUP, group, null));
        org.awaitility.Awaitility.await().atMost(Duration.ofSeconds(30))
                .until(() -> emulator.stats().count(EmulatorStats.Operation.ASSIGN, 429) > 0);
        seed(policy, include(group));
        emulator.tenant(TENANT).writeBudget(100_000);

        assertThat(asked.get(60, TimeUnit.SECONDS)).isInstanceOfSatisfying(Outcome.Created.class,
                created -> assertThat(created.alreadyExisted()).isTrue());
        assertThat(emulator.assignments(TENANT, policy)).hasSize(1);
    }

    @Test
    void refusesRemovesAndUpdatesInATenantWrittenWithCreates() throws Exception {
        start(Strategy.CREATE);
        String policy = policy();
        String groupId = UUID.randomUUID().toString();
        seed(policy, include(groupId));
        AssignmentRequest remove = new AssignmentRequest("r-1", TENANT, policy, null,
                group(TargetType.GROUP, groupId, null), AssignmentSource.DIRECT, null, Operation.REMOVE, null);

        Handled handled = stack.scheduler.handle(received(remove)).get(60, TimeUnit.SECONDS);

        assertThat(handled).isInstanceOfSatisfying(Handled.Answered.class, answered ->
                assertThat(answered.outcome()).isInstanceOfSatisfying(Outcome.Failed.class, failed -> {
                    assertThat(failed.error().code()).isEqualTo("OperationNeedsAssign");
                    assertThat(failed.error().message()).contains("WORKER_GRAPH_STRATEGY");
                }));
        assertThat(emulator.assignments(TENANT, policy)).hasSize(1);
    }

    private String policy() {
        String id = UUID.randomUUID().toString();
        emulator.addPolicy(TENANT, id, "policy");
        return id;
    }

    private void seed(String policy, String assignment) {
        emulator.addAssignment(TENANT, policy, JSON.readTree(assignment));
    }

    private static String include(String groupId) {
        return "{\"@odata.type\":\"#microsoft.graph.deviceCompliancePolicyAssignment\",\"target\":{\"@odata.type\":"
                + "\"#microsoft.graph.groupAssignmentTarget\",\"groupId\":\"" + groupId + "\"},\"source\":\"direct\"}";
    }

    private static String exclude(String groupId) {
        return include(groupId).replace("groupAssignmentTarget", "exclusionGroupAssignmentTarget");
    }

    private static AssignmentTarget group(TargetType type, String groupId, String filterId) {
        return new AssignmentTarget(type, groupId, null, filterId, filterId == null ? FilterType.NONE
                : FilterType.INCLUDE);
    }

    private CompletableFuture<Outcome> send(String policy, Operation operation, AssignmentTarget target) {
        AssignmentRequest request = new AssignmentRequest("r-" + UUID.randomUUID(), TENANT, policy, "test", target,
                AssignmentSource.DIRECT, null, operation, null);
        return stack.scheduler.assignCoalesced(received(request));
    }

    private static ReceivedRequest received(AssignmentRequest request) {
        return new ReceivedRequest(request, new RecordSource("t", 0, 0), Instant.now());
    }

    @SafeVarargs
    private static List<Outcome> awaitAll(CompletableFuture<Outcome>... futures) throws Exception {
        List<Outcome> outcomes = new ArrayList<>();
        for (CompletableFuture<Outcome> future : futures) {
            outcomes.add(future.get(60, TimeUnit.SECONDS));
        }
        return outcomes;
    }

    private static void assertChanged(Outcome outcome, Status status) {
        assertThat(outcome).isInstanceOfSatisfying(Outcome.Changed.class,
                changed -> assertThat(changed.status()).isEqualTo(status));
    }

    private static JsonNode find(List<JsonNode> assignments, String groupId) {
        return assignments.stream().filter(a -> groupId.equals(a.path("target").path("groupId").asString(null)))
                .findFirst().orElseThrow(() -> new AssertionError("no assignment for group " + groupId));
    }

    private long assignCalls() {
        return emulator.stats().count(EmulatorStats.Operation.ASSIGN, 200);
    }
}
