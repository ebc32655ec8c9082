package io.assignmentworker.process;

import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.IntStream;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.ListConsumerGroupOffsetsOptions;
import org.apache.kafka.clients.admin.ListConsumerGroupOffsetsSpec;
import org.apache.kafka.clients.admin.ListOffsetsOptions;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.IsolationLevel;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;

/**
 * How far a consumer group has committed on a topic. When the worker's group has committed every request
 * partition to its end, no further outcome can be published for those requests: the result topic is final.
 *
 * <p>A topic written by transactional producers (the worker's by-policy topic) ends each partition with a
 * commit marker, which occupies an offset but is no record: a group that has committed after its last record
 * still lags by one there. {@link #uncommittedRecords()} counts records, not offsets.
 */
final class ConsumerGroupProgress implements AutoCloseable {

    private final Admin admin;
    private final String group;
    private final String topic;
    private final String bootstrapServers;
    private List<TopicPartition> partitions;

    ConsumerGroupProgress(String bootstrapServers, String group, String topic) {
        this.bootstrapServers = bootstrapServers;
        this.admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers,
                AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, 5_000,
                AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, 10_000));
        this.group = group;
        this.topic = topic;
    }

    /** Offsets of the topic not yet committed by the group (stable commits only: open transactions do not count). */
    long lag() throws Exception {
        Map<TopicPartition, Long> committed = committed();
        long lag = 0;
        for (var end : ends(IsolationLevel.READ_UNCOMMITTED).entrySet()) {
            lag += end.getValue() - committed.get(end.getKey());
        }
        return lag;
    }

    /**
     * Records of the topic not yet committed by the group: {@link #lag()} without transaction markers. Fails
     * while a transaction on the topic is open (its records may or may not count), so that callers poll again.
     */
    long uncommittedRecords() throws Exception {
        Map<TopicPartition, Long> committed = committed();
        Map<TopicPartition, Long> ends = ends(IsolationLevel.READ_UNCOMMITTED);
        Map<TopicPartition, Long> stable = ends(IsolationLevel.READ_COMMITTED);
        Map<TopicPartition, Long> behind = new HashMap<>();
        ends.forEach((partition, end) -> {
            if (end > committed.get(partition)) {
                behind.put(partition, end);
            }
        });
        if (behind.isEmpty()) {
            return 0;
        }
        if (!stable.equals(ends)) {
            throw new IllegalStateException("a transaction on " + topic + " is open: ends " + ends + ", stable "
                    + stable);
        }
        try (KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(Map.of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers,
                ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed",
                ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false),
                new ByteArrayDeserializer(), new ByteArrayDeserializer())) {
            consumer.assign(behind.keySet());
            behind.keySet().forEach(partition -> consumer.seek(partition, committed.get(partition)));
            long records = 0;
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
            while (behind.entrySet().stream().anyMatch(e -> consumer.position(e.getKey()) < e.getValue())) {
                if (System.nanoTime() > deadline) {
                    throw new IllegalStateException("could not read " + topic + " to its end " + behind);
                }
                records += consumer.poll(Duration.ofMillis(100)).count();
            }
            return records;
        }
    }

    /** The group's committed offset per partition (0 where it has none). */
    private Map<TopicPartition, Long> committed() throws Exception {
        Map<TopicPartition, OffsetAndMetadata> committed = admin.listConsumerGroupOffsets(
                        Map.of(group, new ListConsumerGroupOffsetsSpec().topicPartitions(partitions())),
                        new ListConsumerGroupOffsetsOptions().requireStable(true))
                .partitionsToOffsetAndMetadata(group).get(10, TimeUnit.SECONDS);
        Map<TopicPartition, Long> offsets = new HashMap<>();
        for (TopicPartition partition : partitions()) {
            OffsetAndMetadata commit = committed.get(partition);
            offsets.put(partition, commit == null ? 0 : commit.offset());
        }
        return offsets;
    }

    /** The end of each partition: the log end for READ_UNCOMMITTED, the last stable offset for READ_COMMITTED. */
    private Map<TopicPartition, Long> ends(IsolationLevel isolation) throws Exception {
        Map<TopicPartition, OffsetSpec> latest = new HashMap<>();
        partitions().forEach(partition -> latest.put(partition, OffsetSpec.latest()));
        Map<TopicPartition, Long> ends = new HashMap<>();
        admin.listOffsets(latest, new ListOffsetsOptions(isolation)).all().get(10, TimeUnit.SECONDS)
                .forEach((partition, info) -> ends.put(partition, info.offset()));
        return ends;
    }

    private List<TopicPartition> partitions() throws Exception {
        if (partitions == null) {
            int count = admin.describeTopics(List.of(topic)).allTopicNames().get(10, TimeUnit.SECONDS).get(topic)
                    .partitions().size();
            partitions = IntStream.range(0, count).mapToObj(p -> new TopicPartition(topic, p)).toList();
        }
        return partitions;
    }

    @Override
    public void close() {
        admin.close();
    }
}
