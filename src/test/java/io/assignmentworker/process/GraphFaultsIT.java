package io.assignmentworker.process;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.assignmentworker.emulator.EmulatorSettings;
import io.assignmentworker.emulator.EmulatorStats;
import io.assignmentworker.emulator.TenantBehaviour;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Graph misbehaving while a packaged worker runs a rollout on a real broker process: throttling storms with and
 * without Retry-After, a 30 s total outage, writes that time out after they happened, and tokens that live a few
 * seconds. Whatever Graph does, every request ends CREATED exactly once and no assignment exists twice.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class GraphFaultsIT {

    static {
        QuietConsole.apply();
    }

    private static final int POLICIES = 10;
    private static final Duration RUN = Duration.ofSeconds(180);
    private static final int MAX_IN_FLIGHT = 50;

    @RegisterExtension
    static final FailureLogs logs = new FailureLogs();

    @RegisterExtension
    static final ClassBroker broker = new ClassBroker("faults-broker", logs);

    private GraphFixture graph;
    private Scenario scenario;
    private WorkerProcess worker;

    @AfterEach
    void stopScenario() throws Exception {
        Teardown.closeAll(scenario, graph);
    }

    private List<PlannedRequest> run(String name, EmulatorSettings settings, int workerBudget, int requests) {
        return run(name, settings, workerBudget, requests, Map.of(), tenant -> { });
    }

    /**
     * @param workerEnvironment variables the worker gets on top of the usual ones
     * @param graphBehaves      how Graph treats the tenant from before the worker starts
     */
    private List<PlannedRequest> run(String name, EmulatorSettings settings, int workerBudget, int requests,
                                     Map<String, String> workerEnvironment, Consumer<TenantBehaviour> graphBehaves) {
        graph = GraphFixture.start(settings);
        graphBehaves.accept(graph.emulator().tenant(GraphFixture.TENANT));
        // Graph's faults on the create path, one call per request (the coalesced path's are in TrustIT and
        // CoalescedAssignIT): coalescing would answer these runs in a handful of writes.
        Map<String, String> environment = new HashMap<>(Map.of("WORKER_GRAPH_STRATEGY", "create"));
        environment.putAll(workerEnvironment);
        scenario = new Scenario(broker.process(), graph, TopicNames.unique(name), workerBudget, logs, environment);
        List<PlannedRequest> plan = Rollout.mixed(name, GraphFixture.TENANT, graph.addPolicies(POLICIES), requests);
        worker = scenario.startWorker(name + "-worker");
        scenario.publish(plan);
        return plan;
    }

    private void assertExactlyOnce(List<PlannedRequest> plan) {
        scenario.awaitAnswered(plan, plan.size(), RUN);
        scenario.awaitAllCommitted(RUN);
        ExactlyOnceAudit.of(plan, scenario.committedResults(), graph).assertExactlyOnce();
        assertThat(scenario.sessionRestarts()).as("intake sessions restarted by Graph's faults").isZero();
    }

    @Test
    void ridesA429StormWithAndWithoutRetryAfter() {
        // Graph allows 30 writes per 2 s; the worker believes it may send 1,000 per 20 s: a storm of 429s,
        // half of them without Retry-After, as Intune sometimes sends them.
        EmulatorSettings stingy = EmulatorSettings.defaults().withWriteBudget(30).withBudgetWindow(Duration.ofSeconds(2))
                .withRequestBudget(1_000).withOmitRetryAfterRatio(0.5);

        List<PlannedRequest> plan = run("storm", stingy, 1_000, 300);

        assertExactlyOnce(plan);
        EmulatorStats stats = graph.emulator().stats();
        report("429 storm: " + stats.throttled() + " calls answered 429 for " + plan.size() + " requests");
        assertThat(stats.throttled()).as("the storm happened").isPositive();
    }

    @Test
    void waitsOutAThirtySecondOutageWithoutFailingAnything() {
        EmulatorSettings slow = EmulatorSettings.defaults().withWriteBudget(100_000).withRequestBudget(1_000_000)
                .withLatency(Duration.ofMillis(30), Duration.ofMillis(10));
        // A small in-flight bound, read in small polls, so most of the rollout is still unread when Graph goes.
        List<PlannedRequest> plan = run("outage", slow, 100_000, 1_000,
                Map.of("WORKER_INTAKE_MAX_IN_FLIGHT", Integer.toString(MAX_IN_FLIGHT),
                        "SPRING_KAFKA_CONSUMER_MAXPOLLRECORDS", "20"), tenant -> { });

        int answeredBefore = scenario.awaitAnswered(plan, plan.size() / 5, RUN);
        graph.emulator().tenant(GraphFixture.TENANT).outage(true);
        Instant down = Instant.now();
        // The requests under way wait for Graph instead of failing; the bound fills, and the worker pauses every
        // partition it owns and reads no further, for as long as the outage lasts (30 s from when it began).
        await("the worker pauses all its partitions").atMost(RUN).pollInterval(Duration.ofMillis(250))
                .until(this::allPartitionsPaused);
        int inFlight = worker.requestsIntake("inFlight");
        Duration rest = Duration.ofSeconds(30).minus(Duration.between(down, Instant.now()));
        await("partitions stay paused and nothing more is read while Graph is down")
                .during(rest).atMost(rest.plusSeconds(10)).pollInterval(Duration.ofMillis(500))
                .until(() -> allPartitionsPaused() && worker.requestsIntake("inFlight") == inFlight);
        int answeredDuring = scenario.answered(plan);
        graph.emulator().tenant(GraphFixture.TENANT).outage(false);

        assertExactlyOnce(plan);
        report("30 s outage from " + answeredBefore + "/" + plan.size() + " answered; " + inFlight + " in flight and "
                + (plan.size() - answeredDuring - inFlight) + " unread while it lasted; " + answeredDuring
                + " answered when Graph came back; all answered " + Duration.between(down, Instant.now()).toSeconds()
                + " s after it went down");
        assertThat(inFlight).as("requests under way during the outage: about the bound, not the rollout")
                .isLessThanOrEqualTo(MAX_IN_FLIGHT * 2);
        assertThat(answeredDuring + inFlight).as("requests read by the end of the outage").isLessThan(plan.size());
    }

    private boolean allPartitionsPaused() {
        int assigned = worker.requestPartitions();
        return assigned > 0 && worker.requestsIntake("pausedPartitions") == assigned;
    }

    @Test
    void createsOnceWhenWritesTimeOutAfterTheyHappened() {
        EmulatorSettings flaky = EmulatorSettings.defaults().withWriteBudget(100_000).withRequestBudget(1_000_000);
        List<PlannedRequest> plan = run("ambiguous", flaky, 100_000, 500, Map.of(),
                tenant -> tenant.ambiguousTimeoutRatio(0.2).unavailableRatio(0.05));

        assertExactlyOnce(plan);
        long ambiguous = graph.emulator().stats().count(EmulatorStats.Operation.CREATE, 504);
        report("ambiguous 504s: " + ambiguous + " writes answered 504 after they happened; none created twice");
        assertThat(ambiguous).as("creates answered 504 after they happened").isPositive();
    }

    @Test
    void ridesTokensThatLiveAFewSeconds() {
        EmulatorSettings shortTokens = EmulatorSettings.defaults().withWriteBudget(100_000)
                .withRequestBudget(1_000_000).withTokenTtl(Duration.ofSeconds(3))
                .withLatency(Duration.ofMillis(40), Duration.ofMillis(10));

        // The worker allows itself 100 writes per 3 s, so 600 requests take at least 15 s however fast the machine
        // is: five token lifetimes, each renewed before or on its expiry.
        List<PlannedRequest> plan = run("tokens", shortTokens, 100, 600,
                Map.of("WORKER_SCHEDULING_BUDGET_WINDOW", "3s"), tenant -> { });

        assertExactlyOnce(plan);
        long tokens = graph.emulator().stats().tokensIssued();
        report("3 s tokens: " + tokens + " tokens issued for " + plan.size() + " requests");
        assertThat(tokens).as("tokens renewed during a run of at least five token lifetimes").isGreaterThanOrEqualTo(4);
    }

    private static void report(String line) {
        System.out.println("[faults] " + line);
    }
}
