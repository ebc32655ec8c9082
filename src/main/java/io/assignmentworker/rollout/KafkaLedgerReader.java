package io.assignmentworker.rollout;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Reads the whole ownership ledger, {@code read_committed} and without a consumer group, up to its end as it was
 * when the read began: the entries a rollback is planned from.
 */
final class KafkaLedgerReader implements RollbackRequests.LedgerReader {

    private static final Duration STALL = Duration.ofSeconds(60);

    private final Supplier<Consumer<byte[], byte[]>> consumers;
    private final String topic;
    private final JsonMapper mapper;

    /** @param consumers consumers without a group id, reading committed records only */
    KafkaLedgerReader(Supplier<Consumer<byte[], byte[]>> consumers, String topic, JsonMapper mapper) {
        this.consumers = consumers;
        this.topic = topic;
        this.mapper = mapper;
    }

    @Override
    public List<Map.Entry<String, JsonNode>> readAll() {
        List<Map.Entry<String, JsonNode>> entries = new ArrayList<>();
        try (Consumer<byte[], byte[]> consumer = consumers.get()) {
            List<PartitionInfo> infos = consumer.partitionsFor(topic);
            List<TopicPartition> partitions = infos == null ? List.of()
                    : infos.stream().map(p -> new TopicPartition(topic, p.partition())).toList();
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            Map<TopicPartition, Long> ends = new HashMap<>(consumer.endOffsets(partitions));
            long lastProgress = System.nanoTime();
            while (!ends.isEmpty()) {
                boolean progressed = false;
                for (ConsumerRecord<byte[], byte[]> record : consumer.poll(Duration.ofMillis(200))) {
                    progressed = true;
                    add(entries, record);
                }
                progressed |= ends.entrySet().removeIf(end -> consumer.position(end.getKey()) >= end.getValue());
                if (progressed) {
                    lastProgress = System.nanoTime();
                } else if (System.nanoTime() - lastProgress > STALL.toNanos()) {
                    throw new KafkaException("reading the ledger " + topic + " made no progress for " + STALL);
                }
            }
        }
        return entries;
    }

    private void add(List<Map.Entry<String, JsonNode>> entries, ConsumerRecord<byte[], byte[]> record) {
        if (record.key() == null || record.value() == null) {
            return;
        }
        try {
            entries.add(Map.entry(new String(record.key(), StandardCharsets.UTF_8), mapper.readTree(record.value())));
        } catch (RuntimeException unreadable) {
            // not an entry the worker wrote: nothing to undo from it
        }
    }
}
