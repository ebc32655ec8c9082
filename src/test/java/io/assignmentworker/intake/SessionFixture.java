package io.assignmentworker.intake;

import io.assignmentworker.emulator.EmulatorSettings;
import io.assignmentworker.emulator.EmulatorStats.Operation;
import io.assignmentworker.emulator.GraphEmulator;
import io.assignmentworker.graph.Strategy;
import io.assignmentworker.metrics.WorkerMetrics;
import io.assignmentworker.outcome.OutcomeJson;
import io.assignmentworker.outcome.OutcomeWriter;
import io.assignmentworker.request.RequestDecoder;
import io.assignmentworker.scheduling.GraphStackFixture;
import io.assignmentworker.topics.TopicsLeftAlone;
import io.assignmentworker.topics.TopicsProperties;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.MockConsumer;
import org.apache.kafka.clients.producer.MockProducer;
import org.apache.kafka.common.Node;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.common.record.TimestampType;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.springframework.util.unit.DataSize;
import tools.jackson.databind.json.JsonMapper;

/**
 * An intake session's collaborators without a broker: Kafka's {@link MockConsumer} and {@link MockProducer}, and
 * the Graph and scheduling stages against the emulator, writing with create calls at {@code writesPerSecond}.
 */
final class SessionFixture implements AutoCloseable {

    static final String TENANT = "8f1c7e2a-1b2c-4d5e-8f90-0a1b2c3d4e5f";
    static final String TOPIC = "requests";
    static final TopicPartition P0 = new TopicPartition(TOPIC, 0);
    static final TopicPartition P1 = new TopicPartition(TOPIC, 1);
    static final TopicsProperties TOPICS = new TopicsProperties(TOPIC, "results", null, null, null, "rollouts",
            "manifests", "ledger", "rollback-requests", false, 2, (short) -1);
    static final IntakeProperties INTAKE = new IntakeProperties(DataSize.ofKilobytes(64), 32, 1000, 10_000, 10_000,
            DataSize.ofMegabytes(64), Duration.ofMillis(20), Duration.ofSeconds(1), Duration.ofSeconds(5));
    private static final String CLIENT = "3c1f6a7e-0000-4000-8000-00000000c1d1";
    private static final String SECRET = "intake-test-secret";

    final GraphEmulator emulator;
    final GraphStackFixture stack;
    final WorkerMetrics metrics;
    final IntakeSession.Stages stages;

    SessionFixture(int writesPerSecond) {
        emulator = GraphEmulator.start(EmulatorSettings.defaults().withWriteBudget(100_000)
                .withRequestBudget(1_000_000));
        emulator.registerApp(TENANT, CLIENT, SECRET);
        stack = new GraphStackFixture(emulator, TENANT, CLIENT, SECRET,
                GraphStackFixture.fastScheduling(writesPerSecond, Duration.ofSeconds(1)), Strategy.CREATE);
        metrics = new WorkerMetrics(stack.meters);
        stages = new IntakeSession.Stages(new RequestDecoder(65_536, 32), stack.scheduler, stack.budgetShare,
                TOPICS, Clock.systemUTC(), metrics, Duration.ofSeconds(5));
    }

    static MockConsumer<byte[], byte[]> consumer() {
        MockConsumer<byte[], byte[]> consumer = new MockConsumer<>("earliest");
        consumer.updateBeginningOffsets(Map.of(P0, 0L, P1, 0L));
        Node node = new Node(0, "localhost", 9092);
        consumer.updatePartitions(TOPIC, List.of(new PartitionInfo(TOPIC, 0, node, null, null),
                new PartitionInfo(TOPIC, 1, node, null, null)));
        return consumer;
    }

    static MockProducer<byte[], byte[]> producer() {
        return new MockProducer<>(true, null, new ByteArraySerializer(), new ByteArraySerializer());
    }

    static OutcomeWriter writer(MockProducer<byte[], byte[]> producer) {
        return new OutcomeWriter(producer, TOPICS, new OutcomeJson(JsonMapper.builder().build()), true,
                1024 * 1024, () -> { });
    }

    IntakeSession session(MockConsumer<byte[], byte[]> consumer, OutcomeWriter writer) {
        return session(consumer, writer, INTAKE);
    }

    IntakeSession session(MockConsumer<byte[], byte[]> consumer, OutcomeWriter writer, IntakeProperties intake) {
        return new IntakeSession(Feed.REQUESTS, consumer, writer, stages, intake, Duration.ofSeconds(10));
    }

    /** A request the worker answers at once, without Graph: FAILED (unreadable). */
    static ConsumerRecord<byte[], byte[]> unreadable(TopicPartition partition, long offset) {
        return new ConsumerRecord<>(TOPIC, partition.partition(), offset, null,
                "not json".getBytes(StandardCharsets.UTF_8));
    }

    /** A valid request that creates an assignment on a policy of its own. */
    ConsumerRecord<byte[], byte[]> create(TopicPartition partition, long offset) {
        String policy = UUID.randomUUID().toString();
        emulator.addPolicy(TENANT, policy, "policy " + offset);
        String json = """
                {"requestId":"%s","tenantId":"%s","policyId":"%s","rolloutId":"test-rollout",
                 "assignment":{"@odata.type":"#microsoft.graph.deviceCompliancePolicyAssignment",
                  "target":{"@odata.type":"#microsoft.graph.groupAssignmentTarget","groupId":"%s",
                   "deviceAndAppManagementAssignmentFilterId":null,
                   "deviceAndAppManagementAssignmentFilterType":"none"},
                  "source":"direct","sourceId":null}}""".formatted(UUID.randomUUID(), TENANT, policy,
                UUID.randomUUID());
        return new ConsumerRecord<>(TOPIC, partition.partition(), offset, null, json.getBytes(StandardCharsets.UTF_8));
    }

    /** The same, carrying {@code headerBytes} of headers (tracing context and the like) a forward would keep. */
    ConsumerRecord<byte[], byte[]> create(TopicPartition partition, long offset, int headerBytes) {
        ConsumerRecord<byte[], byte[]> plain = create(partition, offset);
        RecordHeaders headers = new RecordHeaders();
        headers.add("context", new byte[headerBytes]);
        return new ConsumerRecord<>(TOPIC, partition.partition(), offset, 0L,
                TimestampType.CREATE_TIME, 0, plain.value().length, null, plain.value(),
                headers, Optional.empty());
    }

    long creates() {
        return emulator.stats().count(Operation.CREATE);
    }

    @Override
    public void close() {
        stack.close();
        emulator.close();
    }
}
