package io.assignmentworker.benchmark;

import static org.assertj.core.api.Assertions.assertThat;

import io.assignmentworker.emulator.EmulatorSettings;
import io.assignmentworker.emulator.EmulatorStats;
import io.assignmentworker.emulator.GraphEmulator;
import io.assignmentworker.process.KafkaBrokerProcess;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;
import java.util.function.Consumer;
import java.util.stream.IntStream;

/**
 * Issue 5's scenario: a rollout over a few policies at Intune's real budget, 100 writes and 1,000 calls per 20 s
 * per tenant (the emulator enforces it; the worker is configured with the same budget and window). Measured
 * three ways on fresh emulators, topics and groups, each with pre-existing assignments of every target type:
 *
 * <ul>
 *   <li>{@code assign}: coalesced {@code /assign} writes, run until every request is answered;</li>
 *   <li>{@code create}: one create per request, run for a fixed time and its rate extrapolated to the same
 *       number of requests (at 5 writes/s it would take half an hour);</li>
 *   <li>{@code auto}, the default, against a tenant that refuses the create route (as Intune does for
 *       compliance policies): run for the target time, to see how much of the rollout it finishes.</li>
 * </ul>
 */
final class CoalescedScenario {

    static final String SCENARIO = "coalesced";
    private static final String TENANT = WorkerThroughputBenchmark.TENANT;
    static final int POLICIES = 20;
    /** Intune's documented budget per app and tenant: writes and calls of any kind per 20 s. */
    static final int INTUNE_WRITES = 100;
    static final int INTUNE_CALLS = 1_000;
    static final int TARGET_REQUESTS = 10_000;
    static final Duration TARGET = Duration.ofSeconds(60);
    /** How long the create strategy runs; its rate is then extrapolated (at 5 writes/s it would take ~30 min). */
    static final Duration CREATE_WINDOW = Duration.ofSeconds(30);

    /** One measured run; {@code row.seconds()} is measured, {@code extrapolatedSeconds} scales its rate. */
    record Run(String strategy, Row row, long assignCalls, long createCalls, long refusedCreates, long listCalls,
               int preExisting, int preExistingLost, int intendedMissing, double extrapolatedSeconds,
               boolean complete, int inFlightAtEnd) {

        String line(int requests) {
            String extrapolated = complete ? "" : row.requests() == 0
                    ? String.format(Locale.ROOT, ", none answered; %d in flight in the worker", inFlightAtEnd)
                    : String.format(Locale.ROOT, " → %d would take %.0f s at this rate", requests,
                    extrapolatedSeconds);
            return String.format(Locale.ROOT, "%s: %d of %d answered in %.1f s (%.1f results/s)%s; /assign %d, "
                            + "create %d (%d refused), list %d; 429s %d of %d calls (%.2f%%); duplicates %d, "
                            + "duplicate outcomes %d, not CREATED %d, intended assignments missing %d, pre-existing "
                            + "lost or changed %d of %d", strategy, row.requests(), requests, row.seconds(),
                    row.rate(), extrapolated, assignCalls, createCalls, refusedCreates, listCalls,
                    row.throttled(), row.graphCalls(), 100 * row.throttledRatio(), row.duplicates(),
                    row.duplicateOutcomes(), row.notCreated(), intendedMissing, preExistingLost, preExisting);
        }
    }

    private final KafkaBrokerProcess broker;

    CoalescedScenario(KafkaBrokerProcess broker) {
        this.broker = broker;
    }

    /** 10,000 scaled by {@code benchmark.scale}, at least 2,000. */
    static int requests() {
        return Bench.scaled(TARGET_REQUESTS, 2_000);
    }

    /**
     * {@code assign} until done, {@code create} for {@link #CREATE_WINDOW}, {@code auto} (create route refused)
     * for the target time; each run is handed to {@code measured} as soon as it is over.
     */
    void runAll(int count, Consumer<Run> measured) throws Exception {
        Duration generous = Duration.ofSeconds(Math.max(600, count / 10));
        Run assign = run("assign", true, count, generous);
        measured.accept(assign);
        if (!assign.complete()) {
            throw new AssertionError(assign.row().requests() + " of " + count + " coalesced requests answered after "
                    + generous);
        }
        measured.accept(run("create", false, count, CREATE_WINDOW));
        measured.accept(run("auto", true, count, TARGET));
    }

    /** Correctness, whatever the speed: nothing twice, nothing CREATED that Graph lacks, nothing pre-existing lost. */
    static void assertCorrect(List<Run> runs) {
        for (Run run : runs) {
            String what = SCENARIO + " " + run.strategy();
            assertThat(run.row().duplicates()).as("%s: duplicate assignments", what).isZero();
            assertThat(run.row().duplicateOutcomes()).as("%s: duplicate outcomes", what).isZero();
            assertThat(run.row().missing()).as("%s: missing outcomes", what).isZero();
            assertThat(run.row().notCreated()).as("%s: outcomes other than CREATED", what).isZero();
            assertThat(run.intendedMissing()).as("%s: CREATED but not in Graph", what).isZero();
            assertThat(run.preExistingLost()).as("%s: pre-existing assignments lost or changed", what).isZero();
        }
    }

    /** Each strategy's run, assign against create (extrapolated), and the 60 s target. */
    static void report(StringBuilder out, List<Run> runs, int count) {
        if (runs.isEmpty()) {
            return;
        }
        out.append(String.format(Locale.ROOT, "%nCoalesced (%d requests over %d policies, %d writes and %d calls per "
                        + "20 s, %d pre-existing assignments per policy):%n", count, POLICIES, INTUNE_WRITES,
                INTUNE_CALLS, PreExisting.PER_POLICY));
        runs.forEach(run -> out.append("  ").append(run.line(count)).append('\n'));
        Run assign = find(runs, "assign");
        Run create = find(runs, "create");
        if (assign == null || !assign.complete()) {
            return;
        }
        if (create != null) {
            out.append(String.format(Locale.ROOT, "  assign ÷ create = %.0f× (%.1f s vs %.0f s extrapolated from %d "
                            + "results in %.0f s)%n", create.extrapolatedSeconds() / assign.row().seconds(),
                    assign.row().seconds(), create.extrapolatedSeconds(), create.row().requests(),
                    create.row().seconds()));
        }
        if (count == TARGET_REQUESTS) {
            WorkerThroughputBenchmark.target(out, "coalesced ≤ 60 s for 10,000", assign.row().seconds(),
                    TARGET.toSeconds(), false, "%.1f s");
        } else {
            // Not scaled linearly: a small run is dominated by its first, smallest batches.
            out.append(String.format(Locale.ROOT, "  %-7s coalesced ≤ 60 s for 10,000: applies to the full run only "
                    + "(this one: %d in %.1f s)%n", "N/A", count, assign.row().seconds()));
        }
        boolean clean = runs.stream().allMatch(run -> run.row().duplicates() == 0 && run.row().duplicateOutcomes() == 0
                && run.row().missing() == 0 && run.intendedMissing() == 0 && run.preExistingLost() == 0);
        out.append(String.format(Locale.ROOT, "  %-7s coalesced: no duplicates, missing outcomes or lost pre-existing "
                + "assignments in any strategy%n", clean ? "MET" : "MISSED"));
    }

    private static Run find(List<Run> runs, String strategy) {
        return runs.stream().filter(run -> run.strategy().equals(strategy)).findFirst().orElse(null);
    }

    /** The emulator at Intune's budget, with the latency the other scenarios use. */
    static EmulatorSettings intune() {
        return EmulatorSettings.builder().writeBudget(INTUNE_WRITES).requestBudget(INTUNE_CALLS)
                .budgetWindow(Duration.ofSeconds(20)).latency(Duration.ofMillis(100))
                .latencyJitter(Duration.ofMillis(30)).threads(400).build();
    }

    /**
     * Publishes {@code count} requests to a worker with {@code strategy} and measures until all are answered or
     * {@code window} has passed since publishing (then the rate so far is extrapolated to {@code count}).
     */
    Run run(String strategy, boolean routeRefused, int count, Duration window) throws Exception {
        String id = SCENARIO + "-" + strategy + "-" + UUID.randomUUID().toString().substring(0, 8);
        say("%s: worker strategy %s, %d requests over %d policies, route refused %s, for at most %ds", SCENARIO,
                strategy, count, POLICIES, routeRefused, window.toSeconds());
        try (GraphEmulator graph = GraphEmulator.start(intune())) {
            String secret = "bench-" + UUID.randomUUID();
            graph.registerApp(TENANT, WorkerThroughputBenchmark.CLIENT_ID, secret);
            List<String> policies = IntStream.range(0, POLICIES).mapToObj(i -> {
                String policy = UUID.randomUUID().toString();
                graph.addPolicy(TENANT, policy, "Windows compliance " + (i + 1));
                return policy;
            }).toList();
            PreExisting preExisting = PreExisting.seed(graph, TENANT, policies);
            graph.tenant(TENANT).createRouteRefused(routeRefused);
            String requests = "bench.requests." + id;
            String results = "bench.results." + id;
            Load.createTopics(broker.bootstrapServers(), WorkerThroughputBenchmark.PARTITIONS, requests, results);
            Map<String, String> env = BenchWorker.environment(broker.bootstrapServers(), id, requests, results,
                    graph.graphBaseUrl(), graph.authorityHost(), TENANT, WorkerThroughputBenchmark.CLIENT_ID, secret);
            env.put("WORKER_SCHEDULING_WRITE_BUDGET", Integer.toString(INTUNE_WRITES));
            env.put("WORKER_SCHEDULING_REQUEST_BUDGET", Integer.toString(INTUNE_CALLS));
            env.put("WORKER_SCHEDULING_BUDGET_WINDOW", "20s");
            env.put("WORKER_GRAPH_STRATEGY", strategy);
            try (ResultWatch watch = new ResultWatch(broker.bootstrapServers(), results);
                 BenchWorker worker = BenchWorker.start("worker-" + id, "-Xmx512m", env,
                         graph.writeTrustStore(Bench.logDir()))) {
                worker.awaitReady(Duration.ofSeconds(180));
                return measure(new Subject(strategy, graph, worker, watch, requests, preExisting),
                        Load.plan(id, TENANT, policies, count), window);
            }
        }
    }

    /** What one run measures: a started worker, its emulator and the reader of its results. */
    private record Subject(String strategy, GraphEmulator graph, BenchWorker worker, ResultWatch watch, String topic,
                           PreExisting preExisting) {
    }

    private Run measure(Subject subject, List<Load.Request> plan, Duration window) throws Exception {
        GraphEmulator graph = subject.graph();
        BenchWorker worker = subject.worker();
        ResultWatch watch = subject.watch();
        EmulatorStats before = graph.stats();
        long cpuBefore = worker.cpuMillis();
        long benchBefore = Bench.selfCpuMillis();
        long brokerBefore = BenchWorker.cpuMillis(broker.pid());
        worker.startHeapSampling();
        Load.publish(broker.bootstrapServers(), subject.topic(), plan);
        boolean complete = watch.awaitAll(plan, window);
        long heap = worker.stopHeapSampling();
        int inFlight = (int) worker.metric("intune_worker_in_flight");
        EmulatorStats during = graph.stats().minus(before);
        ResultWatch.Phase phase = watch.phase(plan);
        int answered = phase.answered();
        double perRequest = answered == 0 ? Double.NaN : 1.0 / answered; // NaN prints as "—"
        double cpu = (worker.cpuMillis() - cpuBefore) * perRequest;
        double benchCpu = (Bench.selfCpuMillis() - benchBefore) * perRequest;
        double brokerCpu = (BenchWorker.cpuMillis(broker.pid()) - brokerBefore) * perRequest;
        if (complete) {
            Thread.sleep(2_000); // a late duplicate outcome would show up by now
        }
        Row row = new Row(SCENARIO, "worker (" + subject.strategy() + ")", answered,
                answered == 0 ? window.toNanos() / 1e9 : phase.seconds(),
                Bench.percentile(phase.latenciesMillis(), 50), Bench.percentile(phase.latenciesMillis(), 99), cpu,
                heap / 1048576.0, during.graphCalls(), during.throttled(), graph.duplicateAssignments(TENANT),
                watch.duplicateOutcomes(), complete ? watch.missing(plan) : 0,
                WorkerThroughputBenchmark.notCreated(watch.statuses()), 0, benchCpu, brokerCpu);
        Run run = new Run(subject.strategy(), row, during.count(EmulatorStats.Operation.ASSIGN),
                during.count(EmulatorStats.Operation.CREATE), during.count(EmulatorStats.Operation.CREATE, 400),
                during.count(EmulatorStats.Operation.LIST), subject.preExisting().count(),
                subject.preExisting().lostOrChanged(graph, TENANT),
                PreExisting.intendedMissing(graph, TENANT, watch.answered(plan)),
                answered == 0 ? Double.POSITIVE_INFINITY : plan.size() / row.rate(), complete, inFlight);
        say("%s; statuses %s; Graph %s", run.line(plan.size()), watch.statuses(), during.sortedCounts());
        return run;
    }

    private static void say(String format, Object... args) {
        WorkerThroughputBenchmark.say(format, args);
    }
}
