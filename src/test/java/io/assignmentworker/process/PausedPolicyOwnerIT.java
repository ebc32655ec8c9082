package io.assignmentworker.process;

import static org.assertj.core.api.Assertions.assertThat;

import io.assignmentworker.emulator.EmulatorSettings;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import tools.jackson.databind.JsonNode;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * A policy's owner that stops dead for longer than its Kafka session (a long GC pause, a frozen VM, SIGSTOP
 * here) while one of its batches reads the policy, then comes back after another worker took the policy over
 * and wrote to it. {@code /assign} replaces the whole set: if the returning worker wrote what it read before
 * the pause, the new owner's assignments would be gone although their CREATED outcomes are committed. The write
 * lease holds the returning worker's write back until Kafka has told it what it owns.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class PausedPolicyOwnerIT {

    static {
        QuietConsole.apply();
    }

    private static final int BUDGET = 100_000;
    private static final Duration SLOW_READ = Duration.ofSeconds(3);
    private static final Duration FAST = Duration.ofMillis(20);
    /** Past the worker's session (15 s) and the new owner's start-up. */
    private static final Duration TAKE_OVER = Duration.ofSeconds(120);

    @RegisterExtension
    static final FailureLogs logs = new FailureLogs();

    @RegisterExtension
    static final ClassBroker broker = new ClassBroker("paused-broker", logs);

    private GraphFixture graph;
    private Scenario scenario;

    @AfterEach
    void stopScenario() throws Exception {
        Teardown.closeAll(scenario, graph);
    }

    @Test
    void ownerPausedPastItsSessionDoesNotOverwriteTheNewOwnersWrites() throws Exception {
        graph = GraphFixture.start(EmulatorSettings.defaults().withWriteBudget(BUDGET).withRequestBudget(BUDGET * 10)
                .withLatency(FAST, Duration.ZERO));
        List<String> policy = graph.addPolicies(1);
        scenario = new Scenario(broker.process(), graph, TopicNames.unique("paused"), BUDGET, logs,
                Map.of("WORKER_GRAPH_STRATEGY", "assign"));
        WorkerProcess first = scenario.startWorker("paused-worker-1");
        List<PlannedRequest> before = publishAndAwait("before", policy);

        // The first worker's next batch reads the policy slowly; it is frozen while the read is under way.
        graph.emulator().tenant(GraphFixture.TENANT).latency(SLOW_READ, Duration.ZERO);
        List<PlannedRequest> frozen = Rollout.mixedWithoutEveryone("frozen", GraphFixture.TENANT, policy, 10);
        scenario.publish(frozen);
        Thread.sleep(SLOW_READ.toMillis() / 2);
        signal("STOP", first);
        graph.emulator().tenant(GraphFixture.TENANT).latency(FAST, Duration.ZERO);

        // A second worker takes the policy over once the first one's session has expired, and writes twice.
        scenario.startWorker("paused-worker-2");
        scenario.awaitAnswered(frozen, frozen.size(), TAKE_OVER);
        List<PlannedRequest> after = publishAndAwait("after", policy);
        int held = graph.assignments(policy.get(0)).size();

        signal("CONT", first);
        Thread.sleep(8_000); // the returning worker has done whatever it was going to do by now
        List<PlannedRequest> all = new ArrayList<>(before);
        all.addAll(frozen);
        all.addAll(after);
        scenario.awaitAllCommitted(TAKE_OVER);
        System.out.println("[paused] assignments held before the first worker came back: " + held + ", after: "
                + graph.assignments(policy.get(0)).size());
        // The returning worker overwrites nothing (the write lease) and publishes nothing (Kafka fences its
        // transactions): every request ends CREATED, exactly once.
        List<JsonNode> results = scenario.committedResults();
        Map<String, List<JsonNode>> perRequest = new HashMap<>();
        for (JsonNode result : results) {
            assertThat(result.path("status").asString()).as("result %s", result).isEqualTo("CREATED");
            perRequest.computeIfAbsent(result.path("requestId").asString(), id -> new ArrayList<>()).add(result);
        }
        assertThat(perRequest.values()).as("requests with more than one result")
                .filteredOn(answers -> answers.size() > 1).isEmpty();
        assertThat(perRequest.keySet()).as("every request answered")
                .containsExactlyInAnyOrderElementsOf(all.stream().map(PlannedRequest::requestId).toList());
        assertThat(graph.emulator().duplicateAssignments(GraphFixture.TENANT)).as("duplicate assignments").isZero();
        assertThat(graph.assignments(policy.get(0))).as("assignments of the policy").hasSize(all.size());
    }

    private List<PlannedRequest> publishAndAwait(String name, List<String> policy) {
        List<PlannedRequest> plan = Rollout.mixedWithoutEveryone(name, GraphFixture.TENANT, policy, 10);
        scenario.publish(plan);
        scenario.awaitAnswered(plan, plan.size(), Duration.ofSeconds(60));
        return plan;
    }

    private static void signal(String signal, WorkerProcess worker) throws IOException, InterruptedException {
        int exit = new ProcessBuilder("kill", "-" + signal, Long.toString(worker.pid())).inheritIO().start().waitFor();
        assertThat(exit).as("kill -%s %s", signal, worker.pid()).isZero();
    }
}
