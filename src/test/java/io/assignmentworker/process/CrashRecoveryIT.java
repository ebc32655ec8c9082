package io.assignmentworker.process;

import static org.assertj.core.api.Assertions.assertThat;

import io.assignmentworker.emulator.EmulatorSettings;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The hard promises under failure: whatever dies in the middle of a rollout, every request ends with exactly one
 * committed outcome and every intended assignment exists exactly once in Graph. Each test has its own topics,
 * consumer group and Graph; the broker process is shared.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class CrashRecoveryIT {

    static {
        QuietConsole.apply();
    }

    /**
     * One create per request, so that answers come one by one and the crash lands mid-run: coalescing (the
     * default) answers a run in a few writes; its crashes are CoalescedAssignIT's.
     */
    private static final Map<String, String> ONE_CREATE_EACH = Map.of("WORKER_GRAPH_STRATEGY", "create");

    private static final int REQUESTS = 2_000;
    private static final int POLICIES = 10;
    private static final int BUDGET = 100_000;
    /**
     * At most 128 Graph calls run at once, so with 250 ms ± 50 ms per call the run lasts several seconds: long
     * enough to interrupt it in the middle.
     */
    private static final EmulatorSettings SLOW_GRAPH = EmulatorSettings.defaults().withWriteBudget(BUDGET)
            .withRequestBudget(BUDGET * 10).withLatency(Duration.ofMillis(250), Duration.ofMillis(50));
    private static final Duration FIRST_THIRD = Duration.ofSeconds(120);
    /**
     * Recovery after SIGKILL waits out the dead consumer's session (45 s) and the dead producer's open
     * transaction (60 s), which hold the group's offsets and the results behind it.
     */
    private static final Duration RECOVERY = Duration.ofSeconds(240);

    @RegisterExtension
    static final FailureLogs logs = new FailureLogs();

    @RegisterExtension
    static final ClassBroker broker = new ClassBroker("crash-broker", logs);

    private GraphFixture graph;
    private Scenario scenario;

    @BeforeEach
    void startGraph() {
        graph = GraphFixture.start(SLOW_GRAPH);
    }

    @AfterEach
    void stopScenario() throws Exception {
        Teardown.closeAll(scenario, graph);
    }

    @Test
    void killedWorkerMidRunLosesAndDuplicatesNothing() {
        scenario = new Scenario(broker.process(), graph, TopicNames.unique("kill"), BUDGET, logs, ONE_CREATE_EACH);
        List<PlannedRequest> plan = Rollout.mixed("kill", GraphFixture.TENANT, graph.addPolicies(POLICIES), REQUESTS);
        WorkerProcess first = scenario.startWorker("kill-worker-1");
        scenario.publish(plan);

        int answeredAtKill = scenario.awaitAnswered(plan, REQUESTS / 3, FIRST_THIRD);
        first.kill();
        Instant killed = Instant.now();
        scenario.startWorker("kill-worker-2");

        assertThat(answeredAtKill).as("answered when the worker was killed").isLessThan(REQUESTS);
        scenario.awaitAnswered(plan, REQUESTS, RECOVERY);
        scenario.awaitAllCommitted(RECOVERY);
        report("kill -9 at " + answeredAtKill + "/" + REQUESTS + " answered; all answered "
                + Duration.between(killed, Instant.now()).toSeconds() + " s after the kill");
        ExactlyOnceAudit.of(plan, scenario.committedResults(), graph).assertExactlyOnce();
    }

    @Test
    void brokerRestartMidRunLosesNothing() {
        scenario = new Scenario(broker.process(), graph, TopicNames.unique("restart"), BUDGET, logs, ONE_CREATE_EACH);
        List<PlannedRequest> plan = Rollout.mixed("restart", GraphFixture.TENANT, graph.addPolicies(POLICIES),
                REQUESTS);
        WorkerProcess worker = scenario.startWorker("restart-worker");
        scenario.publish(plan);

        int answeredAtStop = scenario.awaitAnswered(plan, REQUESTS / 3, FIRST_THIRD);
        ProcessExit stopped = broker.process().terminate();
        broker.process().restart();
        Instant restarted = Instant.now();

        assertThat(stopped.forced()).as("broker stopped on SIGTERM").isFalse();
        assertThat(answeredAtStop).as("answered when the broker was stopped").isLessThan(REQUESTS);
        scenario.awaitAnswered(plan, REQUESTS, RECOVERY);
        scenario.awaitAllCommitted(RECOVERY);
        report("broker stopped at " + answeredAtStop + "/" + REQUESTS + " answered (down " + stopped.took()
                .toMillis() + " ms to stop); all answered " + Duration.between(restarted, Instant.now()).toSeconds()
                + " s after the restart");
        ExactlyOnceAudit.of(plan, scenario.committedResults(), graph).assertExactlyOnce();
        assertThat(worker.isHealthy()).as("worker health after the broker came back").isTrue();
    }

    /** One line per scenario: how the disruption landed, for whoever reads the build output. */
    private static void report(String line) {
        System.out.println("[CrashRecoveryIT] " + line);
    }
}
