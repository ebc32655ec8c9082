package io.assignmentworker.process;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.assignmentworker.emulator.EmulatorSettings;
import io.assignmentworker.support.Requests;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.Set;
import java.util.TreeMap;
import java.util.UUID;
import java.util.stream.Collectors;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.extension.RegisterExtension;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Rollout summaries (issue 7) across a worker that dies: a manifest declares the rollout's size, its requests
 * run, the worker is killed with {@code kill -9} in the middle and started again. The rollout's final status on
 * the compacted rollouts topic must count every result exactly once: total equal to the manifest's count,
 * complete, and created / alreadyExisted / failed (by category) equal to what the result topic says, although
 * the new worker took over the rollout's aggregation from its changelog and answered again the requests the dead
 * one had left uncommitted.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class RolloutSummaryIT {

    static {
        QuietConsole.apply();
    }

    private static final JsonMapper JSON = JsonMapper.builder().build();
    private static final int VALID = 900;
    private static final int REPEATED = 50;
    private static final int UNKNOWN_POLICY = 50;
    private static final int POLICIES = 10;
    private static final int BUDGET = 100_000;
    /** As in CrashRecoveryIT: at most 128 calls at once, 250 ms each, so the run lasts long enough to interrupt. */
    private static final EmulatorSettings SLOW_GRAPH = EmulatorSettings.defaults().withWriteBudget(BUDGET)
            .withRequestBudget(BUDGET * 10).withLatency(Duration.ofMillis(250), Duration.ofMillis(50));
    private static final Duration FIRST_THIRD = Duration.ofSeconds(120);
    /** After SIGKILL: the dead member's session (15 s) and its open transactions (15 s) hold things up. */
    private static final Duration RECOVERY = Duration.ofSeconds(240);
    /** Longer than Kafka Streams' commit interval many times over: a status counted twice would be out by now. */
    private static final Duration QUIET = Duration.ofSeconds(3);

    @RegisterExtension
    static final FailureLogs logs = new FailureLogs();

    @RegisterExtension
    static final ClassBroker broker = new ClassBroker("rollout-broker", logs);

    private GraphFixture graph;
    private Scenario scenario;

    @AfterEach
    void stopScenario() throws Exception {
        Teardown.closeAll(scenario, graph);
    }

    @Test
    void summaryCountsEveryResultOnceAcrossAKilledWorker() throws Exception {
        graph = GraphFixture.start(SLOW_GRAPH);
        String id = UUID.randomUUID().toString().substring(0, 8);
        String rollouts = "intune.assignment.rollouts." + id;
        String manifests = "intune.assignment.rollout-manifests." + id;
        // One create per request, so that the kill lands mid-run (coalescing would answer it in a few writes).
        scenario = new Scenario(broker.process(), graph, TopicNames.unique("rollout"), BUDGET, logs, Map.of(
                "WORKER_TOPICS_ROLLOUTS", rollouts, "WORKER_TOPICS_ROLLOUT_MANIFESTS", manifests,
                "WORKER_GRAPH_STRATEGY", "create"));
        String rolloutId = "rollout-" + id;
        List<PlannedRequest> plan = plan(rolloutId, graph.addPolicies(POLICIES));

        WorkerProcess first = scenario.startWorker("rollout-worker-1");
        try (Requests manifest = new Requests(broker.process().bootstrapServers(), manifests)) {
            manifest.send(rolloutId, """
                    {"rolloutId":"%s","expectedCount":%d,"description":"RolloutSummaryIT"}"""
                    .formatted(rolloutId, plan.size()));
        }
        scenario.publish(plan);
        int answeredAtKill = scenario.awaitAnswered(plan, plan.size() / 3, FIRST_THIRD);
        first.kill();
        Instant killed = Instant.now();
        scenario.startWorker("rollout-worker-2");

        scenario.awaitAnswered(plan, plan.size(), RECOVERY);
        scenario.awaitAllCommitted(RECOVERY);
        List<JsonNode> results = scenario.committedResults().stream()
                .filter(r -> rolloutId.equals(r.path("rolloutId").asString(null))).toList();
        assertOneResultPerRequest(plan, results);
        JsonNode summary = awaitCompleteSummary(rollouts, rolloutId, plan.size());
        sleep(QUIET);
        List<JsonNode> statuses = statuses(rollouts, rolloutId);
        JsonNode last = statuses.get(statuses.size() - 1);

        Counts expected = Counts.of(results);
        report(String.format("kill -9 at %d/%d answered; complete summary %d s after the kill: %s; results say %s; "
                        + "%d statuses published, none above %d", answeredAtKill, plan.size(),
                Duration.between(killed, Instant.now()).minus(QUIET).toSeconds(), summary, expected, statuses.size(),
                statuses.stream().mapToLong(s -> s.path("total").asLong()).max().orElse(0)));
        assertThat(answeredAtKill).as("answered when the worker was killed").isLessThan(plan.size());
        assertThat(last).as("the latest status %s after the summary", QUIET).isEqualTo(summary);
        assertThat(statuses).as("no status ever counted more than the rollout's requests")
                .allSatisfy(s -> assertThat(s.path("total").asLong()).isLessThanOrEqualTo(plan.size()));
        assertThat(summary.path("rolloutId").asString()).isEqualTo(rolloutId);
        assertThat(summary.path("expectedCount").asLong()).as("expectedCount").isEqualTo(plan.size());
        assertThat(summary.path("total").asLong()).as("total").isEqualTo(plan.size());
        assertThat(summary.path("complete").asBoolean()).as("complete").isTrue();
        assertThat(Counts.of(summary)).as("the summary's counts against the committed results").isEqualTo(expected);
        assertThat(expected.failedByCategory()).as("what the rollout was built to contain")
                .isEqualTo(Map.of("NOT_FOUND", (long) UNKNOWN_POLICY));
        assertThat(expected.alreadyExisted()).as("repeated targets answered alreadyExisted, at least")
                .isGreaterThanOrEqualTo(REPEATED);
    }

    /**
     * Requests of one rollout over the policies, every kind of target; some targets asked for twice (the second
     * is answered {@code alreadyExisted}) and some for a policy the tenant does not have (FAILED, NOT_FOUND), all
     * shuffled together.
     */
    private static List<PlannedRequest> plan(String rolloutId, List<String> policies) {
        List<PlannedRequest> valid = Rollout.mixed("summary", GraphFixture.TENANT, policies, VALID);
        List<PlannedRequest> plan = new ArrayList<>(valid);
        for (int i = 0; i < REPEATED; i++) {
            plan.add(valid.get(i * 7).again(valid.get(i * 7).requestId() + "-again"));
        }
        for (int i = 0; i < UNKNOWN_POLICY; i++) {
            plan.add(new PlannedRequest("summary-unknown-policy-" + i, GraphFixture.TENANT, Rollout.guid(),
                    Target.group(Rollout.guid())));
        }
        Collections.shuffle(plan, new Random(7));
        return plan.stream().map(r -> r.inRollout(rolloutId)).toList();
    }

    private static void assertOneResultPerRequest(List<PlannedRequest> plan, List<JsonNode> results) {
        Map<String, Long> perRequest = results.stream()
                .collect(Collectors.groupingBy(r -> r.path("requestId").asString(""), Collectors.counting()));
        Set<String> planned = plan.stream().map(PlannedRequest::requestId).collect(Collectors.toSet());
        assertThat(perRequest.keySet()).as("requests of the rollout with a committed result").isEqualTo(planned);
        assertThat(perRequest).as("results per request").allSatisfy((request, count) -> assertThat(count)
                .as(request).isEqualTo(1L));
    }

    /** Waits for the rollout's latest committed status to say complete with {@code total} results. */
    private JsonNode awaitCompleteSummary(String topic, String rolloutId, int total) {
        return await("complete summary of " + rolloutId).atMost(RECOVERY).pollInterval(Duration.ofSeconds(1))
                .until(() -> latest(topic, rolloutId), status -> status.isPresent()
                        && status.get().path("complete").asBoolean() && status.get().path("total").asLong() == total)
                .orElseThrow();
    }

    private Optional<JsonNode> latest(String topic, String rolloutId) {
        List<JsonNode> statuses = statuses(topic, rolloutId);
        return statuses.isEmpty() ? Optional.empty() : Optional.of(statuses.get(statuses.size() - 1));
    }

    /** Every committed status of the rollout, oldest first (a rollout lives in one partition, so in order). */
    private List<JsonNode> statuses(String topic, String rolloutId) {
        List<JsonNode> statuses = new ArrayList<>();
        for (ConsumerRecord<byte[], byte[]> record : CommittedRecords.read(broker.process().bootstrapServers(), topic,
                Duration.ofSeconds(30))) {
            if (record.key() != null && record.value() != null
                    && rolloutId.equals(new String(record.key(), StandardCharsets.UTF_8))) {
                statuses.add(JSON.readTree(new String(record.value(), StandardCharsets.UTF_8)));
            }
        }
        return statuses;
    }

    /** What a rollout status counts, or what the results it counts say. */
    private record Counts(long created, long alreadyExisted, long failed, Map<String, Long> failedByCategory) {

        static Counts of(List<JsonNode> results) {
            long created = 0;
            long alreadyExisted = 0;
            Map<String, Long> failed = new TreeMap<>();
            for (JsonNode result : results) {
                if ("CREATED".equals(result.path("status").asString())) {
                    if (result.path("alreadyExisted").asBoolean()) {
                        alreadyExisted++;
                    } else {
                        created++;
                    }
                } else {
                    failed.merge(result.path("error").path("category").asString("?"), 1L, Long::sum);
                }
            }
            return new Counts(created, alreadyExisted, failed.values().stream().mapToLong(Long::longValue).sum(),
                    failed);
        }

        static Counts of(JsonNode status) {
            Map<String, Long> byCategory = new TreeMap<>();
            status.path("failedByCategory").properties()
                    .forEach(e -> byCategory.put(e.getKey(), e.getValue().asLong()));
            return new Counts(status.path("created").asLong(), status.path("alreadyExisted").asLong(),
                    status.path("failed").asLong(), byCategory);
        }
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
        System.out.println("[rollout-summary] " + line);
    }
}
