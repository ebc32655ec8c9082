package io.assignmentworker.cli;

import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndTimestamp;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;

/**
 * Reads ranges of a topic without a consumer group ({@code read_committed}): from a start (the beginning, a
 * time, given offsets) up to the end as it was when the scan began.
 */
final class TopicScan implements AutoCloseable {

    /** A scan that makes no progress for this long has lost the brokers. */
    private static final Duration STALL = Duration.ofSeconds(60);

    private final KafkaConsumer<byte[], byte[]> consumer;

    TopicScan(KafkaAccess kafka) {
        this.consumer = kafka.consumer();
    }

    List<TopicPartition> partitions(String topic) {
        List<PartitionInfo> infos = consumer.partitionsFor(topic);
        return infos == null ? List.of() : infos.stream().map(p -> new TopicPartition(topic, p.partition())).toList();
    }

    /** The last stable offsets now: where a {@code read_committed} reader sees nothing more yet. */
    Map<TopicPartition, Long> endOffsets(String topic) {
        return new HashMap<>(consumer.endOffsets(partitions(topic)));
    }

    Map<TopicPartition, Long> beginningOffsets(String topic) {
        return new HashMap<>(consumer.beginningOffsets(partitions(topic)));
    }

    /** The first offsets of records written at or after {@code time}, else the end. */
    Map<TopicPartition, Long> offsetsAt(String topic, Instant time) {
        List<TopicPartition> partitions = partitions(topic);
        Map<TopicPartition, Long> query = new HashMap<>();
        partitions.forEach(p -> query.put(p, time.toEpochMilli()));
        Map<TopicPartition, OffsetAndTimestamp> found = consumer.offsetsForTimes(query);
        Map<TopicPartition, Long> ends = consumer.endOffsets(partitions);
        Map<TopicPartition, Long> offsets = new HashMap<>();
        for (TopicPartition partition : partitions) {
            OffsetAndTimestamp at = found.get(partition);
            offsets.put(partition, at == null ? ends.get(partition) : at.offset());
        }
        return offsets;
    }

    /** Hands every record in {@code [from, to)} of each partition to {@code handler}, in offset order. */
    void read(Map<TopicPartition, Long> from, Map<TopicPartition, Long> to,
              Consumer<ConsumerRecord<byte[], byte[]>> handler) {
        Map<TopicPartition, Long> pending = new HashMap<>();
        from.forEach((partition, start) -> {
            long end = to.getOrDefault(partition, start);
            if (start < end) {
                pending.put(partition, start);
            }
        });
        if (pending.isEmpty()) {
            return;
        }
        consumer.assign(pending.keySet());
        pending.forEach(consumer::seek);
        Instant lastProgress = Instant.now();
        while (!pending.isEmpty()) {
            boolean progressed = false;
            for (ConsumerRecord<byte[], byte[]> record : poll()) {
                TopicPartition partition = new TopicPartition(record.topic(), record.partition());
                if (pending.containsKey(partition) && record.offset() < to.get(partition)) {
                    handler.accept(record);
                    progressed = true;
                }
            }
            // Transaction markers and aborted records advance the position without a record to hand over.
            progressed |= pending.keySet().removeIf(p -> consumer.position(p) >= to.get(p));
            lastProgress = progressed ? Instant.now() : lastProgress;
            if (Duration.between(lastProgress, Instant.now()).compareTo(STALL) > 0) {
                throw CliException.unavailable("reading " + pending.keySet() + " made no progress for "
                        + STALL.toSeconds() + " s; is Kafka reachable?");
            }
        }
        consumer.assign(List.of());
    }

    /** Every record of the topic written before the scan began. */
    void readAll(String topic, Consumer<ConsumerRecord<byte[], byte[]>> handler) {
        Map<TopicPartition, Long> ends = endOffsets(topic);
        read(beginningOffsets(topic), ends, handler);
    }

    private Iterable<ConsumerRecord<byte[], byte[]>> poll() {
        try {
            return consumer.poll(Duration.ofMillis(200));
        } catch (KafkaException e) {
            throw CliException.unavailable("cannot read from Kafka: " + e.getMessage());
        }
    }

    @Override
    public void close() {
        consumer.close();
    }
}
