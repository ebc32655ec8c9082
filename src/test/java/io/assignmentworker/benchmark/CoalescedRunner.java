package io.assignmentworker.benchmark;

import io.assignmentworker.emulator.EmulatorSettings;
import io.assignmentworker.emulator.GraphEmulator;
import io.assignmentworker.process.KafkaBrokerProcess;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.stream.IntStream;

/**
 * Runs one worker on a fresh emulator, topics and group for the coalescing scenarios (issues 5 and 17): policies
 * seeded with {@link PreExisting} assignments, optionally a warm-up on policies of its own, then the measured
 * requests published in one go and watched until all are answered or the run's limit has passed.
 */
final class CoalescedRunner {

    private static final String TENANT = WorkerThroughputBenchmark.TENANT;

    /** The budgets the worker is told (the emulator's are in its settings). */
    record Budget(int writes, int calls, Duration window) {
        /** Intune's documented budget per app and tenant. */
        static final Budget INTUNE = new Budget(100, 1_000, Duration.ofSeconds(20));
        /** As the latency-bound scenario's worker: 100,000 writes and 1,000,000 calls a second, never binding. */
        static final Budget NEVER_BINDING = new Budget(WorkerThroughputBenchmark.UNLIMITED_WORKER_BUDGET,
                WorkerThroughputBenchmark.UNLIMITED_WORKER_BUDGET * 10, Duration.ofSeconds(1));
    }

    /** Requests answered before the measured ones, on {@code policies} policies of their own; none when 0. */
    record Warmup(int requests, int policies) {
        static final Warmup NONE = new Warmup(0, 0);
    }

    /**
     * One run.
     *
     * @param key          a name for topics and logs ({@code [a-z0-9-]})
     * @param strategy     {@code WORKER_GRAPH_STRATEGY}, or null to run the worker's default
     * @param routeRefused whether the tenant refuses the create route (as Intune does for compliance policies)
     * @param limit        how long to wait for the last outcome; then the rate so far is extrapolated
     * @param mustComplete whether a run still incomplete at its limit fails the benchmark at once
     */
    record Setup(String scenario, String key, String label, String strategy, boolean routeRefused, int policies,
                 int count, EmulatorSettings emulator, Budget budget, Warmup warmup, Duration limit,
                 boolean mustComplete) {
    }

    private final KafkaBrokerProcess broker;

    CoalescedRunner(KafkaBrokerProcess broker) {
        this.broker = broker;
    }

    CoalescedRun run(Setup setup) throws Exception {
        String id = setup.scenario() + "-" + setup.key() + "-" + UUID.randomUUID().toString().substring(0, 8);
        WorkerThroughputBenchmark.say("%s %s: worker strategy %s, %d requests over %d policies (+%d warm-up over "
                        + "%d others), create route refused %s, for at most %ds", setup.scenario(), setup.label(),
                setup.strategy() == null ? "default" : setup.strategy(), setup.count(), setup.policies(),
                setup.warmup().requests(), setup.warmup().policies(), setup.routeRefused(),
                setup.limit().toSeconds());
        try (GraphEmulator graph = GraphEmulator.start(setup.emulator())) {
            String secret = "bench-" + UUID.randomUUID();
            graph.registerApp(TENANT, WorkerThroughputBenchmark.CLIENT_ID, secret);
            List<String> policies = policies(graph, setup.policies(), "Windows compliance ");
            PreExisting preExisting = PreExisting.seed(graph, TENANT, policies);
            List<String> warmPolicies = policies(graph, setup.warmup().policies(), "Warm-up ");
            graph.tenant(TENANT).createRouteRefused(setup.routeRefused());
            String requests = "bench.requests." + id;
            String results = "bench.results." + id;
            Load.createTopics(broker.bootstrapServers(), WorkerThroughputBenchmark.PARTITIONS, requests, results);
            try (ResultWatch watch = new ResultWatch(broker.bootstrapServers(), results);
                 BenchWorker worker = BenchWorker.start("worker-" + id, "-Xmx512m", env(setup, graph, id, secret,
                         requests, results), graph.writeTrustStore(Bench.logDir()))) {
                worker.awaitReady(Duration.ofSeconds(180));
                holdOver(setup);
                Subject subject = new Subject(setup, graph, worker, watch, requests, preExisting);
                warmUp(subject, Load.plan(id + "-warm", TENANT, warmPolicies, setup.warmup().requests()));
                CoalescedRun run = new CoalescedMeasure(broker, subject).measure(Load.plan(id, TENANT, policies,
                        setup.count()));
                if (setup.mustComplete() && !run.complete()) {
                    throw new AssertionError(setup.scenario() + " " + setup.label() + ": " + run.row().requests()
                            + " of " + setup.count() + " requests answered after " + setup.limit() + "; worker log "
                            + worker.log());
                }
                return run;
            }
        }
    }

    /**
     * A worker spends its share of a tenant's budget only once the hold after its share rose is over (the budget
     * window + 1% + 5 s from its first partitions, which come just before it reports ready): the instance it
     * replaced may have spent the window. A long-running worker is past it; this one waits it out, so the run
     * measures the worker at work, not the hold.
     */
    private static void holdOver(Setup setup) throws InterruptedException {
        Duration window = setup.budget().window();
        Thread.sleep(window.plus(window.dividedBy(100)).plusSeconds(5).plusSeconds(1).toMillis());
    }

    /** What one run measures: a started worker, its emulator and the reader of its results. */
    record Subject(Setup setup, GraphEmulator graph, BenchWorker worker, ResultWatch watch, String topic,
                   PreExisting preExisting) {
    }

    private Map<String, String> env(Setup setup, GraphEmulator graph, String id, String secret, String requests,
                                    String results) {
        Map<String, String> env = BenchWorker.environment(broker.bootstrapServers(), id, requests, results,
                graph.graphBaseUrl(), graph.authorityHost(), TENANT, WorkerThroughputBenchmark.CLIENT_ID, secret);
        env.put("WORKER_SCHEDULING_WRITE_BUDGET", Integer.toString(setup.budget().writes()));
        env.put("WORKER_SCHEDULING_REQUEST_BUDGET", Integer.toString(setup.budget().calls()));
        env.put("WORKER_SCHEDULING_BUDGET_WINDOW", setup.budget().window().toSeconds() + "s");
        if (setup.strategy() != null) {
            env.put("WORKER_GRAPH_STRATEGY", setup.strategy());
        }
        return env;
    }

    /**
     * Answers the warm-up, checked but not measured, then pauses as the latency-bound scenario does. It runs on
     * policies of its own: on the measured ones it would grow each policy's set by thousands of assignments, and
     * every {@code /assign} carries its policy's whole set.
     */
    private void warmUp(Subject subject, List<Load.Request> warm) throws Exception {
        if (warm.isEmpty()) {
            return;
        }
        Load.publish(broker.bootstrapServers(), subject.topic(), warm);
        Duration atMost = Duration.ofSeconds(Math.max(180, warm.size() / 20));
        if (!subject.watch().awaitAll(warm, atMost)) {
            throw new AssertionError(subject.watch().missing(warm) + " of " + warm.size() + " warm-up requests "
                    + "without an outcome after " + atMost + "; worker log " + subject.worker().log());
        }
        Thread.sleep(1_500);
    }

    private static List<String> policies(GraphEmulator graph, int count, String namePrefix) {
        return IntStream.range(0, count).mapToObj(i -> {
            String policy = UUID.randomUUID().toString();
            graph.addPolicy(TENANT, policy, namePrefix + (i + 1));
            return policy;
        }).toList();
    }
}
