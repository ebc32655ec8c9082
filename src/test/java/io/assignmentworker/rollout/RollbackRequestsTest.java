package io.assignmentworker.rollout;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.assignmentworker.topics.TopicsProperties;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.MockConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.MockProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.common.record.TimestampType;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Rollback requests on the topic, with Kafka's mock clients: each acted on in one transaction with its offset (the
 * rollback's manifest and requests, or nothing for a request that is not valid or too old), and the next request
 * read whatever became of the one before.
 */
class RollbackRequestsTest {

    private static final JsonMapper JSON = JsonMapper.builder().build();
    private static final TopicsProperties TOPICS = new TopicsProperties("requests", "results", null, null, null,
            "rollouts", "manifests", "ledger", "rollbacks", true, 6, (short) -1);
    private static final TopicPartition ROLLBACKS_0 = new TopicPartition("rollbacks", 0);
    private static final Instant NOW = Instant.parse("2026-12-03T12:00:00Z");
    private static final String TENANT = "8f1c7e2a-1b2c-4d5e-8f90-0a1b2c3d4e5f";
    private static final String POLICY = "5d1b2c3a-6e7f-4a8b-9c0d-1e2f3a4b5c6d";
    private static final String GROUP = "0b5e9c1d-2f3a-4b5c-8d6e-7f8091a2b3c4";

    private final MockConsumer<byte[], byte[]> consumer = new MockConsumer<>("earliest");
    private final MockProducer<byte[], byte[]> producer = new MockProducer<>(true, null, new ByteArraySerializer(),
            new ByteArraySerializer());
    private final List<Map.Entry<String, JsonNode>> ledger = new ArrayList<>();
    private final RollbackRequests requests = new RollbackRequests(() -> consumer, () -> producer,
            () -> List.copyOf(ledger), TOPICS, names -> CompletableFuture.completedFuture(null), JSON,
            Clock.fixed(NOW, ZoneOffset.UTC), true);

    @AfterEach
    void stop() {
        requests.stop();
    }

    @Test
    void publishesTheRollbackAndCommitsTheRequestInOneTransaction() {
        ledger.add(Map.entry(TENANT + "/" + POLICY + "/group|" + GROUP, created("wave-1")));
        start(record(0, NOW.minusSeconds(60), "{\"rolloutId\":\"wave-1\",\"rollbackId\":\"wave-1.rollback-a\"}"));

        await().atMost(Duration.ofSeconds(10)).until(() -> committed().isPresent());

        assertThat(committed()).hasValue(1L);
        List<ProducerRecord<byte[], byte[]>> sent = producer.history();
        assertThat(sent).extracting(ProducerRecord::topic).containsExactly("manifests", "requests");
        JsonNode manifest = JSON.readTree(sent.get(0).value());
        assertThat(manifest.path("rolloutId").asString()).isEqualTo("wave-1.rollback-a");
        assertThat(manifest.path("expectedCount").asInt()).isEqualTo(1);
        JsonNode request = JSON.readTree(sent.get(1).value());
        assertThat(request.path("operation").asString()).isEqualTo("remove");
        assertThat(request.path("requestId").asString()).isEqualTo("wave-1.rollback-a/1");
        assertThat(new String(sent.get(1).key(), StandardCharsets.UTF_8)).isEqualTo("wave-1.rollback-a/1");
        assertThat(producer.transactionCommitted()).isTrue();
    }

    /** Not JSON, a bad id, and a request from two days ago: each skipped, its offset committed; the next acted on. */
    @Test
    void skipsWhatItCannotOrMustNotActOnAndGoesOn() {
        ledger.add(Map.entry(TENANT + "/" + POLICY + "/group|" + GROUP, created("wave-2")));
        start(record(0, NOW, "not json"),
                record(1, NOW, "{\"rolloutId\":\"wave-2\",\"rollbackId\":\"other.rollback-x\"}"),
                record(2, NOW.minus(Duration.ofDays(2)), "{\"rolloutId\":\"wave-2\"}"),
                record(3, NOW, "{\"rolloutId\":\"wave-2\"}"));

        await().atMost(Duration.ofSeconds(10)).until(() -> committed().orElse(0L) == 4L);

        assertThat(producer.history()).extracting(ProducerRecord::topic).containsExactly("manifests", "requests");
        assertThat(JSON.readTree(producer.history().get(0).value()).path("rolloutId").asString())
                .startsWith("wave-2.rollback-20261203T120000.000Z-0-3");
    }

    @SafeVarargs
    private void start(ConsumerRecord<byte[], byte[]>... records) {
        consumer.schedulePollTask(() -> {
            consumer.rebalance(List.of(ROLLBACKS_0));
            consumer.updateBeginningOffsets(Map.of(ROLLBACKS_0, 0L));
            for (ConsumerRecord<byte[], byte[]> record : records) {
                consumer.addRecord(record);
            }
        });
        requests.start();
    }

    private Optional<Long> committed() {
        return producer.consumerGroupOffsetsHistory().stream().flatMap(offsets -> offsets.values().stream())
                .flatMap(byPartition -> byPartition.entrySet().stream())
                .filter(e -> e.getKey().equals(ROLLBACKS_0)).map(Map.Entry::getValue)
                .map(OffsetAndMetadata::offset).reduce((a, b) -> b);
    }

    private static ConsumerRecord<byte[], byte[]> record(long offset, Instant at, String value) {
        return new ConsumerRecord<>("rollbacks", 0, offset, at.toEpochMilli(), TimestampType.CREATE_TIME, -1, -1,
                "k".getBytes(StandardCharsets.UTF_8), value.getBytes(StandardCharsets.UTF_8), new RecordHeaders(),
                Optional.empty());
    }

    private static JsonNode created(String rolloutId) {
        return JSON.readTree("""
                {"tenantId":"%s","policyId":"%s","subject":"group|%s","rolloutId":"%s","requestId":"%s/1",
                 "operation":"create","status":"CREATED","assignmentId":"%s_%s","before":null,
                 "after":{"@odata.type":"#microsoft.graph.deviceCompliancePolicyAssignment","id":"%s_%s",
                  "target":{"@odata.type":"#microsoft.graph.groupAssignmentTarget","groupId":"%s",
                   "deviceAndAppManagementAssignmentFilterId":null,
                   "deviceAndAppManagementAssignmentFilterType":"none"},"source":"direct"},
                 "at":"2026-12-03T11:00:00Z"}""".formatted(TENANT, POLICY, GROUP, rolloutId, rolloutId, POLICY, GROUP,
                POLICY, GROUP, GROUP));
    }
}
