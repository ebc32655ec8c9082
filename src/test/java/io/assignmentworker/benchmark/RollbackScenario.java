package io.assignmentworker.benchmark;

import static io.assignmentworker.benchmark.WorkerThroughputBenchmark.say;

import io.assignmentworker.cli.Cli;
import io.assignmentworker.emulator.EmulatorStats;
import io.assignmentworker.emulator.GraphEmulator;
import io.assignmentworker.process.KafkaBrokerProcess;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.stream.IntStream;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Issue 18: roll back a rollout of 10,000 assignments over 20 policies at Intune's budget (100 writes / 20 s),
 * as an administrator does, with {@code iaw rollback ID --wait} (the tool in this JVM, the packaged worker in its
 * own): timed from the command's start to its summary. Then the same rollback again. Checked: every pre-existing
 * assignment untouched and nothing else left, no duplicate, the first rollback all REMOVED, the second finding
 * everything already undone: nothing sent, no write.
 */
final class RollbackScenario {

    static final String SCENARIO = "rollback";
    static final int POLICIES = 20;
    /** Issue 18's target for the first rollback of 10,000. */
    static final Duration TARGET = Duration.ofSeconds(30);
    private static final String TENANT = WorkerThroughputBenchmark.TENANT;
    private static final JsonMapper JSON = JsonMapper.builder().build();

    private final KafkaBrokerProcess broker;

    RollbackScenario(KafkaBrokerProcess broker) {
        this.broker = broker;
    }

    /** What the scenario measured, as notes for the report; throws when a check fails. */
    List<String> run(int count) throws Exception {
        String id = SCENARIO + "-" + UUID.randomUUID().toString().substring(0, 8);
        say("%s: %d requests over %d policies at Intune's budget, then iaw rollback twice", SCENARIO, count, POLICIES);
        try (GraphEmulator graph = GraphEmulator.start(CoalescedScenario.intune())) {
            String secret = "bench-" + UUID.randomUUID();
            graph.registerApp(TENANT, WorkerThroughputBenchmark.CLIENT_ID, secret);
            List<String> policies = IntStream.range(0, POLICIES).mapToObj(i -> {
                String policy = UUID.randomUUID().toString();
                graph.addPolicy(TENANT, policy, "Windows compliance " + (i + 1));
                return policy;
            }).toList();
            PreExisting preExisting = PreExisting.seed(graph, TENANT, policies);
            Map<String, List<JsonNode>> before = snapshot(graph, policies);
            graph.tenant(TENANT).createRouteRefused(true);
            String requests = "bench.requests." + id;
            String results = "bench.results." + id;
            Load.createTopics(broker.bootstrapServers(), WorkerThroughputBenchmark.PARTITIONS, requests, results);
            Map<String, String> env = BenchWorker.environment(broker.bootstrapServers(), id, requests, results,
                    graph.graphBaseUrl(), graph.authorityHost(), TENANT, WorkerThroughputBenchmark.CLIENT_ID, secret);
            env.put("WORKER_SCHEDULING_WRITE_BUDGET", "100");
            env.put("WORKER_SCHEDULING_REQUEST_BUDGET", "1000");
            env.put("WORKER_SCHEDULING_BUDGET_WINDOW", "20s");
            try (ResultWatch watch = new ResultWatch(broker.bootstrapServers(), results);
                 BenchWorker worker = BenchWorker.start("worker-" + id, "-Xmx512m", env,
                         graph.writeTrustStore(Bench.logDir()))) {
                worker.awaitReady(Duration.ofSeconds(180));
                // The worker's first share of the budget waits out a window (see CoalescedRunner#holdOver).
                Thread.sleep(Duration.ofSeconds(27).toMillis());
                List<Load.Request> plan = Load.plan(id, TENANT, policies, count);
                Load.publish(broker.bootstrapServers(), requests, plan);
                if (!watch.awaitAll(plan, Duration.ofMinutes(10))) {
                    throw new AssertionError(watch.missing(plan) + " of " + count + " rollout requests unanswered; "
                            + "worker log " + worker.log());
                }
                int rolledOut = snapshot(graph, policies).values().stream().mapToInt(List::size).sum();
                Map<String, String> cli = Map.of("SPRING_KAFKA_BOOTSTRAP_SERVERS", broker.bootstrapServers(),
                        "WORKER_TOPICS_REQUESTS", requests, "WORKER_TOPICS_RESULTS", results, "IAW_STDERR_TTY", "0");

                EmulatorStats first = graph.stats();
                long started = System.nanoTime();
                JsonNode firstRun = rollback(cli, id);
                Duration firstTook = Duration.ofNanos(System.nanoTime() - started);
                EmulatorStats firstCalls = graph.stats().minus(first);
                Map<String, List<JsonNode>> afterFirst = snapshot(graph, policies);

                EmulatorStats second = graph.stats();
                started = System.nanoTime();
                JsonNode secondRun = rollback(cli, id);
                Duration secondTook = Duration.ofNanos(System.nanoTime() - started);
                EmulatorStats secondCalls = graph.stats().minus(second);

                List<String> problems = new ArrayList<>();
                check(problems, "first rollback REMOVED", firstRun.path("rollout").path("removed").asInt(), count);
                check(problems, "first rollback FAILED", firstRun.path("rollout").path("failed").asInt(), 0);
                check(problems, "first rollback conflicts", firstRun.path("conflicts").size(), 0);
                check(problems, "second rollback: already undone", secondRun.path("alreadyUndone").size(), count);
                check(problems, "second rollback: changes sent", secondRun.path("changes").size()
                        + secondRun.path("published").asInt(), 0);
                check(problems, "second rollback writes", (int) secondCalls.writesPerformed(), 0);
                check(problems, "pre-existing assignments lost or changed", preExisting.lostOrChanged(graph, TENANT),
                        0);
                check(problems, "policies not exactly as before the rollout", (int) policies.stream()
                        .filter(p -> !sameSet(before.get(p), afterFirst.get(p))).count(), 0);
                check(problems, "duplicate assignments", graph.duplicateAssignments(TENANT), 0);
                if (!problems.isEmpty()) {
                    throw new AssertionError("rollback: " + problems + "; worker log " + worker.log());
                }
                String summary = String.format(java.util.Locale.ROOT, "rollback: %d assignments created over %d "
                                + "policies (%d pre-existing), then `iaw rollback --wait`: %.1f s from the command's "
                                + "start to its summary (target %d s), %d writes (%d /assign), all %d REMOVED; the "
                                + "%d pre-existing kept byte for byte, nothing else left; again: %.1f s, all %d "
                                + "already undone (nothing sent), %d writes; 0 duplicates, 0 conflicts", count, POLICIES,
                        preExisting.count(), firstTook.toMillis() / 1000.0, TARGET.toSeconds(),
                        firstCalls.writesPerformed(), firstCalls.count(EmulatorStats.Operation.ASSIGN), count,
                        preExisting.count(), secondTook.toMillis() / 1000.0, count,
                        secondCalls.writesPerformed());
                say("%s (set after the rollout: %d assignments)", summary, rolledOut);
                return List.of(summary);
            }
        }
    }

    /** {@code iaw rollback ID --wait -o json}: its document; throws when it does not end with exit 0. */
    private static JsonNode rollback(Map<String, String> env, String rolloutId) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int exit = Cli.run(new String[] {"rollback", rolloutId, "--wait", "--timeout", "10m", "-o", "json"}, env,
                new ByteArrayInputStream(new byte[0]), new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8));
        if (exit != 0) {
            throw new AssertionError("iaw rollback exited " + exit + ": " + err.toString(StandardCharsets.UTF_8));
        }
        return JSON.readTree(out.toString(StandardCharsets.UTF_8));
    }

    private static Map<String, List<JsonNode>> snapshot(GraphEmulator graph, List<String> policies) {
        Map<String, List<JsonNode>> sets = new LinkedHashMap<>();
        policies.forEach(policy -> sets.put(policy, graph.assignments(TENANT, policy)));
        return sets;
    }

    private static boolean sameSet(List<JsonNode> a, List<JsonNode> b) {
        return a.size() == b.size() && a.containsAll(b);
    }

    private static void check(List<String> problems, String what, int actual, int expected) {
        if (actual != expected) {
            problems.add(what + ": " + actual + " (expected " + expected + ")");
        }
    }
}
