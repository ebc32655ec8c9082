package io.assignmentworker.process;

import static org.assertj.core.api.Assertions.assertThat;

import io.assignmentworker.emulator.EmulatorSettings;
import io.assignmentworker.emulator.EmulatorStats;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import org.assertj.core.data.Offset;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Scale-out (issue 8): three packaged workers in one consumer group share one tenant's Graph budget, which is per
 * app and tenant, not per instance; and instances come and go in the middle of a rollout without losing or
 * repeating anything. The tests are one session of one group, in order, because starting three workers is the
 * expensive part on a small machine: the three share the budget, then restart one after another, then one is
 * killed. Each test publishes its own requests over its own policies; every audit covers every request published
 * so far.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class ScaleOutIT {

    static {
        QuietConsole.apply();
    }

    /**
     * The tenant's budget, as Graph enforces it and as every worker is told it: Intune's 100 writes per 20 s,
     * scaled to 100 per 5 s so that a run at the budget takes seconds, not minutes. At 5 s the emulator's latency
     * jitter (± 30 ms, which moves when a call counts against the window) is ~1% of the window.
     */
    private static final int WRITE_BUDGET = 100;
    private static final Duration WINDOW = Duration.ofSeconds(5);
    private static final double WRITES_PER_SECOND = WRITE_BUDGET / (double) WINDOW.toSeconds();
    private static final Duration LATENCY = Duration.ofMillis(100);
    private static final Duration JITTER = Duration.ofMillis(30);
    /** Graph's latency around the kill: the victim dies with writes under way. */
    private static final Duration SLOW = Duration.ofSeconds(1);
    private static final EmulatorSettings BUDGETED_GRAPH = EmulatorSettings.defaults().withWriteBudget(WRITE_BUDGET)
            .withRequestBudget(WRITE_BUDGET * 10).withBudgetWindow(WINDOW).withLatency(LATENCY, JITTER);
    private static final int INSTANCES = 3;
    /** What the worker creates its topics with (WORKER_TOPICS_PARTITIONS' default). */
    private static final int PARTITIONS = 6;
    private static final int POLICIES = 50;
    /**
     * 30 s at the budget: long enough that starting and ending are small against it. 100 on each partition: the
     * subject is how the workers split the budget, not how evenly a few hundred random keys hash (see
     * {@link Rollout#evenOver}; docs/benchmarks.md, "Scale-out", measures the cost of uneven keys).
     */
    private static final int SHARED_RUN = 600;
    /**
     * Unanswered requests topped up before each restart (25 s of work at the budget; a restart takes 10-30 s
     * here), and half as many once the new worker is up, so that each worker leaves with work under way and each
     * new one joins a run that is still going.
     */
    private static final int BACKLOG = 500;
    private static final int KILL_RUN = 450;
    /** Five per partition, so every worker has made its first Graph calls before anything is measured. */
    private static final int WARM_UP = 30;
    private static final Duration RUN = Duration.ofSeconds(180);
    /** After SIGKILL: the dead member's session (15 s) and its open transaction (15 s) hold things up. */
    private static final Duration RECOVERY = Duration.ofSeconds(240);
    private static final Duration SETTLE = Duration.ofSeconds(90);
    private static final String SHARE = "intune_worker_tenant_budget_share";

    @RegisterExtension
    static final FailureLogs logs = new FailureLogs();

    @RegisterExtension
    static final ClassBroker broker = new ClassBroker("scale-broker", logs);

    private GraphFixture graph;
    private Scenario scenario;
    private final List<WorkerProcess> workers = new ArrayList<>();
    /** Every request published in this session: each audit covers all of them. */
    private final List<PlannedRequest> published = new ArrayList<>();

    @BeforeAll
    void startGroupOfThree() {
        graph = GraphFixture.start(BUDGETED_GRAPH);
        // A stop hands back what is not finished after 5 s instead of 20 s: the same path, sooner (at the budget a
        // worker never drains its hundreds of requests under way within either). Rollout tracking is off: it is
        // not the subject here, and its Kafka Streams close can add 15 s to a stop (RolloutSummaryIT covers it).
        scenario = new Scenario(broker.process(), graph, TopicNames.unique("scale"), WRITE_BUDGET, logs, Map.of(
                "WORKER_GRAPH_STRATEGY", "create",
                "WORKER_SCHEDULING_BUDGET_WINDOW", WINDOW.toSeconds() + "s",
                // The default hold for a 5 s window (window + 1% + 5 s): shares gained in a rebalance wait it out.
                "WORKER_SCHEDULING_SHARE_RISE_HOLD", "10050ms",
                "WORKER_INTAKE_SHUTDOWN_GRACE", "5s",
                "WORKER_ROLLOUTS_ENABLED", "false"));
        // One after another, as a deployment scales up.
        for (int i = 1; i <= INSTANCES; i++) {
            workers.add(watch(scenario.startWorker("scale-worker-" + i)));
        }
        scenario.awaitBalanced(workers, PARTITIONS, SETTLE);
        // Each worker's first Graph call (token, TLS, cold code) takes seconds here; instances of a deployment
        // have long made theirs. Then one window passes, so Graph's budget is whole when the first test starts.
        List<PlannedRequest> warmUp = publish(Rollout.evenOver(PARTITIONS, "warm-up", GraphFixture.TENANT,
                graph.addPolicies(PARTITIONS), WARM_UP));
        scenario.awaitAnswered(warmUp, warmUp.size(), RUN);
        sleep(WINDOW);
    }

    @AfterAll
    void stopAll() throws Exception {
        Teardown.closeAll(scenario, graph);
    }

    @Test
    @Order(1)
    void threeInstancesShareTheTenantBudget() {
        EmulatorStats before = graph.emulator().stats();
        List<PlannedRequest> plan = Rollout.evenOver(PARTITIONS, "share", GraphFixture.TENANT,
                graph.addPolicies(POLICIES), SHARED_RUN);
        Instant published = Instant.now();
        RunPace pace;
        EmulatorStats during;
        try (ThrottleWatch throttles = ThrottleWatch.start(graph.emulator())) {
            publish(plan);
            scenario.awaitAnswered(plan, plan.size(), RUN);
            during = graph.emulator().stats().minus(before);
            auditEverythingSoFar();
            pace = RunPace.of(plan, scenario.committedResults());
            report(String.format(Locale.ROOT, "429s at %s s after publishing", throttles.secondsAfter(published)));
        }
        double throttledRatio = (double) during.throttled() / during.graphCalls();
        report(String.format(Locale.ROOT, "%d workers, tenant budget %d writes per %d s (%.0f/s), each told the "
                        + "whole budget, shares %s: %d requests over %d policies answered in %.1f s, first to last "
                        + "outcome: %.1f/s, efficiency %.3f; Graph %d calls, %d answered 429 (%.2f%%), seen per worker "
                        + "%s; %s; Graph %s",
                INSTANCES, WRITE_BUDGET, WINDOW.toSeconds(), WRITES_PER_SECOND,
                workers.stream().map(w -> String.format(Locale.ROOT, "%.3f", w.counter(SHARE))).toList(),
                plan.size(), POLICIES, pace.seconds(), pace.rate(), pace.efficiency(WRITES_PER_SECOND),
                during.graphCalls(), during.throttled(), 100 * throttledRatio,
                workers.stream().map(w -> (int) w.counter("intune_worker_graph_throttled_total")).toList(),
                pace.perWorker(ownership(), WRITES_PER_SECOND),
                during.sortedCounts()));
        assertThat(workers).as("budget share of each of three workers (2 of 6 partitions)")
                .allSatisfy(worker -> assertThat(worker.counter(SHARE)).isCloseTo(1.0 / 3, withinAHundredth()));
        assertThat(throttledRatio).as("share of Graph calls answered 429").isLessThanOrEqualTo(0.02);
        // Not a speed test (the benchmark measures the figure: 0.96–0.98 on a quiet machine): a floor that a busy CI
        // machine clears and a broken share does not (each instance at a third of its third would show ~0.33).
        assertThat(pace.efficiency(WRITES_PER_SECOND))
                .as("(requests ÷ budget per second) ÷ seconds from the first to the last outcome")
                .isGreaterThanOrEqualTo(0.7);
    }

    @Test
    @Order(2)
    void rollingRestartLosesNothing() {
        List<String> policies = graph.addPolicies(POLICIES);
        List<PlannedRequest> plan = new ArrayList<>(publish("roll-0", policies, BACKLOG));
        scenario.awaitAnswered(plan, plan.size() / 10, RUN);
        EmulatorStats before = graph.emulator().stats();
        List<String> restarts = new ArrayList<>();
        for (int i = 0; i < workers.size(); i++) {
            topUp(plan, policies, BACKLOG, "roll-" + (i + 1));
            WorkerProcess leaving = workers.get(i);
            int answeredAtStop = scenario.answered(plan);
            Instant stoppedAt = Instant.now();
            // As Kubernetes replaces a pod: the new one starts while the old one is still finishing its work.
            CompletableFuture<ProcessExit> stopping = CompletableFuture.supplyAsync(leaving::terminate);
            workers.set(i, watch(scenario.startWorker("scale-worker-" + (i + 1) + "-again")));
            // However long the restart took on a busy machine, the new worker joins a run that is still going.
            topUp(plan, policies, BACKLOG / 2, "roll-" + (i + 1) + "-back");
            ProcessExit stopped = stopping.join();
            scenario.awaitBalanced(workers, PARTITIONS, SETTLE);
            restarts.add(String.format(Locale.ROOT, "worker %d stopped at %d/%d answered (exit %d in %d ms), back "
                            + "and consuming %d s after its SIGTERM", i + 1, answeredAtStop, plan.size(),
                    stopped.code(), stopped.took().toMillis(), Duration.between(stoppedAt, Instant.now()).toSeconds()));
            assertThat(stopped.forced()).as("worker %d stopped on SIGTERM", i + 1).isFalse();
        }
        int answeredWhenAllBack = scenario.answered(plan);

        scenario.awaitAnswered(plan, plan.size(), RUN);
        EmulatorStats during = graph.emulator().stats().minus(before);
        report("rolling restart: " + String.join("; ", restarts) + "; " + answeredWhenAllBack + "/" + plan.size()
                + " answered when the third was back; Graph " + during.graphCalls() + " calls, "
                + during.throttled() + " answered 429");
        // Whether the run was still going when the last worker came back depends on the machine's speed: it is
        // reported above, not asserted. What is asserted is the outcome.
        auditEverythingSoFar();
    }

    @Test
    @Order(3)
    void killNineOfOneInstanceLosesNothing() {
        List<PlannedRequest> plan = publish("kill", KILL_RUN);
        int answeredAtKill = scenario.awaitAnswered(plan, plan.size() / 4, RUN);
        // Graph slows down to a second per call, so the victim has several creates under way when it dies: they
        // land after it, without outcomes, in partitions the two others will own. (Timing sets the scene only.)
        graph.emulator().tenant(GraphFixture.TENANT).latency(SLOW, Duration.ZERO);
        sleep(SLOW);
        WorkerProcess victim = workers.remove(1);
        long writesBefore = graph.emulator().stats().writesPerformed();
        victim.kill();
        Instant killed = Instant.now();
        sleep(SLOW.multipliedBy(2)); // whatever the victim sent has landed by now
        long landedAfterKill = graph.emulator().stats().writesPerformed() - writesBefore;
        graph.emulator().tenant(GraphFixture.TENANT).latency(LATENCY, JITTER);

        scenario.awaitBalanced(workers, PARTITIONS, RECOVERY);
        long takeOver = Duration.between(killed, Instant.now()).toSeconds();
        scenario.awaitAnswered(plan, plan.size(), RECOVERY);
        report(String.format(Locale.ROOT, "kill -9 of one of three at %d/%d answered, %d writes landed in the %d s "
                        + "after it (the victim's among them); the other two own all %d partitions %d s after the "
                        + "kill (shares %s); all answered %d s after it", answeredAtKill, plan.size(),
                landedAfterKill, SLOW.multipliedBy(2).toSeconds(), PARTITIONS, takeOver,
                workers.stream().map(w -> String.format(Locale.ROOT, "%.3f", w.counter(SHARE))).toList(),
                Duration.between(killed, Instant.now()).toSeconds()));
        auditEverythingSoFar();
        assertThat(answeredAtKill).as("answered when the worker was killed").isLessThan(plan.size());
        assertThat(workers).as("budget share of each of the two survivors (3 of 6 partitions)")
                .allSatisfy(worker -> assertThat(worker.counter(SHARE)).isCloseTo(0.5, withinAHundredth()));
    }

    /** Publishes more of the rollout when fewer than {@code waiting} of its requests are still unanswered. */
    private void topUp(List<PlannedRequest> plan, List<String> policies, int waiting, String name) {
        int unanswered = plan.size() - scenario.answered(plan);
        if (unanswered < waiting) {
            plan.addAll(publish(name, policies, waiting - unanswered));
        }
    }

    private List<PlannedRequest> publish(String name, int count) {
        return publish(name, graph.addPolicies(POLICIES), count);
    }

    private List<PlannedRequest> publish(String name, List<String> policies, int count) {
        return publish(Rollout.mixedWithoutEveryone(name, GraphFixture.TENANT, policies, count));
    }

    private List<PlannedRequest> publish(List<PlannedRequest> plan) {
        published.addAll(plan);
        scenario.publish(plan);
        return plan;
    }

    private void auditEverythingSoFar() {
        scenario.awaitAllCommitted(RUN);
        ExactlyOnceAudit.of(published, scenario.committedResults(), graph).assertExactlyOnce();
    }

    /** Which worker owns which request partitions now, from what each one logged. */
    private Map<String, Set<Integer>> ownership() {
        Map<String, Set<Integer>> owned = new LinkedHashMap<>();
        for (int i = 0; i < workers.size(); i++) {
            owned.put("worker " + (i + 1), RunPace.requestPartitions(workers.get(i).log(),
                    scenario.topics().requests()));
        }
        return owned;
    }

    private WorkerProcess watch(WorkerProcess worker) {
        logs.watchForClass(worker.toString(), worker::log);
        return worker;
    }

    private static void sleep(Duration duration) {
        try {
            Thread.sleep(duration.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    private static Offset<Double> withinAHundredth() {
        return Offset.offset(0.01);
    }

    private static void report(String line) {
        System.out.println("[scale-out] " + line);
    }
}
