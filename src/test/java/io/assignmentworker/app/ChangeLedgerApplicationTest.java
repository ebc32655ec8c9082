package io.assignmentworker.app;

import static io.assignmentworker.support.Requests.TENANT;
import static io.assignmentworker.support.Requests.groupRequest;
import static io.assignmentworker.support.Requests.guid;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.assignmentworker.emulator.EmulatorSettings;
import io.assignmentworker.emulator.GraphEmulator;
import io.assignmentworker.support.EmulatedTenant;
import io.assignmentworker.support.Requests;
import io.assignmentworker.support.Results;
import io.assignmentworker.support.Schemas;
import io.assignmentworker.support.TopicReader;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.Config;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.config.ConfigResource;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.kafka.test.context.EmbeddedKafka;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Creates, removes and updates end to end on a real broker, with the worker's defaults ({@code auto}): each
 * answered once, as the result schema says, and each change recorded on the ownership ledger with the result
 * that reports it (the latest entry of a subject names the rollout and request that last changed it, and what it
 * was before and after). What changed nothing has no entry.
 */
@SpringBootTest(properties = {"spring.kafka.bootstrap-servers=${spring.embedded.kafka.brokers}",
        "worker.topics.requests=" + ChangeLedgerApplicationTest.REQUESTS,
        "worker.topics.results=" + ChangeLedgerApplicationTest.RESULTS,
        "worker.topics.ledger=" + ChangeLedgerApplicationTest.LEDGER,
        "worker.topics.rollback-requests=" + ChangeLedgerApplicationTest.ROLLBACKS,
        "spring.kafka.consumer.group-id=change-ledger-test"})
@EmbeddedKafka(partitions = 3, brokerProperties = {
        "transaction.state.log.replication.factor=1", "transaction.state.log.min.isr=1"})
class ChangeLedgerApplicationTest {

    static final String REQUESTS = "ledger-test.requests";
    static final String RESULTS = "ledger-test.results";
    static final String LEDGER = "ledger-test.ledger";
    static final String ROLLBACKS = "ledger-test.rollbacks";
    static final String CLIENT_ID = "3c1f6a7e-0000-4000-8000-00000000c1d4";
    static final String SECRET = "test-only-secret-" + guid();
    static final String FILTER = "3c2b1a09-8f7e-4d6c-9b5a-4e3d2c1b0a99";
    static final GraphEmulator graph = GraphEmulator.start(
            EmulatorSettings.defaults().withWriteBudget(10_000).withRequestBudget(100_000));
    private static final JsonMapper JSON = JsonMapper.builder().build();

    @Value("${spring.embedded.kafka.brokers}")
    String brokers;

    @DynamicPropertySource
    static void worker(DynamicPropertyRegistry registry) {
        EmulatedTenant.registerUnthrottled(registry, graph, TENANT, CLIENT_ID, SECRET);
    }

    @AfterAll
    static void close() {
        graph.close();
    }

    /**
     * Compaction keeps only a subject's latest entry; a rollback of a rollout that changed a subject twice needs its
     * first entry too (what the subject held before both), so the worker creates the ledger keeping every entry for
     * 30 days first.
     */
    @Test
    void theLedgerItCreatesKeepsEveryEntryThirtyDaysBeforeCompaction() throws Exception {
        try (Admin admin = Admin.create(Map.of("bootstrap.servers", brokers))) {
            ConfigResource ledger = new ConfigResource(ConfigResource.Type.TOPIC, LEDGER);
            await().atMost(Duration.ofSeconds(30))
                    .until(() -> admin.listTopics().names().get(5, TimeUnit.SECONDS).contains(LEDGER));

            Config config = admin.describeConfigs(List.of(ledger)).all().get(10, TimeUnit.SECONDS).get(ledger);

            assertThat(config.get("cleanup.policy").value()).isEqualTo("compact");
            assertThat(config.get("min.compaction.lag.ms").value())
                    .isEqualTo(Long.toString(Duration.ofDays(30).toMillis()));
        }
    }

    @Test
    void recordsEveryChangeWithTheResultThatReportsItAndNothingElse() throws Exception {
        String policy = guid();
        graph.addPolicy(TENANT, policy, "ledger");
        String kept = guid();
        graph.addAssignment(TENANT, policy, JSON.readTree(groupRequest("seed", policy, kept)).path("assignment"));
        List<String> groups = List.of(guid(), guid(), guid(), guid());
        Map<String, String> asked = new LinkedHashMap<>();

        try (Requests requests = new Requests(brokers, REQUESTS); Results results = new Results(brokers, RESULTS);
             TopicReader ledger = new TopicReader(brokers, LEDGER)) {
            for (int i = 0; i < groups.size(); i++) {
                asked.put("wave-1/" + i, send(requests, "wave-1/" + i, "wave-1", "create", policy, groups.get(i),
                        null));
            }
            asked.put("wave-1/kept", send(requests, "wave-1/kept", "wave-1", "create", policy, kept, null));
            awaitResults(results, asked.keySet());
            asked.clear();
            asked.put("wave-2/remove", send(requests, "wave-2/remove", "wave-2", "remove", policy, groups.get(0),
                    null));
            asked.put("wave-2/update", send(requests, "wave-2/update", "wave-2", "update", policy, groups.get(1),
                    FILTER));
            asked.put("wave-2/absent", send(requests, "wave-2/absent", "wave-2", "remove", policy, guid(), null));
            awaitResults(results, asked.keySet());

            assertThat(status(results, "wave-1/0")).isEqualTo("CREATED");
            assertThat(results.forRequest("wave-1/kept").get(0).path("alreadyExisted").asBoolean()).isTrue();
            assertThat(status(results, "wave-2/remove")).isEqualTo("REMOVED");
            assertThat(status(results, "wave-2/update")).isEqualTo("UPDATED");
            assertThat(status(results, "wave-2/absent")).isEqualTo("UNCHANGED");
            for (JsonNode result : results.all()) {
                assertThat(Schemas.violations(Schemas.RESULT, result)).as(result.toString()).isEmpty();
            }

            // 4 creates, then a removal and an update: 6 entries; the pre-existing and UNCHANGED have none.
            // (the ledger holds the other tests' entries too: only this policy's count here)
            String ofPolicy = (TENANT + "/" + policy + "/").toLowerCase();
            java.util.function.Supplier<List<ConsumerRecord<byte[], byte[]>>> mine = () -> ledger.records().stream()
                    .filter(r -> new String(r.key(), StandardCharsets.UTF_8).startsWith(ofPolicy)).toList();
            await().atMost(Duration.ofSeconds(30)).until(() -> mine.get().size() >= 6);
            Map<String, JsonNode> latest = new LinkedHashMap<>();
            for (ConsumerRecord<byte[], byte[]> record : mine.get()) {
                JsonNode entry = JSON.readTree(record.value());
                assertThat(Schemas.violations(Schemas.LEDGER_ENTRY, entry)).as(entry.toString()).isEmpty();
                latest.put(new String(record.key(), StandardCharsets.UTF_8), entry);
            }
            assertThat(mine.get()).hasSize(6);
            assertThat(latest).hasSize(4);
            JsonNode removed = latest.get(key(policy, groups.get(0)));
            assertThat(removed.path("rolloutId").asString()).isEqualTo("wave-2");
            assertThat(removed.path("requestId").asString()).isEqualTo("wave-2/remove");
            assertThat(removed.path("status").asString()).isEqualTo("REMOVED");
            assertThat(removed.path("after").isNull()).isTrue();
            assertThat(removed.path("before").path("target").path("groupId").asString()).isEqualTo(groups.get(0));
            JsonNode updated = latest.get(key(policy, groups.get(1)));
            assertThat(updated.path("before").path("target").path("deviceAndAppManagementAssignmentFilterType")
                    .asString()).isEqualTo("none");
            assertThat(updated.path("after").path("target").path("deviceAndAppManagementAssignmentFilterId")
                    .asString()).isEqualTo(FILTER);
            JsonNode created = latest.get(key(policy, groups.get(2)));
            assertThat(created.path("rolloutId").asString()).isEqualTo("wave-1");
            assertThat(created.path("status").asString()).isEqualTo("CREATED");
            assertThat(created.path("before").isNull()).isTrue();
            assertThat(created.path("after").path("id").asString())
                    .isEqualTo(results.forRequest("wave-1/2").get(0).path("assignmentId").asString());
            assertThat(latest).doesNotContainKey(key(policy, kept));
        }
    }

    /**
     * A rollback asked for by a message, as a pipeline without the command-line tool asks: the rollout's creations
     * removed, what was there before kept; a bad message ignored without holding up the next; asked again, nothing
     * changes.
     */
    @Test
    void aMessageOnTheRollbackTopicUndoesTheRolloutOnceAndAgainChangesNothing() throws Exception {
        String policy = guid();
        graph.addPolicy(TENANT, policy, "rollback by message");
        String kept = guid();
        graph.addAssignment(TENANT, policy, JSON.readTree(groupRequest("seed", policy, kept)).path("assignment"));
        List<JsonNode> before = graph.assignments(TENANT, policy);
        String rolloutId = "msg-" + guid();
        List<String> ids = new java.util.ArrayList<>();
        try (Requests requests = new Requests(brokers, REQUESTS); Requests rollbacks = new Requests(brokers, ROLLBACKS);
             Results results = new Results(brokers, RESULTS)) {
            for (int i = 0; i < 3; i++) {
                ids.add(send(requests, rolloutId + "/" + i, rolloutId, "create", policy, guid(), null));
            }
            ids.add(send(requests, rolloutId + "/kept", rolloutId, "create", policy, kept, null));
            awaitResults(results, ids);

            rollbacks.send(rolloutId, "not json at all");
            rollbacks.send(rolloutId, "{\"rolloutId\":\"" + rolloutId + "\"}");
            await().atMost(Duration.ofSeconds(60)).until(() -> rollbackResults(results, rolloutId).size() == 3);

            assertThat(rollbackResults(results, rolloutId)).allSatisfy(r ->
                    assertThat(r.path("status").asString()).isEqualTo("REMOVED"));
            assertThat(graph.assignments(TENANT, policy)).isEqualTo(before);

            long writes = graph.stats().writesPerformed();
            try (TopicReader manifests = new TopicReader(brokers, "intune.assignment.rollout-manifests")) {
                rollbacks.send(rolloutId, "{\"rolloutId\":\"" + rolloutId + "\",\"rollbackId\":\"" + rolloutId
                        + ".rollback-again\"}");
                // Already undone: a manifest of nothing, and no request.
                await().atMost(Duration.ofSeconds(60)).until(() -> manifests.records().stream().anyMatch(r ->
                        new String(r.key(), StandardCharsets.UTF_8).equals(rolloutId + ".rollback-again")));
                JsonNode manifest = JSON.readTree(manifests.records().stream().filter(r -> new String(r.key(),
                        StandardCharsets.UTF_8).equals(rolloutId + ".rollback-again")).findFirst().orElseThrow()
                        .value());
                assertThat(manifest.path("expectedCount").asInt()).isZero();
                assertThat(manifest.path("description").asString()).contains("3 already undone");
            }
            assertThat(rollbackResults(results, rolloutId)).hasSize(3);
            assertThat(graph.stats().writesPerformed()).isEqualTo(writes);
            assertThat(graph.assignments(TENANT, policy)).isEqualTo(before);
        }
    }

    private static List<JsonNode> rollbackResults(Results results, String rolloutId) {
        return results.all().stream().filter(r -> r.path("rolloutId").asString("")
                .startsWith(rolloutId + ".rollback-")).toList();
    }

    private static String send(Requests requests, String requestId, String rolloutId, String operation,
                               String policy, String group, String filter) {
        String json = groupRequest(requestId, policy, group).replace("\"test-rollout\"", "\"" + rolloutId + "\"")
                .replace("\"requestId\"", "\"operation\":\"" + operation + "\",\"requestId\"");
        if (filter != null) {
            json = json.replace("\"deviceAndAppManagementAssignmentFilterId\":null",
                    "\"deviceAndAppManagementAssignmentFilterId\":\"" + filter + "\"")
                    .replace("\"deviceAndAppManagementAssignmentFilterType\":\"none\"",
                            "\"deviceAndAppManagementAssignmentFilterType\":\"include\"");
        }
        requests.send(requestId, json);
        return requestId;
    }

    private static void awaitResults(Results results, java.util.Collection<String> requestIds) {
        await().atMost(Duration.ofSeconds(60))
                .until(() -> requestIds.stream().allMatch(id -> !results.forRequest(id).isEmpty()));
        for (String id : requestIds) {
            assertThat(results.forRequest(id)).as(id).hasSize(1);
        }
    }

    private static String status(Results results, String requestId) {
        return results.forRequest(requestId).get(0).path("status").asString();
    }

    private static String key(String policy, String group) {
        return (TENANT + "/" + policy + "/group|" + group).toLowerCase();
    }
}
