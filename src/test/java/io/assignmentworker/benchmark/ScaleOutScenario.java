package io.assignmentworker.benchmark;

import static org.assertj.core.api.Assertions.assertThat;

import io.assignmentworker.emulator.EmulatorSettings;
import io.assignmentworker.emulator.EmulatorStats;
import io.assignmentworker.emulator.GraphEmulator;
import io.assignmentworker.metrics.WorkerMetrics;
import io.assignmentworker.process.KafkaBrokerProcess;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;
import java.util.function.Consumer;
import java.util.stream.IntStream;

/**
 * Issue 8's scenario: one tenant's budget, the same budget-bound load, run by 1, 2 and 3 worker instances of one
 * consumer group, each told the tenant's whole budget (as a deployment would): with
 * {@code WORKER_SCHEDULING_SHARE_BUDGET_BY_PARTITIONS} (the default) each paces at its share of the partitions,
 * so N instances together should spend the budget as one does, with no more 429s. A last run of 3 instances
 * with sharing off shows what the sharing prevents. Every run gets a fresh emulator, topics and group.
 */
final class ScaleOutScenario {

    static final String SCENARIO = "scale-out";
    private static final String TENANT = WorkerThroughputBenchmark.TENANT;
    private static final int PARTITIONS = WorkerThroughputBenchmark.PARTITIONS;
    private static final int POLICIES = 100;
    /**
     * Intune's window (20 s) with the budget scaled ×4 (400 writes and 4,000 calls per 20 s, 20 writes/s), so a
     * run takes a minute or two, not ten; at 20 s the emulator's latency jitter is 0.3% of the window.
     */
    static final int WRITES = 400;
    static final int CALLS = 4_000;
    static final Duration WINDOW = Duration.ofSeconds(20);
    static final double WRITES_PER_SECOND = WRITES / (double) WINDOW.toSeconds();

    /**
     * One run: how many instances, whether they share, and what came of it.
     *
     * @param outcomeSeconds first outcome to last ({@code completedAt}), the process test's measure
     * @param perInstance    per instance (its partitions, as the range assignor hands them out): requests, and
     *                       its first and last outcome in seconds after the run's first
     */
    record Run(int instances, boolean sharing, Row row, List<Double> shares, long lists, double outcomeSeconds,
               List<String> perInstance) {

        String line() {
            return String.format(Locale.ROOT, "%d instance%s%s: %d requests in %.1f s, %.1f results/s, efficiency "
                            + "%.3f (first to last outcome: %.1f s, %.3f), %d of %d calls answered 429 (%.2f%%), %d "
                            + "lists; shares %s; per instance %s; duplicates %d, duplicate outcomes %d, missing %d, "
                            + "not CREATED %d", instances, instances == 1 ? "" : "s", sharing ? "" : " (sharing off)",
                    row.requests(), row.seconds(), row.rate(), row.efficiency(), outcomeSeconds,
                    row.requests() / WRITES_PER_SECOND / outcomeSeconds, row.throttled(), row.graphCalls(),
                    100 * row.throttledRatio(), lists, shares, perInstance, row.duplicates(),
                    row.duplicateOutcomes(), row.missing(), row.notCreated());
        }
    }

    private final KafkaBrokerProcess broker;

    ScaleOutScenario(KafkaBrokerProcess broker) {
        this.broker = broker;
    }

    /** 2,000 requests scaled by {@code benchmark.scale}, at least 600 (30 s at the budget). */
    static int requests() {
        return Bench.scaled(2_000, 600);
    }

    /** 1, 2 and 3 instances sharing the budget, then 3 that do not; each run handed on as soon as it is over. */
    void runAll(int count, Consumer<Run> measured) throws Exception {
        for (int instances = 1; instances <= 3; instances++) {
            measured.accept(run(instances, true, count));
        }
        measured.accept(run(3, false, count));
    }

    static void assertCorrect(List<Run> runs) {
        for (Run run : runs) {
            String what = SCENARIO + " " + run.instances() + (run.sharing() ? "" : " (sharing off)");
            assertThat(run.row().duplicates()).as("%s: duplicate assignments", what).isZero();
            assertThat(run.row().duplicateOutcomes()).as("%s: duplicate outcomes", what).isZero();
            assertThat(run.row().missing()).as("%s: missing outcomes", what).isZero();
        }
    }

    static void report(StringBuilder out, List<Run> runs, int count) {
        if (runs.isEmpty()) {
            return;
        }
        out.append(String.format(Locale.ROOT, "%nScale-out (%d requests over %d policies, create, %d writes and %d "
                + "calls per %d s = %.0f writes/s for the tenant, every instance told the whole budget):%n", count,
                POLICIES, WRITES, CALLS, WINDOW.toSeconds(), WRITES_PER_SECOND));
        runs.forEach(run -> out.append("  ").append(run.line()).append('\n'));
        Run one = runs.stream().filter(r -> r.instances() == 1).findFirst().orElse(null);
        if (one != null) {
            runs.stream().filter(r -> r.instances() > 1).forEach(r -> out.append(String.format(Locale.ROOT,
                    "  %d%s ÷ 1 instance: %.2f× the results/s%n", r.instances(), r.sharing() ? "" : " (sharing off)",
                    r.row().rate() / one.row().rate())));
        }
    }

    private Run run(int instances, boolean sharing, int count) throws Exception {
        String id = SCENARIO + "-" + instances + (sharing ? "" : "-unshared") + "-"
                + UUID.randomUUID().toString().substring(0, 8);
        say("%s: %d instance(s), sharing %s, %d requests over %d policies", SCENARIO, instances, sharing, count,
                POLICIES);
        try (GraphEmulator graph = GraphEmulator.start(EmulatorSettings.builder().writeBudget(WRITES)
                .requestBudget(CALLS).budgetWindow(WINDOW).latency(Duration.ofMillis(100))
                .latencyJitter(Duration.ofMillis(30)).threads(400).build())) {
            String secret = "bench-" + UUID.randomUUID();
            graph.registerApp(TENANT, WorkerThroughputBenchmark.CLIENT_ID, secret);
            List<String> policies = IntStream.range(0, POLICIES).mapToObj(i -> {
                String policy = UUID.randomUUID().toString();
                graph.addPolicy(TENANT, policy, "Windows compliance " + (i + 1));
                return policy;
            }).toList();
            String requests = "bench.requests." + id;
            String results = "bench.results." + id;
            Load.createTopics(broker.bootstrapServers(), PARTITIONS, requests, results);
            Map<String, String> env = BenchWorker.environment(broker.bootstrapServers(), id, requests, results,
                    graph.graphBaseUrl(), graph.authorityHost(), TENANT, WorkerThroughputBenchmark.CLIENT_ID, secret);
            env.put("WORKER_GRAPH_STRATEGY", "create");
            env.put("WORKER_SCHEDULING_WRITE_BUDGET", Integer.toString(WRITES));
            env.put("WORKER_SCHEDULING_REQUEST_BUDGET", Integer.toString(CALLS));
            env.put("WORKER_SCHEDULING_BUDGET_WINDOW", WINDOW.toSeconds() + "s");
            env.put("WORKER_SCHEDULING_SHARE_BUDGET_BY_PARTITIONS", Boolean.toString(sharing));
            Path trustStore = graph.writeTrustStore(Bench.logDir());
            List<BenchWorker> workers = new ArrayList<>();
            try (ResultWatch watch = new ResultWatch(broker.bootstrapServers(), results)) {
                for (int i = 1; i <= instances; i++) {
                    workers.add(BenchWorker.start("worker-" + id + "-" + i, "-Xmx512m", env, trustStore)
                            .awaitReady(Duration.ofSeconds(180)));
                }
                awaitBalanced(workers);
                return measure(instances, sharing, graph, workers, watch, requests,
                        Load.plan(id, TENANT, policies, count));
            } finally {
                for (BenchWorker worker : workers) {
                    worker.close();
                }
            }
        }
    }

    private Run measure(int instances, boolean sharing, GraphEmulator graph, List<BenchWorker> workers,
                        ResultWatch watch, String topic, List<Load.Request> plan) throws Exception {
        EmulatorStats before = graph.stats();
        long cpuBefore = workers.stream().mapToLong(BenchWorker::cpuMillis).sum();
        long benchBefore = Bench.selfCpuMillis();
        long brokerBefore = BenchWorker.cpuMillis(broker.pid());
        Load.publish(broker.bootstrapServers(), topic, plan);
        Duration atMost = Duration.ofSeconds(Math.max(300, (long) (3 * plan.size() / WRITES_PER_SECOND)));
        if (!watch.awaitAll(plan, atMost)) {
            throw new AssertionError(watch.missing(plan) + " of " + plan.size() + " requests without an outcome after "
                    + atMost + "; worker logs in " + Bench.logDir());
        }
        int count = plan.size();
        double cpu = (double) (workers.stream().mapToLong(BenchWorker::cpuMillis).sum() - cpuBefore) / count;
        double benchCpu = (double) (Bench.selfCpuMillis() - benchBefore) / count;
        double brokerCpu = (double) (BenchWorker.cpuMillis(broker.pid()) - brokerBefore) / count;
        EmulatorStats during = graph.stats().minus(before);
        List<Double> shares = workers.stream().map(w -> w.gauge(WorkerMetrics.TENANT_BUDGET_SHARE)).toList();
        Thread.sleep(2_000); // a late duplicate outcome would show up by now
        ResultWatch.Phase phase = watch.phase(plan);
        Row row = new Row(SCENARIO, "worker ×" + instances + (sharing ? "" : " unshared"), count, phase.seconds(),
                Bench.percentile(phase.latenciesMillis(), 50), Bench.percentile(phase.latenciesMillis(), 99), cpu, -1,
                during.graphCalls(), during.throttled(), graph.duplicateAssignments(TENANT), watch.duplicateOutcomes(),
                watch.missing(plan), WorkerThroughputBenchmark.notCreated(watch.statuses()), WRITES_PER_SECOND,
                benchCpu, brokerCpu);
        List<ResultWatch.Seen> seen = watch.seen(plan);
        Instant first = seen.stream().map(ResultWatch.Seen::completed).min(Instant::compareTo)
                .orElseThrow();
        Instant last = seen.stream().map(ResultWatch.Seen::completed).max(Instant::compareTo)
                .orElseThrow();
        Run run = new Run(instances, sharing, row, shares, during.count(EmulatorStats.Operation.LIST),
                Duration.between(first, last).toNanos() / 1e9, perInstance(seen, instances, first));
        say("%s; statuses %s; Graph %s", run.line(), watch.statuses(), during.sortedCounts());
        return run;
    }

    /**
     * Requests and first → last outcome per instance, taking the range assignor's split of the partitions
     * (instance {@code i} of {@code n} owns a consecutive block); which process got which block does not matter.
     */
    private static List<String> perInstance(List<ResultWatch.Seen> seen, int instances, Instant start) {
        List<String> parts = new ArrayList<>();
        int block = PARTITIONS / instances;
        for (int i = 0; i < instances; i++) {
            int from = i * block;
            List<Instant> times = seen.stream().filter(s -> s.partition() / block == from / block)
                    .map(ResultWatch.Seen::completed).sorted().toList();
            if (times.isEmpty()) {
                continue;
            }
            parts.add(String.format(Locale.ROOT, "p%d-%d: %d, %.1f→%.1f s", from, from + block - 1, times.size(),
                    Duration.between(start, times.get(0)).toNanos() / 1e9,
                    Duration.between(start, times.get(times.size() - 1)).toNanos() / 1e9));
        }
        return parts;
    }

    /** Until every instance owns its part of the requests topic: a run starts with the group settled. */
    private static void awaitBalanced(List<BenchWorker> workers) throws InterruptedException {
        int least = PARTITIONS / workers.size();
        long deadline = System.nanoTime() + Duration.ofSeconds(120).toNanos();
        while (System.nanoTime() < deadline) {
            List<Integer> owned = workers.stream().map(BenchWorker::requestPartitions).toList();
            if (owned.stream().allMatch(n -> n >= least)
                    && owned.stream().mapToInt(Integer::intValue).sum() == PARTITIONS) {
                return;
            }
            Thread.sleep(250);
        }
        throw new AssertionError(workers.size() + " workers did not share the " + PARTITIONS + " partitions within "
                + "120 s");
    }

    private static void say(String format, Object... args) {
        WorkerThroughputBenchmark.say(format, args);
    }
}
