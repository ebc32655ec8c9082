package io.assignmentworker.benchmark;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.LoggerContext;
import io.assignmentworker.emulator.EmulatorSettings;
import io.assignmentworker.emulator.EmulatorStats;
import io.assignmentworker.emulator.GraphEmulator;
import io.assignmentworker.emulator.TenantBehaviour;
import io.assignmentworker.process.KafkaBrokerProcess;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.LocalDateTime;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;
import java.util.function.Consumer;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Throughput benchmark of the packaged worker against a real broker process and the Graph emulator, with a
 * synchronous one-record-at-a-time consumer as the baseline measured in the same run. It prints a table (also
 * written to {@code target/benchmark/results.md}) and asserts only correctness: no duplicate assignment, no
 * duplicate or missing outcome. Not part of {@code ./mvnw verify}: run {@code ./mvnw -Pbenchmark verify}
 * ({@code -Dbenchmark.scale=0.05} for the short run). See {@code docs/benchmarks.md}.
 */
class WorkerThroughputBenchmark {

    static final String TENANT = "8f1c7e2a-1b2c-4d5e-8f90-0a1b2c3d4e5f";
    static final String CLIENT_ID = "3c1f6a7e-0000-4000-8000-00000000c1d1";
    static final int PARTITIONS = 6;
    /** Worker budgets that never bind: 100,000 writes per second. */
    static final int UNLIMITED_WORKER_BUDGET = 100_000;
    static final int BUDGET_PER_SECOND = 100;
    /**
     * The budget-bound scenario keeps Intune's 20 s window and scales the budget up (2,000 writes per 20 s rather
     * than 100), as the issue asks. A window shrunk to 1 s instead makes Graph's latency jitter (±30 ms) 6% of
     * the window, which no pacing can absorb, and turns every 429's whole-second Retry-After into a lost window.
     */
    static final Duration BUDGET_WINDOW = Duration.ofSeconds(20);
    /** Bytes of padding in each record of the fat backlog: with the request, just under 64 KB. */
    static final int FAT_PADDING = 60_000;

    private final List<Row> rows = new ArrayList<>();
    private final List<String> notes = new ArrayList<>();
    private final List<CoalescedRun> coalescedRuns = new ArrayList<>();
    private final List<ScaleOutScenario.Run> scaleOutRuns = new ArrayList<>();
    private KafkaBrokerProcess broker;

    @Test
    void measure() throws Exception {
        quietConsole();
        double scale = Bench.scale();
        int latencyN = Bench.scaled(20_000, 3_000);
        int latencyBaselineN = Bench.scaled(2_000, 300);
        int budgetN = Bench.scaled(5_000, 1_000);
        int budgetBaselineN = Bench.scaled(1_000, 300);
        int backlogN = Bench.scaled(100_000, 10_000);
        int fatBacklogN = Bench.scaled(20_000, 10_000);
        // The worker is a long-running service: measure it warm, once the JIT compilers of the worker, the emulator
        // and the broker no longer share the two cores with the work. After 60,000 requests the worker's C2 still
        // spent 0.14-0.23 ms per measured request compiling its busiest loops for the first time; after 140,000,
        // 0.03 (docs/benchmarks.md has the figures). -Dbenchmark.warmup sets it.
        int warmup = Integer.getInteger("benchmark.warmup", Bench.scaled(140_000, 3_000));
        // unthrottled-20 warms up over 100 policies of its own, whose sets every /assign carries whole: 60,000
        // keeps them at the measured scale (UnthrottledScenario.WARMUP_POLICIES).
        int unthrottledWarmup = Math.min(warmup, Bench.scaled(60_000, 3_000));
        int budgetWarmup = Bench.scaled(1_000, 500);
        int coalescedN = CoalescedScenario.requests();
        int largeN = CoalescedScenario.largeRequests();
        int unthrottledN = UnthrottledScenario.requests();
        int scaleOutN = ScaleOutScenario.requests();
        say("benchmark scale %.3f: latency-bound %d (baseline %d), budget-bound %d (baseline %d), faults %d "
                + "(baseline %d), backlog %d, coalesced %d, coalesced-large %d, unthrottled-20 %d (baseline %d), "
                + "scale-out %d; scenarios %s; %d CPUs", scale, latencyN, latencyBaselineN, budgetN, budgetBaselineN,
                latencyN, latencyBaselineN, backlogN, coalescedN, largeN, unthrottledN, latencyBaselineN, scaleOutN,
                System.getProperty("benchmark.scenarios", "all"), Runtime.getRuntime().availableProcessors());
        EmulatorSettings unlimited = EmulatorSettings.builder()
                .writeBudget(EmulatorSettings.UNLIMITED).requestBudget(EmulatorSettings.UNLIMITED)
                .budgetWindow(Duration.ofSeconds(1))
                .latency(Duration.ofMillis(100)).latencyJitter(Duration.ofMillis(30))
                .threads(400).build();
        int budgetPerWindow = (int) (BUDGET_PER_SECOND * BUDGET_WINDOW.toSeconds());
        EmulatorSettings budgeted = unlimited.toBuilder().budgetWindow(BUDGET_WINDOW).writeBudget(budgetPerWindow)
                .requestBudget(budgetPerWindow * 10).build();
        Consumer<TenantBehaviour> noFaults = t -> { };
        Consumer<TenantBehaviour> faults = t -> t.unavailableRatio(0.02).ambiguousTimeoutRatio(0.01);
        long started = System.nanoTime();
        broker = KafkaBrokerProcess.start("bench-broker");
        try {
            broker.awaitReady();
            if (Bench.runs("latency-bound")) {
                rows.add(worker("latency-bound", unlimited, noFaults, 1_000, warmup, latencyN,
                        UNLIMITED_WORKER_BUDGET, "-Xmx512m", 0));
                rows.add(baseline("latency-bound", unlimited, noFaults, 1_000, latencyBaselineN, 0));
            }
            if (Bench.runs("budget-bound")) {
                rows.add(worker("budget-bound", budgeted, noFaults, 100, budgetWarmup, budgetN, BUDGET_PER_SECOND,
                        "-Xmx512m", BUDGET_PER_SECOND));
                rows.add(baseline("budget-bound", budgeted, noFaults, 100, budgetBaselineN, BUDGET_PER_SECOND));
            }
            if (Bench.runs("faults")) {
                rows.add(worker("faults", unlimited, faults, 1_000, warmup, latencyN, UNLIMITED_WORKER_BUDGET,
                        "-Xmx512m", 0));
                rows.add(baseline("faults", unlimited, faults, 1_000, latencyBaselineN, 0));
            }
            if (Bench.runs("backlog")) {
                rows.add(backlog(unlimited, 1_000, backlogN, 0));
            }
            if (Bench.runs("backlog-fat")) {
                // Records of 60 KB (a field the worker ignores), and Graph slow enough (2 s a call) that the
                // worker reads as far ahead as it may: 6,000 under way would be 360 MB if it kept their records.
                rows.add(backlog(unlimited.toBuilder().latency(Duration.ofSeconds(2)).latencyJitter(Duration.ZERO)
                        .build(), 1_000, fatBacklogN, FAT_PADDING));
            }
            Consumer<CoalescedRun> coalesced = run -> {
                coalescedRuns.add(run);
                rows.add(run.row());
            };
            if (Bench.runs(CoalescedScenario.SCENARIO)) {
                new CoalescedScenario(broker).runAll(coalescedN, coalesced);
            }
            if (Bench.runs(CoalescedScenario.LARGE)) {
                new CoalescedScenario(broker).runLarge(largeN, coalesced);
            }
            if (Bench.runs(UnthrottledScenario.SCENARIO)) {
                coalesced.accept(new UnthrottledScenario(broker).run(unthrottledN, unthrottledWarmup));
                rows.add(baseline(UnthrottledScenario.SCENARIO, UnthrottledScenario.emulator(), noFaults,
                        UnthrottledScenario.POLICIES, latencyBaselineN, 0));
            }
            if (Bench.runs(RollbackScenario.SCENARIO)) {
                notes.addAll(new RollbackScenario(broker).run(coalescedN));
            }
            if (Bench.runs(ScaleOutScenario.SCENARIO)) {
                new ScaleOutScenario(broker).runAll(scaleOutN, run -> {
                    scaleOutRuns.add(run);
                    rows.add(run.row());
                });
            }
        } finally {
            broker.close();
            report(Duration.ofNanos(System.nanoTime() - started));
        }
        for (Row row : rows) {
            if (row.impl().equals("worker")) {
                assertThat(row.duplicates()).as("%s: duplicate assignments", row.scenario()).isZero();
                assertThat(row.duplicateOutcomes()).as("%s: duplicate outcomes", row.scenario()).isZero();
                assertThat(row.missing()).as("%s: missing outcomes", row.scenario()).isZero();
            }
        }
        CoalescedReport.assertCorrect(coalescedRuns);
        ScaleOutScenario.assertCorrect(scaleOutRuns);
    }

    /** The packaged worker on a fresh emulator, topics and group: warm-up, then the measured requests. */
    private Row worker(String scenario, EmulatorSettings settings, Consumer<TenantBehaviour> faults, int policyCount,
                       int warmupCount, int count, int budgetPerSecond, String heapOption, double reportedBudget)
            throws Exception {
        String id = scenario + "-" + UUID.randomUUID().toString().substring(0, 8);
        say("%s: worker, %d requests over %d policies (+%d warm-up)", scenario, count, policyCount, warmupCount);
        try (GraphEmulator graph = GraphEmulator.start(settings)) {
            String secret = "bench-" + UUID.randomUUID();
            graph.registerApp(TENANT, CLIENT_ID, secret);
            List<String> policies = policies(graph, policyCount);
            faults.accept(graph.tenant(TENANT));
            Path trustStore = graph.writeTrustStore(Bench.logDir());
            String requests = "bench.requests." + id;
            String results = "bench.results." + id;
            Load.createTopics(broker.bootstrapServers(), PARTITIONS, requests, results);
            List<Load.Request> warm = Load.plan(id + "-warm", TENANT, policies, warmupCount);
            List<Load.Request> plan = Load.plan(id, TENANT, policies, count);
            try (ResultWatch watch = new ResultWatch(broker.bootstrapServers(), results);
                 BenchWorker worker = BenchWorker.start("worker-" + id, heapOption,
                         workerEnv(graph, secret, requests, results, id, budgetPerSecond, settings.budgetWindow()),
                         trustStore)) {
                worker.awaitReady(Duration.ofSeconds(180));
                // Warm the code the phase runs: rounds the size and shape of the phase (a round at once, as the
                // phase comes), and the heap sampler's reads, which run in the phase too. One warm-up of all at
                // once, unsampled, left the create path and the sampler's endpoint for the JIT to compile inside
                // the measured phase (-XX:+PrintCompilation showed it).
                worker.startHeapSampling();
                for (int from = 0; from < warm.size(); from += count) {
                    List<Load.Request> round = warm.subList(from, Math.min(warm.size(), from + count));
                    Load.publish(broker.bootstrapServers(), requests, round);
                    awaitAll(watch, round, worker);
                }
                worker.stopHeapSampling();
                say("%s: warm-up Graph %s", scenario, graph.stats().sortedCounts());
                // A pause between the phases. The budget-bound worker's pacing and Graph's 20 s window both still
                // hold the warm-up's writes, so the measured phase goes on at the pace rather than with a burst.
                Thread.sleep(1_500);
                EmulatorStats before = graph.stats();
                long allocatedBefore = worker.allocatedBytes(); // read before the CPU is: it costs the worker some
                long cpuBefore = worker.cpuMillis();
                Map<String, Long> threadsBefore = worker.cpuMillisByThread();
                long benchBefore = Bench.selfCpuMillis();
                long brokerBefore = BenchWorker.cpuMillis(broker.pid());
                worker.startHeapSampling();
                Load.publish(broker.bootstrapServers(), requests, plan);
                awaitAll(watch, plan, worker);
                long cpu = worker.cpuMillis() - cpuBefore;
                notes.add(scenario + " worker CPU by thread: " + byThread(threadsBefore, worker.cpuMillisByThread(),
                        count));
                notes.add(String.format("%s worker allocated %.1f KB/req (counted at each young collection, so "
                        + "to within a young generation)", scenario,
                        (worker.allocatedBytes() - allocatedBefore) / (double) count / 1000));
                double benchCpu = (double) (Bench.selfCpuMillis() - benchBefore) / count;
                double brokerCpu = (double) (BenchWorker.cpuMillis(broker.pid()) - brokerBefore) / count;
                long heap = worker.stopHeapSampling();
                EmulatorStats during = graph.stats().minus(before);
                Thread.sleep(2_000); // a late duplicate outcome would show up by now
                List<Load.Request> all = new ArrayList<>(warm);
                all.addAll(plan);
                ResultWatch.Phase phase = watch.phase(plan);
                Row row = new Row(scenario, "worker", count, phase.seconds(),
                        Bench.percentile(phase.latenciesMillis(), 50), Bench.percentile(phase.latenciesMillis(), 99),
                        (double) cpu / count, heap / 1048576.0, during.graphCalls(), during.throttled(),
                        graph.duplicateAssignments(TENANT), watch.duplicateOutcomes(), watch.missing(all),
                        notCreated(watch.statuses()), reportedBudget, benchCpu, brokerCpu);
                say("%s: %s; statuses %s; Graph %s", scenario, row.line(), watch.statuses(), during.sortedCounts());
                return row;
            }
        }
    }

    /** The synchronous baseline on a fresh emulator with the same settings; the topic is loaded first. */
    private Row baseline(String scenario, EmulatorSettings settings, Consumer<TenantBehaviour> faults,
                         int policyCount, int count, double reportedBudget) throws Exception {
        String id = scenario + "-base-" + UUID.randomUUID().toString().substring(0, 8);
        say("%s: baseline, %d requests over %d policies", scenario, count, policyCount);
        try (GraphEmulator graph = GraphEmulator.start(settings)) {
            String secret = "bench-" + UUID.randomUUID();
            graph.registerApp(TENANT, CLIENT_ID, secret);
            List<String> policies = policies(graph, policyCount);
            faults.accept(graph.tenant(TENANT));
            Path trustStore = graph.writeTrustStore(Bench.logDir());
            String requests = "bench.requests." + id;
            String results = "bench.results." + id;
            Load.createTopics(broker.bootstrapServers(), PARTITIONS, requests, results);
            Load.publish(broker.bootstrapServers(), requests, Load.plan(id, TENANT, policies, count));
            SyncBaseline baseline = new SyncBaseline(broker.bootstrapServers(), requests, results, PARTITIONS,
                    graph.graphBaseUrl(), graph.authorityHost(), TENANT, CLIENT_ID, secret, trustStore);
            EmulatorStats before = graph.stats();
            long benchBefore = Bench.selfCpuMillis();
            long brokerBefore = BenchWorker.cpuMillis(broker.pid());
            SyncBaseline.Outcome outcome = baseline.run(count, Duration.ofSeconds(Math.max(300, count)));
            EmulatorStats during = graph.stats().minus(before);
            double benchCpu = (double) (Bench.selfCpuMillis() - benchBefore) / count;
            double brokerCpu = (double) (BenchWorker.cpuMillis(broker.pid()) - brokerBefore) / count;
            Row row = new Row(scenario, "baseline", outcome.done() + outcome.failed(), outcome.seconds(),
                    Bench.percentile(outcome.latenciesMillis(), 50), Bench.percentile(outcome.latenciesMillis(), 99),
                    -1, -1, during.graphCalls(), during.throttled(), graph.duplicateAssignments(TENANT), -1,
                    count - outcome.done() - outcome.failed(), outcome.failed(), reportedBudget, benchCpu, brokerCpu);
            say("%s: %s; Graph %s", scenario, row.line(), during.sortedCounts());
            return row;
        }
    }

    /**
     * Heap with a backlog: the whole backlog is published first, then a worker limited to -Xmx256m starts.
     *
     * @param padding bytes of an ignored field in every record (0: the plain requests of ~500 bytes)
     */
    private Row backlog(EmulatorSettings settings, int policyCount, int count, int padding) throws Exception {
        String name = padding == 0 ? "backlog" : "backlog-fat";
        String id = name + "-" + UUID.randomUUID().toString().substring(0, 8);
        say("%s: publishing %d requests (%d bytes of padding each) over %d policies, then starting a worker with "
                + "-Xmx256m", name, count, padding, policyCount);
        try (GraphEmulator graph = GraphEmulator.start(settings)) {
            String secret = "bench-" + UUID.randomUUID();
            graph.registerApp(TENANT, CLIENT_ID, secret);
            List<String> policies = policies(graph, policyCount);
            Path trustStore = graph.writeTrustStore(Bench.logDir());
            String requests = "bench.requests." + id;
            String results = "bench.results." + id;
            Load.createTopics(broker.bootstrapServers(), PARTITIONS, requests, results);
            List<Load.Request> plan = Load.plan(id, TENANT, policies, count);
            Load.publish(broker.bootstrapServers(), requests, plan, padding);
            try (ResultWatch watch = new ResultWatch(broker.bootstrapServers(), results);
                 BenchWorker worker = BenchWorker.start("worker-" + id, "-Xmx256m",
                         workerEnv(graph, secret, requests, results, id, UNLIMITED_WORKER_BUDGET,
                                 settings.budgetWindow()), trustStore)) {
                worker.startHeapSampling();
                EmulatorStats before = graph.stats();
                long benchBefore = Bench.selfCpuMillis();
                long brokerBefore = BenchWorker.cpuMillis(broker.pid());
                awaitAll(watch, plan, worker);
                long cpu = worker.cpuMillis();
                double benchCpu = (double) (Bench.selfCpuMillis() - benchBefore) / count;
                double brokerCpu = (double) (BenchWorker.cpuMillis(broker.pid()) - brokerBefore) / count;
                long heap = worker.stopHeapSampling();
                EmulatorStats during = graph.stats().minus(before);
                Thread.sleep(2_000);
                ResultWatch.Phase phase = watch.phase(plan);
                Row row = new Row(name + " (-Xmx256m)", "worker", count, phase.seconds(),
                        Bench.percentile(phase.latenciesMillis(), 50), Bench.percentile(phase.latenciesMillis(), 99),
                        (double) cpu / count, heap / 1048576.0, during.graphCalls(), during.throttled(),
                        graph.duplicateAssignments(TENANT), watch.duplicateOutcomes(), watch.missing(plan),
                        notCreated(watch.statuses()), 0, benchCpu, brokerCpu);
                notes.add(name + " row: CPU ms/req includes the worker's start-up (JVM + Spring Boot), because the "
                        + "backlog is there before it starts");
                notes.add(worker.peakLiveHeap() == 0
                        ? name + " row: no collection of the old generation during the run, so no live heap figure"
                        : String.format(Locale.ROOT, name + " row: peak heap live after a collection "
                        + "(jvm_gc_live_data_size_bytes) %.0f MB; peak in use %.0f MB", worker.peakLiveHeap() / 1048576.0,
                        heap / 1048576.0));
                say("%s: %s; statuses %s", name, row.line(), watch.statuses());
                return row;
            }
        }
    }

    private Map<String, String> workerEnv(GraphEmulator graph, String secret, String requests,
                                          String results, String group, int budgetPerSecond, Duration window) {
        Map<String, String> env = BenchWorker.environment(broker.bootstrapServers(), group, requests, results,
                graph.graphBaseUrl(), graph.authorityHost(), TENANT, CLIENT_ID, secret);
        long budget = budgetPerSecond * window.toSeconds();
        env.put("WORKER_SCHEDULING_WRITE_BUDGET", Long.toString(budget));
        env.put("WORKER_SCHEDULING_REQUEST_BUDGET", Long.toString(budget * 10));
        env.put("WORKER_SCHEDULING_BUDGET_WINDOW", window.toSeconds() + "s");
        return env;
    }

    /**
     * The phase's CPU per request by thread group, largest first, and without the JIT compiler threads (whose
     * work is a start-up cost, if a long one: they still compile minutes after start).
     */
    static String byThread(Map<String, Long> before, Map<String, Long> after, int requests) {
        Map<String, Long> delta = new HashMap<>();
        after.forEach((name, millis) -> delta.put(name, millis - before.getOrDefault(name, 0L)));
        long all = delta.values().stream().mapToLong(Long::longValue).sum();
        long jit = delta.entrySet().stream().filter(e -> e.getKey().contains("CompilerThre"))
                .mapToLong(Map.Entry::getValue).sum();
        StringBuilder out = new StringBuilder(String.format(Locale.ROOT,
                "%.3f ms/req in live threads, %.3f without JIT compilation;", (double) all / requests,
                (double) (all - jit) / requests));
        delta.entrySet().stream().filter(e -> e.getValue() > 0)
                .sorted(Map.Entry.<String, Long>comparingByValue().reversed()).limit(12)
                .forEach(e -> out.append(String.format(Locale.ROOT, " %s %.3f,", e.getKey(),
                        (double) e.getValue() / requests)));
        return out.substring(0, out.length() - 1);
    }

    private void awaitAll(ResultWatch watch, List<Load.Request> plan, BenchWorker worker) throws Exception {
        Duration atMost = Duration.ofSeconds(Math.max(180, plan.size() / 20));
        if (!watch.awaitAll(plan, atMost)) {
            throw new AssertionError(watch.missing(plan) + " of " + plan.size() + " requests without an outcome after "
                    + atMost + "; worker log " + worker.log());
        }
    }

    private static List<String> policies(GraphEmulator graph, int count) {
        return IntStream.range(0, count).mapToObj(i -> {
            String policyId = UUID.randomUUID().toString();
            graph.addPolicy(TENANT, policyId, "Windows compliance " + (i + 1));
            return policyId;
        }).toList();
    }

    static int notCreated(Map<String, Integer> statuses) {
        return statuses.entrySet().stream().filter(e -> !e.getKey().equals("CREATED"))
                .mapToInt(Map.Entry::getValue).sum();
    }

    private void report(Duration took) throws Exception {
        StringBuilder out = new StringBuilder();
        out.append(String.format(Locale.ROOT, "%nBenchmark %s, scale %s, %d CPUs, Java %s, took %ds%n%n",
                LocalDateTime.now().withNano(0), Bench.scale(), Runtime.getRuntime().availableProcessors(),
                System.getProperty("java.version"), took.toSeconds()));
        out.append(Row.header()).append('\n');
        rows.forEach(row -> out.append(row.line()).append('\n'));
        out.append('\n');
        for (String scenario : List.of("latency-bound", "budget-bound", "faults")) {
            Row worker = find(scenario, "worker");
            Row baseline = find(scenario, "baseline");
            if (worker != null && baseline != null) {
                out.append(String.format(Locale.ROOT, "%s: worker ÷ baseline = %.1f× (%.0f vs %.0f results/s)%n",
                        scenario, worker.rate() / baseline.rate(), worker.rate(), baseline.rate()));
            }
        }
        out.append('\n').append("Targets:\n");
        Row latency = find("latency-bound", "worker");
        Row latencyBase = find("latency-bound", "baseline");
        if (latency != null) {
            target(out, "latency-bound ≥ 1,000 results/s", latency.rate(), 1_000, true, "%.0f results/s");
            if (latencyBase != null) {
                target(out, "latency-bound ≥ 15× baseline", latency.rate() / latencyBase.rate(), 15, true, "%.1f×");
            }
        }
        Row budget = find("budget-bound", "worker");
        if (budget != null) {
            target(out, "budget-bound efficiency ≥ 0.95", budget.efficiency(), 0.95, true, "%.3f");
            target(out, "budget-bound 429s ≤ 1%", 100 * budget.throttledRatio(), 1, false, "%.2f%%");
        }
        for (Row row : rows) {
            if (row.impl().equals("worker") && !row.scenario().startsWith("backlog")) {
                target(out, row.scenario() + " worker CPU ≤ 0.3 ms/request", row.cpuMsPerRequest(), 0.3, false,
                        "%.3f ms");
            }
        }
        for (Row backlog : rows.stream().filter(r -> r.scenario().startsWith("backlog")).toList()) {
            target(out, "heap ≤ 256 MB with a " + backlog.scenario() + " of " + backlog.requests(),
                    backlog.peakHeapMb(), 256, false, "%.0f MB");
        }
        for (Row row : rows) {
            if (row.impl().equals("worker")) {
                out.append(String.format(Locale.ROOT, "  %-7s %s: duplicates %d, duplicate outcomes %d, missing %d%n",
                        row.duplicates() == 0 && row.duplicateOutcomes() == 0 && row.missing() == 0 ? "MET" : "MISSED",
                        row.scenario(), row.duplicates(), row.duplicateOutcomes(), row.missing()));
            }
        }
        CoalescedReport.report(out, coalescedRuns, find(UnthrottledScenario.SCENARIO, "baseline"));
        ScaleOutScenario.report(out, scaleOutRuns, ScaleOutScenario.requests());
        notes.forEach(note -> out.append("Note: ").append(note).append('\n'));
        System.out.println(out);
        Files.writeString(Bench.logDir().resolve("results.md"), out.toString());
    }

    static void target(StringBuilder out, String name, double value, double bound, boolean atLeast,
                               String format) {
        boolean met = atLeast ? value >= bound : value <= bound;
        double off = 100 * Math.abs(value - bound) / bound;
        out.append(String.format(Locale.ROOT, "  %-7s %s: " + format + " (%s by %.0f%%)%n",
                met ? "MET" : "MISSED", name, value, met ? "better than the target" : "missed", off));
    }

    private Row find(String scenario, String impl) {
        return rows.stream().filter(r -> r.scenario().equals(scenario) && r.impl().equals(impl)).findFirst()
                .orElse(null);
    }

    static void say(String format, Object... args) {
        System.out.printf(Locale.ROOT, "[bench %s] " + format + "%n", prepend(LocalDateTime.now().toLocalTime()
                .withNano(0), args));
    }

    private static Object[] prepend(Object first, Object[] rest) {
        Object[] all = new Object[rest.length + 1];
        all[0] = first;
        System.arraycopy(rest, 0, all, 1, rest.length);
        return all;
    }

    private static void quietConsole() {
        if (LoggerFactory.getILoggerFactory() instanceof LoggerContext context) {
            context.getLogger(Logger.ROOT_LOGGER_NAME).setLevel(Level.WARN);
            context.getLogger("org.apache.kafka").setLevel(Level.ERROR);
        }
    }
}
