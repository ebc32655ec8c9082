package io.assignmentworker.process;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.assignmentworker.emulator.EmulatorSettings;
import io.assignmentworker.emulator.EmulatorStats;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.extension.RegisterExtension;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

/**
 * What admins fear most from a bulk tool that writes with {@code /assign} (which replaces a policy's whole set):
 * that it deletes or changes what it was not asked to, or reports what Graph does not hold. A packaged worker on a
 * real broker against the emulator, with an administrator working on the same policies meanwhile.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class TrustIT {

    static {
        QuietConsole.apply();
    }

    private static final JsonMapper JSON = JsonMapper.builder().build();
    private static final Duration RUN = Duration.ofSeconds(120);
    /** Emulator budgets that never bind: the worker's own budget is what these tests tighten. */
    private static final int GRAPH_BUDGET = 100_000;

    @RegisterExtension
    static final FailureLogs logs = new FailureLogs();

    @RegisterExtension
    static final ClassBroker broker = new ClassBroker("trust-broker", logs);

    private GraphFixture graph;
    private Scenario scenario;

    @AfterEach
    void stopScenario() throws Exception {
        Teardown.closeAll(scenario, graph);
    }

    /**
     * A tight write budget makes every batch wait seconds for its write slot. An administrator adds an assignment
     * shortly after each read of the policy: a worker that wrote what it read before waiting would delete it.
     */
    @Test
    void anAdministratorsAssignmentsAddedDuringATightBudgetAreNeverWrittenOver() throws Exception {
        graph = GraphFixture.start(EmulatorSettings.defaults().withWriteBudget(GRAPH_BUDGET)
                .withRequestBudget(GRAPH_BUDGET * 10).withLatency(Duration.ofMillis(5), Duration.ofMillis(2)));
        graph.emulator().tenant(GraphFixture.TENANT).createRouteRefused(true);
        String policy = graph.addPolicies(1).get(0);
        List<PlannedRequest> plan = Rollout.mixed("gap", GraphFixture.TENANT, List.of(policy), 40);
        // One write per 3 s: each batch waits up to 3 s after the previous write for its slot, so a batch that read
        // first would write over the administrator's addition a second after that read. (With several writes per
        // window, the pacing may send them back to back, and the next batch's read-to-write gap could itself take
        // in an addition meant for the last read: no worker can see an assignment added between its read and its
        // write, as Graph has no ETag.)
        scenario = new Scenario(broker.process(), graph, TopicNames.unique("gap"), 1, logs,
                Map.of("WORKER_GRAPH_STRATEGY", "assign", "WORKER_SCHEDULING_BUDGET_WINDOW", "3s"));
        WorkerProcess worker = scenario.startWorker("gap-worker");

        List<Target> added = new CopyOnWriteArrayList<>();
        AtomicBoolean done = new AtomicBoolean();
        Thread administrator = new Thread(() -> addAfterEachRead(policy, added, done), "administrator");
        administrator.setDaemon(true);
        administrator.start();
        for (int i = 0; i < plan.size(); i += 10) {
            scenario.publish(plan.subList(i, i + 10));
            scenario.awaitAnswered(plan, i + 1, RUN);
        }
        scenario.awaitAnswered(plan, plan.size(), RUN);
        done.set(true);
        administrator.join();
        scenario.awaitAllCommitted(RUN);

        Set<String> present = new HashSet<>();
        graph.assignments(policy).forEach(a -> present.add(Target.keyOf(a.path("target"))));
        List<Target> lost = added.stream().filter(target -> !present.contains(target.key())).toList();
        report("read-to-write gap: %d administrator assignments added during %d requests (%d /assign calls); "
                        + "%d lost; read-to-write gap count %.0f, sum %.3f s", added.size(), plan.size(),
                graph.emulator().stats().count(EmulatorStats.Operation.ASSIGN), lost.size(),
                worker.counter("intune_worker_assign_read_to_write_seconds_count"),
                worker.counter("intune_worker_assign_read_to_write_seconds_sum"));
        assertThat(added).as("assignments the administrator added while the rollout ran").hasSizeGreaterThanOrEqualTo(2);
        assertThat(lost).as("administrator assignments the worker's /assign wrote over").isEmpty();
        Set<String> foreign = new HashSet<>();
        added.forEach(target -> foreign.add(policy + "/" + target.key()));
        ExactlyOnceAudit.of(plan, scenario.committedResults(), graph, foreign).assertExactlyOnce();
        assertThat(worker.counter("intune_worker_assign_read_to_write_seconds_count"))
                .as("writes whose read-to-write gap was measured").isPositive();
    }

    /** Plays the administrator: a second after each time the worker lists the policy, assigns one more group. */
    private void addAfterEachRead(String policy, List<Target> added, AtomicBoolean done) {
        long lists = 0;
        while (!done.get() && added.size() < 12) {
            long now = graph.emulator().stats().count(EmulatorStats.Operation.LIST);
            if (now > lists) {
                lists = now;
                pause(Duration.ofSeconds(1));
                Target target = Target.group(Rollout.guid());
                graph.emulator().addAssignment(GraphFixture.TENANT, policy, assignment(target));
                added.add(target);
                lists = graph.emulator().stats().count(EmulatorStats.Operation.LIST);
            }
            pause(Duration.ofMillis(5));
        }
    }

    /**
     * Requests for targets the policies already assign differently (another filter, the other intent) are
     * answered CONFLICT naming the existing assignment, which stays as it was; the rest of their batch is written.
     */
    @Test
    void requestsForSubjectsAssignedDifferentlyAreConflictsAndTheRestIsWritten() throws Exception {
        graph = GraphFixture.start(EmulatorSettings.defaults().withWriteBudget(GRAPH_BUDGET)
                .withRequestBudget(GRAPH_BUDGET * 10));
        graph.emulator().tenant(GraphFixture.TENANT).createRouteRefused(true);
        List<String> policies = graph.addPolicies(2);
        PreExistingAssignments seeded = PreExistingAssignments.seed(graph, policies);
        List<PlannedRequest> plan = new ArrayList<>(Rollout.mixedWithoutEveryone("conflict", GraphFixture.TENANT, policies, 40));
        List<PlannedRequest> conflicting = new ArrayList<>();
        for (String policy : policies) {
            Target existing = seeded.existingTarget(policy);
            conflicting.add(new PlannedRequest("conflict-filter-" + policy, GraphFixture.TENANT, policy,
                    existing.filtered(Rollout.guid(), "include")));
            conflicting.add(new PlannedRequest("conflict-intent-" + policy, GraphFixture.TENANT, policy,
                    Target.exclusionGroup(existing.groupId())));
            conflicting.add(new PlannedRequest("conflict-all-devices-" + policy, GraphFixture.TENANT, policy,
                    Target.allDevices().filtered(Rollout.guid(), "exclude")));
        }
        for (int i = 0; i < conflicting.size(); i++) {
            plan.add(1 + i * 7, conflicting.get(i));
        }
        scenario = new Scenario(broker.process(), graph, TopicNames.unique("conflict"), GRAPH_BUDGET, logs,
                Map.of("WORKER_GRAPH_STRATEGY", "assign"));
        scenario.startWorker("conflict-worker");

        scenario.publish(plan);
        scenario.awaitAnswered(plan, plan.size(), RUN);
        scenario.awaitAllCommitted(RUN);

        List<JsonNode> results = scenario.committedResults();
        Set<String> conflictIds = new HashSet<>();
        conflicting.forEach(r -> conflictIds.add(r.requestId()));
        List<JsonNode> conflictResults = results.stream()
                .filter(r -> conflictIds.contains(r.path("requestId").asString(""))).toList();
        report("conflicts: %d requests, %d for subjects assigned differently: %s", plan.size(), conflicting.size(),
                conflictResults.stream().map(ExactlyOnceAudit::summary).toList());
        assertThat(conflictResults).hasSize(conflicting.size()).allSatisfy(result -> {
            assertThat(result.path("status").asString()).isEqualTo("FAILED");
            assertThat(result.path("error").path("category").asString()).isEqualTo("CONFLICT");
            assertThat(result.path("error").path("message").asString()).contains(result.path("policyId").asString());
        });
        for (PlannedRequest request : conflicting.stream().filter(r -> r.requestId().startsWith("conflict-filter"))
                .toList()) {
            JsonNode result = conflictResults.stream()
                    .filter(r -> r.path("requestId").asString().equals(request.requestId())).findFirst().orElseThrow();
            assertThat(result.path("error").path("message").asString())
                    .as("the conflict names the existing assignment").contains(seeded.existingId(request.policyId()));
        }
        assertThat(seeded.lostOrChanged(graph)).as("pre-existing assignments lost or changed").isEmpty();
        List<PlannedRequest> rest = plan.stream().filter(r -> !conflictIds.contains(r.requestId())).toList();
        List<JsonNode> restResults = results.stream()
                .filter(r -> !conflictIds.contains(r.path("requestId").asString(""))).toList();
        ExactlyOnceAudit.of(rest, restResults, graph, seeded.keys()).assertExactlyOnce();
    }

    /**
     * Graph's list replies go wrong in the middle of a rollout: a reply without its {@code value} array, a later
     * page that fails, a next link that cannot be followed. None of them is "the policy has no assignments":
     * every pre-existing assignment survives the {@code /assign} writes.
     */
    @Test
    void incompleteListRepliesNeverDeleteAnything() throws Exception {
        graph = GraphFixture.start(EmulatorSettings.defaults().withWriteBudget(GRAPH_BUDGET)
                .withRequestBudget(GRAPH_BUDGET * 10).withPageSize(3));
        graph.emulator().tenant(GraphFixture.TENANT).createRouteRefused(true);
        List<String> policies = graph.addPolicies(2);
        PreExistingAssignments seeded = PreExistingAssignments.seed(graph, policies);
        List<PlannedRequest> plan = Rollout.mixedWithoutEveryone("lists", GraphFixture.TENANT, policies, 60);
        scenario = new Scenario(broker.process(), graph, TopicNames.unique("lists"), GRAPH_BUDGET, logs,
                Map.of("WORKER_GRAPH_STRATEGY", "assign", "WORKER_SCHEDULING_MAX_BATCH_SIZE", "5",
                        "WORKER_SCHEDULING_INITIAL_BACKOFF", "100ms"));
        WorkerProcess worker = scenario.startWorker("lists-worker");
        // One kind of fault at a time, each on the next three list replies, so none masks another.
        List<Runnable> faults = List.of(
                () -> graph.emulator().tenant(GraphFixture.TENANT).listWithoutValue(3),
                () -> graph.emulator().tenant(GraphFixture.TENANT).brokenNextLink(3),
                () -> graph.emulator().tenant(GraphFixture.TENANT).failNextPage(3));
        for (int phase = 0; phase < faults.size(); phase++) {
            faults.get(phase).run();
            List<PlannedRequest> part = plan.subList(phase * 20, phase * 20 + 20);
            scenario.publish(part);
            scenario.awaitAnswered(part, part.size(), RUN);
        }
        scenario.awaitAllCommitted(RUN);

        EmulatorStats stats = graph.emulator().stats();
        report("incomplete lists: %d requests; injected %s; retries %.0f", plan.size(), stats.injected(),
                worker.counter("intune_worker_graph_retries_total"));
        assertThat(stats.injected(EmulatorStats.InjectedFault.LIST_WITHOUT_VALUE)).isEqualTo(3);
        assertThat(stats.injected(EmulatorStats.InjectedFault.FAILED_NEXT_PAGE)).isEqualTo(3);
        assertThat(stats.injected(EmulatorStats.InjectedFault.BROKEN_NEXT_LINK)).isEqualTo(3);
        assertThat(seeded.lostOrChanged(graph)).as("pre-existing assignments lost or changed").isEmpty();
        ExactlyOnceAudit.of(plan, scenario.committedResults(), graph, seeded.keys()).assertExactlyOnce();
    }

    /**
     * An administrator removes assignments the worker has seen, then a request asks for them again: the worker
     * creates them again (never a false {@code alreadyExisted}), and one still there is answered with its id.
     */
    @Test
    void targetsRemovedBehindTheWorkersBackAreCreatedAgain() throws Exception {
        graph = GraphFixture.start(EmulatorSettings.defaults().withWriteBudget(GRAPH_BUDGET)
                .withRequestBudget(GRAPH_BUDGET * 10));
        String policy = graph.addPolicies(1).get(0);
        PreExistingAssignments seeded = PreExistingAssignments.seed(graph, List.of(policy));
        scenario = new Scenario(broker.process(), graph, TopicNames.unique("removed"), GRAPH_BUDGET, logs,
                Map.of("WORKER_GRAPH_STRATEGY", "create", "WORKER_GRAPH_MAX_READ_AGE", "1s"));
        scenario.startWorker("removed-worker");
        Target created = Target.group(Rollout.guid());
        Target kept = Target.exclusionGroup(Rollout.guid());
        List<PlannedRequest> first = List.of(
                new PlannedRequest("removed-first", GraphFixture.TENANT, policy, created),
                new PlannedRequest("kept-first", GraphFixture.TENANT, policy, kept));
        scenario.publish(first);
        scenario.awaitAnswered(first, first.size(), RUN);
        String createdId = resultOf("removed-first").path("assignmentId").asString();
        String keptId = resultOf("kept-first").path("assignmentId").asString();

        // The administrator removes what the worker created and an assignment the policy had before; the worker's
        // copy of the policy says both exist. Once that copy is older than max-read-age, requests come again.
        assertThat(graph.emulator().removeAssignment(GraphFixture.TENANT, policy, createdId)).isTrue();
        assertThat(graph.emulator().removeAssignment(GraphFixture.TENANT, policy, seeded.existingId(policy)))
                .isTrue();
        long removedAt = System.nanoTime();
        await("the worker's read of the policy is older than max-read-age").pollDelay(Duration.ofMillis(100))
                .until(() -> System.nanoTime() - removedAt > Duration.ofMillis(1_500).toNanos());
        List<PlannedRequest> again = List.of(
                new PlannedRequest("removed-again", GraphFixture.TENANT, policy, created),
                new PlannedRequest("seeded-again", GraphFixture.TENANT, policy, seeded.existingTarget(policy)),
                new PlannedRequest("kept-again", GraphFixture.TENANT, policy, kept));
        scenario.publish(again);
        scenario.awaitAnswered(again, again.size(), RUN);
        scenario.awaitAllCommitted(RUN);

        report("removed behind the worker's back: %s", again.stream()
                .map(r -> ExactlyOnceAudit.summary(resultOf(r.requestId()))).toList());
        for (String requestId : List.of("removed-again", "seeded-again")) {
            JsonNode result = resultOf(requestId);
            assertThat(result.path("status").asString()).as(requestId).isEqualTo("CREATED");
            assertThat(result.path("alreadyExisted").asBoolean()).as(requestId + " alreadyExisted").isFalse();
        }
        JsonNode keptAgain = resultOf("kept-again");
        assertThat(keptAgain.path("alreadyExisted").asBoolean()).as("kept-again alreadyExisted").isTrue();
        assertThat(keptAgain.path("assignmentId").asString()).isEqualTo(keptId);
        Set<String> held = new HashSet<>();
        graph.assignments(policy).forEach(a -> held.add(a.path("id").asString()));
        for (String requestId : List.of("removed-again", "seeded-again", "kept-again")) {
            assertThat(held).as("Graph holds what " + requestId + " names")
                    .contains(resultOf(requestId).path("assignmentId").asString());
        }
        assertThat(graph.duplicateAssignments()).as("attempts to assign a subject twice").isZero();
    }

    /**
     * An {@code /assign} loses an assignment the policy had (the emulator drops one entry of the set, as another
     * writer's removal landing right after the write would): the worker's read-back notices, writes it back at
     * once and counts the repair.
     */
    @Test
    void anAssignmentLostByAnAssignIsWrittenBackAtOnce() throws Exception {
        graph = GraphFixture.start(EmulatorSettings.defaults().withWriteBudget(GRAPH_BUDGET)
                .withRequestBudget(GRAPH_BUDGET * 10));
        graph.emulator().tenant(GraphFixture.TENANT).createRouteRefused(true).assignDropsExisting(2);
        List<String> policies = graph.addPolicies(2);
        PreExistingAssignments seeded = PreExistingAssignments.seed(graph, policies);
        List<PlannedRequest> plan = Rollout.mixedWithoutEveryone("repair", GraphFixture.TENANT, policies, 40);
        scenario = new Scenario(broker.process(), graph, TopicNames.unique("repair"), GRAPH_BUDGET, logs,
                Map.of("WORKER_GRAPH_STRATEGY", "assign"));
        WorkerProcess worker = scenario.startWorker("repair-worker");

        scenario.publish(plan);
        scenario.awaitAnswered(plan, plan.size(), RUN);
        scenario.awaitAllCommitted(RUN);

        double repairs = worker.counter("intune_worker_assign_repairs_total");
        report("repairs: %d requests, %d entries dropped by the emulator, %.0f repaired, %.0f unrepaired",
                plan.size(), graph.emulator().stats().injected(EmulatorStats.InjectedFault.ASSIGN_DROPPED_EXISTING),
                repairs, worker.counter("intune_worker_assign_unrepaired_total"));
        assertThat(graph.emulator().stats().injected(EmulatorStats.InjectedFault.ASSIGN_DROPPED_EXISTING))
                .isEqualTo(2);
        assertThat(seeded.lostOrChanged(graph)).as("pre-existing assignments lost or changed").isEmpty();
        assertThat(repairs).as("assignments written back").isEqualTo(2);
        ExactlyOnceAudit.of(plan, scenario.committedResults(), graph, seeded.keys()).assertExactlyOnce();
    }

    private JsonNode resultOf(String requestId) {
        return scenario.resultsSoFar().stream().filter(r -> r.path("requestId").asString("").equals(requestId))
                .findFirst().orElseThrow(() -> new AssertionError("no result for " + requestId));
    }

    private static ObjectNode assignment(Target target) {
        ObjectNode node = JSON.createObjectNode();
        node.put("@odata.type", "#microsoft.graph.deviceCompliancePolicyAssignment");
        node.put("source", "direct");
        node.set("target", JSON.readTree(target.json()));
        return node;
    }

    private static void pause(Duration duration) {
        try {
            Thread.sleep(duration.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    private static void report(String format, Object... args) {
        System.out.println("[trust] " + String.format(format, args));
    }
}
