package io.assignmentworker.app;

import static io.assignmentworker.support.Requests.TENANT;
import static io.assignmentworker.support.Requests.groupRequest;
import static io.assignmentworker.support.Requests.guid;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.assignmentworker.emulator.EmulatorSettings;
import io.assignmentworker.emulator.EmulatorStats;
import io.assignmentworker.emulator.GraphEmulator;
import io.assignmentworker.support.EmulatedTenant;
import io.assignmentworker.support.Requests;
import io.assignmentworker.support.Results;
import io.assignmentworker.support.Schemas;
import io.assignmentworker.support.TopicReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.stream.IntStream;
import java.util.stream.Stream;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.kafka.support.KafkaHeaders;
import org.springframework.kafka.test.context.EmbeddedKafka;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/** The whole worker, from request topic to result topic, on a real broker and the Graph emulator over https. */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
        properties = "spring.kafka.bootstrap-servers=${spring.embedded.kafka.brokers}")
@ExtendWith(OutputCaptureExtension.class)
@EmbeddedKafka(partitions = 3, brokerProperties = {
        "transaction.state.log.replication.factor=1", "transaction.state.log.min.isr=1"})
class WorkerApplicationTest {

    static final String REQUESTS = "intune.assignment.requests";
    static final String RESULTS = "intune.assignment.results";
    static final String CLIENT_ID = "3c1f6a7e-0000-4000-8000-00000000c1d1";
    static final String SECRET = "test-only-secret-" + guid();
    static final GraphEmulator graph = GraphEmulator.start(
            EmulatorSettings.defaults().withWriteBudget(10_000).withRequestBudget(100_000));

    static Requests requests;
    static Results results;

    @Value("${spring.embedded.kafka.brokers}")
    String brokers;

    @LocalServerPort
    int port;

    @DynamicPropertySource
    static void worker(DynamicPropertyRegistry registry) {
        EmulatedTenant.registerUnthrottled(registry, graph, TENANT, CLIENT_ID, SECRET);
        registry.add("worker.scheduling.initial-backoff", () -> "100ms");
        registry.add("worker.scheduling.max-backoff", () -> "500ms");
    }

    @BeforeEach
    void clients() {
        if (requests == null) {
            requests = new Requests(brokers, REQUESTS);
            results = new Results(brokers, RESULTS);
        }
    }

    @AfterAll
    static void close() throws InterruptedException {
        if (requests != null) {
            requests.close();
            results.close();
        }
        graph.close();
    }

    static String newPolicy() {
        String policyId = guid();
        graph.addPolicy(TENANT, policyId, "Windows compliance " + policyId.substring(0, 8));
        return policyId;
    }

    static JsonNode onlyResult(String requestId) {
        await().pollDelay(Duration.ZERO).atMost(Duration.ofSeconds(30))
                .until(() -> !results.forRequest(requestId).isEmpty());
        awaitNoSecondResult(List.of(requestId));
        return checkedResult(requestId);
    }

    /** A second answer may come in a later transaction: each request's one result has to stay alone for a while. */
    static void awaitNoSecondResult(List<String> requestIds) {
        await("no second result for " + (requestIds.size() == 1 ? requestIds.get(0) : requestIds.size() + " requests"))
                .during(Duration.ofSeconds(1)).atMost(Duration.ofSeconds(5))
                .until(() -> requestIds.stream().allMatch(id -> results.forRequest(id).size() == 1));
    }

    static JsonNode checkedResult(String requestId) {
        List<JsonNode> found = results.forRequest(requestId);
        assertThat(found).as("results for %s", requestId).hasSize(1);
        assertThat(Schemas.violations(Schemas.RESULT, found.get(0))).as("result matches its published schema").isEmpty();
        return found.get(0);
    }

    @Test
    void createsTheAssignmentAndPublishesOneCreatedOutcome() {
        String policy = newPolicy();
        String group = guid();
        String requestId = "rollout-42/" + guid();

        RecordMetadata sent = requests.send(requestId, groupRequest(requestId, policy, group));

        JsonNode result = onlyResult(requestId);
        assertThat(result.path("status").asString()).isEqualTo("CREATED");
        assertThat(result.path("tenantId").asString()).isEqualTo(TENANT);
        assertThat(result.path("policyId").asString()).isEqualTo(policy);
        assertThat(result.path("rolloutId").asString()).isEqualTo("test-rollout");
        assertThat(result.path("alreadyExisted").asBoolean()).isFalse();
        assertThat(result.path("attempts").asInt()).isEqualTo(1);
        assertThat(result.path("receivedAt").asString()).isNotEmpty();
        assertThat(result.path("completedAt").asString()).isNotEmpty();
        assertThat(result.path("source").path("topic").asString()).isEqualTo(REQUESTS);
        assertThat(result.path("source").path("partition").asInt()).isEqualTo(sent.partition());
        assertThat(result.path("source").path("offset").asLong()).isEqualTo(sent.offset());
        List<JsonNode> inGraph = graph.assignments(TENANT, policy);
        assertThat(inGraph).hasSize(1);
        assertThat(inGraph.get(0).path("target").path("groupId").asString()).isEqualTo(group);
        assertThat(result.path("assignmentId").asString()).isEqualTo(inGraph.get(0).path("id").asString());
        assertThat(result.path("assignment").path("target").path("groupId").asString()).isEqualTo(group);
    }

    @Test
    void tracksARolloutFromItsManifestToItsSummary() throws Exception {
        String rolloutId = "rollout-" + guid();
        String policy = newPolicy();
        try (Requests manifests = new Requests(brokers, "intune.assignment.rollout-manifests");
             TopicReader rollouts = new TopicReader(brokers, "intune.assignment.rollouts")) {
            manifests.send(rolloutId, """
                    {"rolloutId":"%s","expectedCount":12,"submittedAt":"2026-11-28T20:00:00Z","description":"t.csv"}"""
                    .formatted(rolloutId));
            for (int i = 0; i < 12; i++) {
                String requestId = rolloutId + "/" + i;
                String json = groupRequest(requestId, i == 10 ? guid() : policy, i == 11 ? "not-a-guid" : guid())
                        .replace("\"test-rollout\"", "\"" + rolloutId + "\"");
                requests.send(requestId, json);
            }

            await().pollDelay(Duration.ZERO).atMost(Duration.ofSeconds(60)).until(() ->
                    latest(rollouts, rolloutId).map(s -> s.path("complete").asBoolean()).orElse(false));

            JsonNode summary = latest(rollouts, rolloutId).orElseThrow();
            assertThat(Schemas.violations(Schemas.ROLLOUT_STATUS, summary)).isEmpty();
            assertThat(summary.path("expectedCount").asInt()).isEqualTo(12);
            assertThat(summary.path("total").asInt()).isEqualTo(12);
            assertThat(summary.path("created").asInt()).isEqualTo(10);
            assertThat(summary.path("alreadyExisted").asInt()).isZero();
            assertThat(summary.path("failed").asInt()).isEqualTo(2);
            assertThat(summary.path("failedByCategory").path("NOT_FOUND").asInt()).isEqualTo(1);
            assertThat(summary.path("failedByCategory").path("INVALID_REQUEST").asInt()).isEqualTo(1);
            assertThat(summary.path("description").asString()).isEqualTo("t.csv");
            assertThat(summary.path("durationSeconds").asDouble()).isPositive();
        }
        String metrics = HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create("http://localhost:" + port
                + "/actuator/prometheus")).build(), HttpResponse.BodyHandlers.ofString()).body();
        assertThat(metrics).containsPattern("intune_worker_rollouts_completed_total [1-9]");
    }

    private static Optional<JsonNode> latest(TopicReader rollouts, String rolloutId) {
        JsonNode found = null;
        for (ConsumerRecord<byte[], byte[]> record : rollouts.records()) {
            if (record.key() != null && rolloutId.equals(new String(record.key(), StandardCharsets.UTF_8))) {
                found = record.value() == null ? null : JsonMapper.builder().build()
                        .readTree(record.value());
            }
        }
        return Optional.ofNullable(found);
    }

    @Test
    void publishesFailedOutcomeForUnknownPolicy() {
        String requestId = "unknown-policy-" + guid();

        requests.send(requestId, groupRequest(requestId, guid(), guid()));

        JsonNode result = onlyResult(requestId);
        assertThat(result.path("status").asString()).isEqualTo("FAILED");
        JsonNode error = result.path("error");
        assertThat(error.path("category").asString()).isEqualTo("NOT_FOUND");
        assertThat(error.path("httpStatus").asInt()).isEqualTo(404);
        assertThat(error.path("retryable").asBoolean()).isFalse();
        assertThat(error.path("graphRequestId").asString()).isNotBlank();
        assertThat(result.path("attempts").asInt()).isEqualTo(1);
    }

    @Test
    void ridesOutThrottlingAndServiceUnavailable() {
        String policy = newPolicy();
        String requestId = "throttled-" + guid();
        EmulatorStats before = graph.stats();
        graph.tenant(TENANT).failNext(2, 429);

        requests.send(requestId, groupRequest(requestId, policy, guid()));

        JsonNode result = onlyResult(requestId);
        assertThat(result.path("status").asString()).isEqualTo("CREATED");
        assertThat(result.path("attempts").asInt()).isGreaterThanOrEqualTo(3);
        assertThat(graph.stats().minus(before).throttled()).isEqualTo(2);
        assertThat(graph.assignments(TENANT, policy)).hasSize(1);

        String second = "unavailable-" + guid();
        graph.tenant(TENANT).failNext(2, 503);
        requests.send(second, groupRequest(second, policy, guid()));
        assertThat(onlyResult(second).path("status").asString()).isEqualTo("CREATED");
        assertThat(graph.assignments(TENANT, policy)).hasSize(2);
    }

    @Test
    void createsOnceWhenGraphTimesOutAfterWriting() {
        String policy = newPolicy();
        String requestId = "ambiguous-" + guid();
        graph.tenant(TENANT).ambiguousTimeoutRatio(1.0);
        try {
            requests.send(requestId, groupRequest(requestId, policy, guid()));

            JsonNode result = onlyResult(requestId);
            assertThat(result.path("status").asString()).isEqualTo("CREATED");
            assertThat(result.path("alreadyExisted").asBoolean()).isTrue();
            assertThat(result.path("attempts").asInt()).isEqualTo(2);
            assertThat(graph.assignments(TENANT, policy)).hasSize(1);
            assertThat(result.path("assignmentId").asString())
                    .isEqualTo(graph.assignments(TENANT, policy).get(0).path("id").asString());
        } finally {
            graph.tenant(TENANT).ambiguousTimeoutRatio(0);
        }
    }

    @Test
    void neverLogsTheSecretOrTokens(CapturedOutput output) throws Exception {
        long issued = graph.stats().tokensIssued();
        graph.expireAllTokens();
        String requestId = "secrets-" + guid();
        requests.send(requestId, groupRequest(requestId, newPolicy(), guid()));
        graph.tenant(TENANT).failNext(1, 401);
        String second = "secrets-2-" + guid();
        requests.send(second, groupRequest(second, newPolicy(), guid()));

        onlyResult(requestId);
        onlyResult(second);
        // The values themselves, not a prefix such as "Bearer ": a leak need not come with its header's name.
        List<String> tokens = graph.issuedTokens();
        assertThat(graph.stats().tokensIssued()).as("the expiry and the 401 made the worker renew its token")
                .isGreaterThan(issued);
        assertThat(tokens).isNotEmpty();
        HttpClient http = HttpClient.newHttpClient();
        String health = http.send(HttpRequest.newBuilder(URI.create("http://localhost:" + port + "/actuator/health"))
                .build(), HttpResponse.BodyHandlers.ofString()).body();
        String metrics = http.send(HttpRequest.newBuilder(URI.create("http://localhost:" + port
                + "/actuator/prometheus")).build(), HttpResponse.BodyHandlers.ofString()).body();
        for (String place : List.of(output.getAll(), results.all().toString(), health, metrics)) {
            assertThat(place).doesNotContain(SECRET).doesNotContain(tokens);
        }
    }

    @Test
    void renewsAnExpiredTokenAndCarriesOn() {
        String policy = newPolicy();
        String warmUp = "token-1-" + guid();
        requests.send(warmUp, groupRequest(warmUp, policy, guid()));
        onlyResult(warmUp);
        long tokensBefore = graph.stats().tokensIssued();

        graph.expireAllTokens();
        String requestId = "token-2-" + guid();
        requests.send(requestId, groupRequest(requestId, policy, guid()));

        JsonNode result = onlyResult(requestId);
        assertThat(result.path("status").asString()).isEqualTo("CREATED");
        assertThat(graph.stats().tokensIssued()).isEqualTo(tokensBefore + 1);
    }

    @Test
    void answersForbiddenWithThePermissionToGrant() {
        String requestId = "forbidden-" + guid();
        graph.tenant(TENANT).failNext(1, 403);

        requests.send(requestId, groupRequest(requestId, newPolicy(), guid()));

        JsonNode error = onlyResult(requestId).path("error");
        assertThat(error.path("category").asString()).isEqualTo("FORBIDDEN");
        assertThat(error.path("httpStatus").asInt()).isEqualTo(403);
        assertThat(error.path("message").asString()).contains("DeviceManagementConfiguration.ReadWrite.All");
    }

    @Test
    void failsInvalidRequestsNamingTheFieldAndGoesOn() {
        String requestId = "invalid-" + guid();
        String badGroup = groupRequest(requestId, newPolicy(), "not-a-guid");
        String next = "after-invalid-" + guid();

        requests.send(requestId, badGroup);
        requests.send(next, groupRequest(next, newPolicy(), guid()));

        JsonNode result = onlyResult(requestId);
        assertThat(result.path("status").asString()).isEqualTo("FAILED");
        assertThat(result.path("error").path("category").asString()).isEqualTo("INVALID_REQUEST");
        assertThat(result.path("error").path("message").asString())
                .contains("assignment.target.groupId: must be a GUID");
        assertThat(onlyResult(next).path("status").asString()).isEqualTo("CREATED");
    }

    @Test
    void answersAnUnconfiguredTenantClearly() {
        String requestId = "other-tenant-" + guid();
        String json = groupRequest(requestId, newPolicy(), guid()).replace(TENANT, "11111111-2222-4333-8444-555555555555");

        requests.send(requestId, json);

        JsonNode error = onlyResult(requestId).path("error");
        assertThat(error.path("category").asString()).isEqualTo("UNKNOWN_TENANT");
        assertThat(error.path("message").asString()).contains("11111111-2222-4333-8444-555555555555");
    }

    @Test
    void deadLettersUnreadableRecordsWithTheirOriginalBytesAndGoesOn() throws Exception {
        byte[] oversized = ("{\"pad\":\"" + "x".repeat(70_000) + "\"}").getBytes(StandardCharsets.UTF_8);
        byte[] deep = ("{\"a\":" + "[".repeat(200) + "]".repeat(200) + "}").getBytes(StandardCharsets.UTF_8);
        List<byte[]> unreadable = List.of("not json".getBytes(StandardCharsets.UTF_8),
                new byte[] {(byte) 0xC3, (byte) 0x28}, new byte[0], oversized, deep);
        List<RecordMetadata> sent = unreadable.stream().map(value -> requests.send("bad", value)).toList();
        RecordMetadata tombstone = requests.send("tombstone", (byte[]) null);
        String next = "after-unreadable-" + guid();
        requests.send(next, groupRequest(next, newPolicy(), guid()));

        assertThat(onlyResult(next).path("status").asString()).isEqualTo("CREATED");
        for (RecordMetadata record : concat(sent, tombstone)) {
            List<JsonNode> found = results.forSource(record.partition(), record.offset());
            assertThat(found).hasSize(1);
            assertThat(Schemas.violations(Schemas.RESULT, found.get(0))).isEmpty();
            assertThat(found.get(0).path("requestId").isNull()).isTrue();
            assertThat(found.get(0).path("status").asString()).isEqualTo("FAILED");
            assertThat(found.get(0).path("error").path("category").asString()).isEqualTo("UNREADABLE_RECORD");
        }
        try (TopicReader dlt = new TopicReader(brokers, REQUESTS + ".DLT")) {
            await().atMost(Duration.ofSeconds(20)).until(() -> dlt.records().size() >= unreadable.size() + 1);
            for (int i = 0; i < unreadable.size(); i++) {
                RecordMetadata original = sent.get(i);
                ConsumerRecord<byte[], byte[]> letter = dlt.records().stream()
                        .filter(r -> offsetHeader(r) == original.offset()).findFirst().orElseThrow();
                assertThat(letter.value()).isEqualTo(unreadable.get(i));
                assertThat(new String(letter.headers().lastHeader(KafkaHeaders.DLT_EXCEPTION_MESSAGE).value(),
                        StandardCharsets.UTF_8)).isNotBlank();
            }
        }
    }

    @Test
    void exposesHealthAndPrometheusMetrics() throws Exception {
        String requestId = "metrics-" + guid();
        requests.send(requestId, groupRequest(requestId, newPolicy(), guid()));
        onlyResult(requestId);
        HttpClient http = HttpClient.newHttpClient();

        String health = http.send(HttpRequest.newBuilder(URI.create("http://localhost:" + port + "/actuator/health"))
                .build(), HttpResponse.BodyHandlers.ofString()).body();
        String metrics = http.send(HttpRequest.newBuilder(URI.create("http://localhost:" + port
                + "/actuator/prometheus")).build(), HttpResponse.BodyHandlers.ofString()).body();

        assertThat(health).contains("\"status\":\"UP\"");
        assertThat(metrics).contains("intune_worker_outcomes_total{category=\"none\",operation=\"create\",status=\"CREATED\"}")
                .contains("intune_worker_outcomes_total{category=\"none\",operation=\"remove\",status=\"REMOVED\"}")
                .contains("intune_worker_graph_calls_seconds_count{operation=\"create\",status=\"201\"}")
                .contains("resilience4j_circuitbreaker_state")
                .doesNotContain(SECRET);
    }

    @Test
    void answersEveryRequestOfABatchExactlyOnce() {
        List<String> policies = IntStream.range(0, 5).mapToObj(i -> newPolicy()).toList();
        List<String> ids = IntStream.range(0, 100).mapToObj(i -> "batch-" + i + "-" + guid()).toList();
        for (int i = 0; i < ids.size(); i++) {
            requests.send(ids.get(i), groupRequest(ids.get(i), policies.get(i % policies.size()), guid()));
        }

        await().atMost(Duration.ofSeconds(60)).until(() -> ids.stream().allMatch(id -> !results.forRequest(id).isEmpty()));
        awaitNoSecondResult(ids);
        ids.forEach(id -> assertThat(checkedResult(id).path("status").asString()).isEqualTo("CREATED"));
        assertThat(policies.stream().mapToInt(p -> graph.assignments(TENANT, p).size()).sum()).isEqualTo(100);
        assertThat(graph.duplicateAssignments(TENANT)).isZero();
    }

    private static List<RecordMetadata> concat(List<RecordMetadata> sent, RecordMetadata last) {
        return Stream.concat(sent.stream(), Stream.of(last)).toList();
    }

    private static long offsetHeader(ConsumerRecord<byte[], byte[]> record) {
        return ByteBuffer.wrap(record.headers().lastHeader(KafkaHeaders.DLT_ORIGINAL_OFFSET).value()).getLong();
    }
}
