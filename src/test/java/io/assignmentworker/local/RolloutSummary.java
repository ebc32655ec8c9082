package io.assignmentworker.local;

import io.assignmentworker.support.TopicReader;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/** The rollout's final status from the rollouts topic, in one line. */
final class RolloutSummary {

    private static final JsonMapper MAPPER = JsonMapper.builder().build();

    private RolloutSummary() {
    }

    static String await(TopicReader rollouts, String rolloutId, Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        JsonNode latest = null;
        while (System.nanoTime() < deadline) {
            latest = latest(rollouts, rolloutId);
            if (latest != null && latest.path("complete").asBoolean()) {
                break;
            }
            Thread.sleep(200);
        }
        if (latest == null) {
            return "no status for " + rolloutId + " yet";
        }
        return String.format("%s %s: %d of %d outcomes: %d created, %d already existed, %d failed %s in %.1f s",
                rolloutId, latest.path("complete").asBoolean() ? "complete" : "in progress",
                latest.path("total").asLong(), latest.path("expectedCount").asLong(), latest.path("created").asLong(),
                latest.path("alreadyExisted").asLong(), latest.path("failed").asLong(),
                latest.path("failedByCategory"), latest.path("durationSeconds").asDouble());
    }

    private static JsonNode latest(TopicReader rollouts, String rolloutId) {
        JsonNode found = null;
        for (ConsumerRecord<byte[], byte[]> record : rollouts.records()) {
            if (record.key() != null && rolloutId.equals(new String(record.key(), StandardCharsets.UTF_8))) {
                found = record.value() == null ? null : MAPPER.readTree(record.value());
            }
        }
        return found;
    }
}
