package io.assignmentworker.process;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.assignmentworker.emulator.EmulatorSettings;
import io.assignmentworker.emulator.EmulatorStats;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.utils.Utils;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.extension.RegisterExtension;
import tools.jackson.databind.JsonNode;

/**
 * The assign strategy end to end, on a real broker process with packaged workers: a tenant that refuses the
 * create route, policies that already have assignments of every target type, requests coalesced per policy
 * into {@code /assign} writes that replace the policy's whole set. Whatever moves between workers or dies,
 * every request ends CREATED exactly once, nothing is assigned twice, and nothing the administrator assigned
 * before is lost or altered.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class CoalescedAssignIT {

    static {
        QuietConsole.apply();
    }

    private static final int POLICIES = 4;
    /** Worker budgets that never bind: the subject here is coalescing, not pacing. */
    private static final int BUDGET = 100_000;
    private static final Duration RUN = Duration.ofSeconds(180);
    /** After SIGKILL: the dead member's session (15 s) and its open transactions (15 s) hold things up. */
    private static final Duration RECOVERY = Duration.ofSeconds(240);
    private static final int BY_POLICY_PARTITIONS = 6;
    private static final String SWITCHES = "intune_worker_strategy_switches_total";
    private static final String BATCHES = "intune_worker_assign_batch_size_requests_count";

    @RegisterExtension
    static final FailureLogs logs = new FailureLogs();

    @RegisterExtension
    static final ClassBroker broker = new ClassBroker("assign-broker", logs);

    private GraphFixture graph;
    private Scenario scenario;

    @AfterEach
    void stopScenario() throws Exception {
        Teardown.closeAll(scenario, graph);
    }

    @Test
    void twoWorkersCoalesceOnePolicyWithoutLosingAnything() throws Exception {
        graph = GraphFixture.start(EmulatorSettings.defaults().withWriteBudget(BUDGET).withRequestBudget(BUDGET * 10)
                .withLatency(Duration.ofMillis(20), Duration.ofMillis(10)));
        graph.emulator().tenant(GraphFixture.TENANT).createRouteRefused(true);
        List<String> policies = policiesOnDistinctPartitions(POLICIES);
        PreExistingAssignments seeded = PreExistingAssignments.seed(graph, policies);
        List<PlannedRequest> plan = rollout("two", policies, seeded, 1_000);
        scenario = new Scenario(broker.process(), graph, TopicNames.unique("two"), BUDGET, logs,
                Map.of("WORKER_GRAPH_STRATEGY", "auto"));

        WorkerProcess first = scenario.startWorker("two-worker-1");
        WorkerProcess second = scenario.startWorker("two-worker-2");
        CompletableFuture<List<RecordMetadata>> publishing = trickle(plan, 50, Duration.ofMillis(500));
        // Four policies on four of six partitions: however the group splits them, each worker owns one or more.
        await("both workers wrote /assign batches").atMost(RUN).pollInterval(Duration.ofMillis(100))
                .until(() -> first.counter(BATCHES) > 0 && second.counter(BATCHES) > 0);
        double secondBatches = second.counter(BATCHES);
        double secondSwitches = second.counter(SWITCHES);
        // Scale-in in the middle of the rollout: the second worker's policies move to the first while requests
        // for them keep arriving and its last writes may still be in flight.
        int answeredAtLeave = scenario.answered(plan);
        ProcessExit left = second.terminate();
        List<RecordMetadata> published = publishing.get(RUN.toSeconds(), TimeUnit.SECONDS);

        scenario.awaitAnswered(plan, plan.size(), RUN);
        scenario.awaitAllCommitted(RUN);
        EmulatorStats stats = graph.emulator().stats();
        Audit audit = audit(plan, published, scenario.committedResults(), seeded);
        long assigns = stats.count(EmulatorStats.Operation.ASSIGN);
        report(String.format("two workers (auto): %d requests over %d policies with %d pre-existing assignments; "
                        + "%d /assign calls (%.1f requests per write); batches written %.0f + %.0f, the second left "
                        + "at %d answered (in %d ms); strategy switches %.0f + %.0f, %d creates refused, %d lists; "
                        + "%d new assignments answered only alreadyExisted", plan.size(), POLICIES, seeded.count(),
                assigns, (double) plan.size() / Math.max(1, assigns), first.counter(BATCHES), secondBatches,
                answeredAtLeave, left.took().toMillis(), first.counter(SWITCHES), secondSwitches,
                stats.count(EmulatorStats.Operation.CREATE, 400), stats.count(EmulatorStats.Operation.LIST),
                audit.newAnsweredAlreadyExisted()));
        assertThat(left.forced()).as("second worker stopped on SIGTERM").isFalse();
        // Coalescing, not one write per request: requests arrive 50 per 500 ms, so a write carries about a
        // dozen (many more when they arrive at once); a quarter of the request count is far above that.
        assertThat(assigns).as("/assign calls for %d requests", plan.size()).isLessThanOrEqualTo(plan.size() / 4);
        assertThat(stats.count(EmulatorStats.Operation.CREATE, 201)).as("assignments created one by one").isZero();
    }

    @Test
    void killNineDuringCoalescedWritesLosesNothing() throws Exception {
        // 300 ms per call: a batch's list, /assign and read-back take ~1 s, so writes are in flight most of the time.
        graph = GraphFixture.start(EmulatorSettings.defaults().withWriteBudget(BUDGET).withRequestBudget(BUDGET * 10)
                .withLatency(Duration.ofMillis(300), Duration.ofMillis(50)));
        graph.emulator().tenant(GraphFixture.TENANT).createRouteRefused(true);
        List<String> policies = graph.addPolicies(POLICIES);
        PreExistingAssignments seeded = PreExistingAssignments.seed(graph, policies);
        List<PlannedRequest> plan = rollout("kill", policies, seeded, 600);
        // Batches of at most 25 split each policy's ~150 requests into several writes in a row, so the kill
        // falls between and during them rather than after one big write per policy.
        scenario = new Scenario(broker.process(), graph, TopicNames.unique("kill-assign"), BUDGET, logs,
                Map.of("WORKER_GRAPH_STRATEGY", "assign", "WORKER_SCHEDULING_MAX_BATCH_SIZE", "25"));

        WorkerProcess first = scenario.startWorker("kill-assign-worker-1");
        List<RecordMetadata> published = scenario.publish(plan);
        int answeredAtKill = scenario.awaitAnswered(plan, plan.size() / 3, RUN);
        // A batch has just been answered; its policy's next one is reading (300 ms) and then writing (300 ms):
        // kill while most policies' /assign calls are in flight. (Timing sets the scene only; nothing asserted
        // depends on it, and the report says how many writes were in flight.)
        sleep(Duration.ofMillis(300));
        long writesBeforeKill = graph.emulator().stats().writesPerformed();
        first.kill();
        Instant killed = Instant.now();
        sleep(Duration.ofSeconds(1)); // longer than any call's latency: whatever was sent has landed by now
        long landedAfterKill = graph.emulator().stats().writesPerformed() - writesBeforeKill;
        scenario.startWorker("kill-assign-worker-2");

        assertThat(answeredAtKill).as("answered when the worker was killed").isLessThan(plan.size());
        scenario.awaitAnswered(plan, plan.size(), RECOVERY);
        scenario.awaitAllCommitted(RECOVERY);
        EmulatorStats stats = graph.emulator().stats();
        Audit audit = audit(plan, published, scenario.committedResults(), seeded);
        report(String.format("kill -9 (assign) at %d/%d answered, %d /assign writes landed after the kill; all "
                        + "answered %d s after it; %d /assign calls in all, %d new assignments answered only "
                        + "alreadyExisted (written by the killed worker)", answeredAtKill, plan.size(),
                landedAfterKill, Duration.between(killed, Instant.now()).toSeconds(),
                stats.count(EmulatorStats.Operation.ASSIGN), audit.newAnsweredAlreadyExisted()));
        assertThat(stats.count(EmulatorStats.Operation.CREATE)).as("create calls with strategy=assign").isZero();
    }

    /**
     * Policies whose requests go to different partitions of the by-policy topic (the worker creates it with 6,
     * and keys its records {@code tenant/policy} with Kafka's default partitioner).
     */
    private List<String> policiesOnDistinctPartitions(int count) {
        Set<Integer> taken = new HashSet<>();
        List<String> policies = new ArrayList<>();
        while (policies.size() < count) {
            String policy = Rollout.guid();
            byte[] key = (GraphFixture.TENANT + "/" + policy).toLowerCase(Locale.ROOT).getBytes(StandardCharsets.UTF_8);
            if (taken.add(Utils.toPositive(Utils.murmur2(key)) % BY_POLICY_PARTITIONS)) {
                graph.emulator().addPolicy(GraphFixture.TENANT, policy, "Windows compliance " + (policies.size() + 1));
                policies.add(policy);
            }
        }
        return policies;
    }

    /**
     * {@code count} requests over the policies, every kind of target, plus per policy one request for a target
     * it already has and one target asked for twice under different requestIds (once right after the first, so
     * likely in the same batch; once at the end, in a later one).
     */
    private static List<PlannedRequest> rollout(String name, List<String> policies, PreExistingAssignments seeded,
                                                int count) {
        List<PlannedRequest> mixed = Rollout.mixedWithoutEveryone(name, GraphFixture.TENANT, policies,
                count - 2 * policies.size());
        List<PlannedRequest> plan = new ArrayList<>(mixed);
        List<PlannedRequest> atTheEnd = new ArrayList<>();
        for (int p = 0; p < policies.size(); p++) {
            String policy = policies.get(p);
            PlannedRequest original = mixed.get(policies.size() * (2 + p) + p);
            PlannedRequest repeat = original.again(original.requestId() + "-again");
            if (p % 2 == 0) {
                plan.add(plan.indexOf(original) + 1, repeat);
            } else {
                atTheEnd.add(repeat);
            }
            plan.add(plan.size() / (p + 2), new PlannedRequest(name + "-existing-" + p, GraphFixture.TENANT, policy,
                    seeded.existingTarget(policy)));
        }
        plan.addAll(atTheEnd);
        return List.copyOf(plan);
    }

    /**
     * What the audit found beyond its pass or fail.
     *
     * @param newAnsweredAlreadyExisted assignments the rollout added for which no request was answered
     *                                  {@code alreadyExisted: false}: a worker wrote them, but its outcome was not
     *                                  committed, and the next owner found them there (allowed, and reported)
     */
    private record Audit(int newAnsweredAlreadyExisted) {
    }

    /**
     * Exactly once (see {@link ExactlyOnceAudit}); every pre-existing assignment intact; requests for targets the
     * policy had answered with the administrator's assignment; every result naming the record upstream published.
     */
    private Audit audit(List<PlannedRequest> plan, List<RecordMetadata> published, List<JsonNode> results,
                        PreExistingAssignments seeded) {
        ExactlyOnceAudit.of(plan, results, graph, seeded.keys()).assertExactlyOnce();
        assertThat(seeded.lostOrChanged(graph)).as("pre-existing assignments lost or changed").isEmpty();
        Map<String, PlannedRequest> planned = new HashMap<>();
        Map<String, RecordMetadata> records = new HashMap<>();
        for (int i = 0; i < plan.size(); i++) {
            planned.put(plan.get(i).requestId(), plan.get(i));
            records.put(plan.get(i).requestId(), published.get(i));
        }
        List<String> wrongSource = new ArrayList<>();
        List<String> wrongExisting = new ArrayList<>();
        Map<String, Boolean> reportedNew = new HashMap<>();
        for (JsonNode result : results) {
            PlannedRequest request = planned.get(result.path("requestId").asString());
            RecordMetadata record = records.get(request.requestId());
            JsonNode source = result.path("source");
            if (!source.path("topic").asString("").equals(scenario.topics().requests())
                    || source.path("partition").asInt(-1) != record.partition()
                    || source.path("offset").asLong(-1) != record.offset()) {
                wrongSource.add(ExactlyOnceAudit.summary(result) + " but it was published at " + record.topic() + "-"
                        + record.partition() + "@" + record.offset());
            }
            boolean alreadyExisted = result.path("alreadyExisted").asBoolean(false);
            if (request.target().equals(seeded.existingTarget(request.policyId()))) {
                if (!alreadyExisted || !result.path("assignmentId").asString("")
                        .equals(seeded.existingId(request.policyId()))) {
                    wrongExisting.add(ExactlyOnceAudit.summary(result) + ", expected the pre-existing "
                            + seeded.existingId(request.policyId()));
                }
            } else {
                reportedNew.merge(request.assignmentKey(), !alreadyExisted, Boolean::logicalOr);
            }
        }
        assertThat(wrongSource).as("results whose source is not the request's record on the requests topic")
                .isEmpty();
        assertThat(wrongExisting).as("requests for a target the policy had, not answered with that assignment")
                .isEmpty();
        return new Audit((int) reportedNew.values().stream().filter(reported -> !reported).count());
    }

    /** Publishes {@code requests} in chunks, one every {@code pause}, on another thread. */
    private CompletableFuture<List<RecordMetadata>> trickle(List<PlannedRequest> requests, int chunk, Duration pause) {
        return CompletableFuture.supplyAsync(() -> {
            List<RecordMetadata> published = new ArrayList<>(requests.size());
            for (int i = 0; i < requests.size(); i += chunk) {
                published.addAll(scenario.publish(requests.subList(i, Math.min(requests.size(), i + chunk))));
                sleep(pause);
            }
            return published;
        }, runnable -> {
            Thread thread = new Thread(runnable, "trickle");
            thread.setDaemon(true);
            thread.start();
        });
    }

    private static void sleep(Duration duration) {
        try {
            Thread.sleep(duration.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    private static void report(String line) {
        System.out.println("[assign] " + line);
    }
}
