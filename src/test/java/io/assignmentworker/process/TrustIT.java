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
        // 4 writes per 10 s: a write slot every ~3.4 s, so a batch that read first waits seconds to write.
        scenario = new Scenario(broker.process(), graph, TopicNames.unique("gap"), 4, logs,
                Map.of("WORKER_GRAPH_STRATEGY", "assign", "WORKER_SCHEDULING_BUDGET_WINDOW", "10s"));
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
        assertThat(added).as("assignments the administrator added while the rollout ran").hasSizeGreaterThan(3);
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
