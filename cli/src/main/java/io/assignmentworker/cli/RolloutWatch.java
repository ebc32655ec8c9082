package io.assignmentworker.cli;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.TopicPartition;
import tools.jackson.databind.JsonNode;

/**
 * Follows one rollout from the moment it is published: the worker's status on the rollouts topic and, in case
 * that never comes (a worker without rollout tracking), the rollout's own results, counted. Both topics are read
 * from where they ended before publishing, so nothing of the rollout is missed and nothing older is read.
 */
final class RolloutWatch implements AutoCloseable {

    /** When the counted results are complete first, how long to wait for the worker's own summary. */
    private static final Duration SUMMARY_GRACE = Duration.ofSeconds(5);

    private final KafkaConsumer<byte[], byte[]> consumer;
    private final String rolloutsTopic;
    private final byte[] key;
    private final ResultTally tally;
    private final boolean tracked;
    private RolloutView status;

    /**
     * Call before publishing, or before reading what is there already ({@code status --wait}): it marks where the
     * records to follow start.
     */
    RolloutWatch(KafkaAccess kafka, Set<String> existingTopics, String rolloutId) {
        this.rolloutsTopic = kafka.topics().rollouts();
        this.key = rolloutId.getBytes(StandardCharsets.UTF_8);
        this.tally = new ResultTally(rolloutId);
        this.tracked = existingTopics.contains(rolloutsTopic);
        List<String> topics = new ArrayList<>(List.of(kafka.topics().results()));
        if (tracked) {
            topics.add(rolloutsTopic);
        }
        this.consumer = kafka.consumer();
        List<TopicPartition> partitions = new ArrayList<>();
        topics.forEach(topic -> consumer.partitionsFor(topic)
                .forEach(p -> partitions.add(new TopicPartition(topic, p.partition()))));
        Map<TopicPartition, Long> ends = new HashMap<>(consumer.endOffsets(partitions));
        consumer.assign(partitions);
        ends.forEach(consumer::seek);
    }

    /** What was there before the watch began: the worker's latest status. */
    void seed(RolloutView latest) {
        status = latest;
    }

    /** What was there before the watch began: a result of the rollout (counted once, however often it is seen). */
    void seed(tools.jackson.databind.JsonNode result) {
        tally.add(result);
    }

    /**
     * Reads until the rollout is complete or {@code timeout} passes, reporting each change to {@code progress}.
     *
     * @return the final view, complete unless the wait timed out
     */
    RolloutView await(long expected, String description, Duration timeout, Progress progress) {
        Instant deadline = Instant.now().plus(timeout);
        Instant countedCompleteAt = null;
        while (true) {
            poll();
            RolloutView current = current(expected, description);
            progress.update(current);
            boolean workerSummary = status != null && status.complete();
            if (workerSummary || current.complete() && !tracked) {
                return current;
            }
            if (current.complete()) {
                countedCompleteAt = countedCompleteAt == null ? Instant.now() : countedCompleteAt;
                if (Instant.now().isAfter(countedCompleteAt.plus(SUMMARY_GRACE))) {
                    return current;
                }
            }
            if (Instant.now().isAfter(deadline)) {
                return current;
            }
        }
    }

    /** The worker's status when it has counted at least as far as the tool, else the tool's own count. */
    private RolloutView current(long expected, String description) {
        if (status != null && (status.complete() || status.total() >= tally.total())) {
            return status;
        }
        return tally.view(expected, description);
    }

    private void poll() {
        try {
            for (ConsumerRecord<byte[], byte[]> record : consumer.poll(Duration.ofMillis(200))) {
                if (!record.topic().equals(rolloutsTopic)) {
                    tally.add(RolloutLookup.json(record.value()));
                } else if (Arrays.equals(key, record.key()) && record.value() != null) {
                    JsonNode json = RolloutLookup.json(record.value());
                    status = json == null ? status : RolloutView.fromStatus(json);
                }
            }
        } catch (KafkaException e) {
            throw CliException.unavailable("lost Kafka while waiting: " + e.getMessage());
        }
    }

    @Override
    public void close() {
        consumer.close();
    }
}
