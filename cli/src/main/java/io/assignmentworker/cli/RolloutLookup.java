package io.assignmentworker.cli;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.Optional;
import java.util.Set;
import java.util.function.Consumer;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import tools.jackson.databind.JsonNode;

/**
 * Finds what the topics know about one rollout: its latest status, its manifest, its results. Reads are
 * {@code read_committed} and without consumer group, so looking leaves no trace on the cluster.
 */
final class RolloutLookup implements AutoCloseable {

    /**
     * Results are searched from this long before the manifest's {@code submittedAt}: results are stamped by the
     * worker's clock, the manifest by the submitting machine's.
     */
    static final Duration CLOCK_MARGIN = Duration.ofHours(1);

    private final KafkaAccess kafka;
    private final Set<String> existing;
    private final TopicScan scan;

    RolloutLookup(KafkaAccess kafka) {
        this(kafka, kafka.existingTopics());
    }

    /** @param existing the topics there are, when the caller has asked already */
    RolloutLookup(KafkaAccess kafka, Set<String> existing) {
        this.kafka = kafka;
        this.existing = existing;
        this.scan = new TopicScan(kafka);
    }

    boolean exists(String topic) {
        return existing.contains(topic);
    }

    /** The latest status of the rollouts topic; empty when there is none (or it was deleted). */
    Optional<RolloutView> status(String rolloutId) {
        String topic = kafka.topics().rollouts();
        if (!exists(topic)) {
            return Optional.empty();
        }
        byte[] key = rolloutId.getBytes(StandardCharsets.UTF_8);
        JsonNode[] latest = new JsonNode[1];
        scan.readAll(topic, record -> {
            if (Arrays.equals(key, record.key())) {
                latest[0] = json(record.value());
            }
        });
        return Optional.ofNullable(latest[0]).map(RolloutView::fromStatus);
    }

    /** The latest manifest of the rollout; empty when none was published. */
    Optional<Manifest> manifest(String rolloutId) {
        String topic = kafka.topics().manifests();
        if (!exists(topic)) {
            return Optional.empty();
        }
        byte[] key = rolloutId.getBytes(StandardCharsets.UTF_8);
        Manifest[] latest = new Manifest[1];
        scan.readAll(topic, record -> {
            if (Arrays.equals(key, record.key())) {
                Manifest manifest = Manifest.parse(rolloutId, json(record.value()));
                latest[0] = manifest == null ? latest[0] : manifest;
            }
        });
        return Optional.ofNullable(latest[0]);
    }

    /**
     * Hands every result of the rollout to {@code handler}: from {@link #CLOCK_MARGIN} before the manifest's
     * submission when there is one, else from the beginning of the results topic.
     */
    void results(String rolloutId, Optional<Manifest> manifest, Consumer<JsonNode> handler) {
        String topic = kafka.topics().results();
        if (!exists(topic)) {
            throw CliException.unavailable("the results topic " + topic + " does not exist; check --results-topic "
                    + "and that the worker runs against " + kafka.bootstrapServers());
        }
        Instant from = manifest.map(Manifest::submittedAt).map(at -> at.minus(CLOCK_MARGIN)).orElse(null);
        var start = from == null ? scan.beginningOffsets(topic) : scan.offsetsAt(topic, from);
        scan.read(start, scan.endOffsets(topic), record -> {
            JsonNode result = json(record.value());
            if (result != null && rolloutId.equals(result.path("rolloutId").asString(null))) {
                handler.accept(result);
            }
        });
    }

    TopicScan scan() {
        return scan;
    }

    static JsonNode json(byte[] value) {
        if (value == null) {
            return null;
        }
        try {
            JsonNode node = RequestJson.MAPPER.readTree(value);
            return node != null && node.isObject() ? node : null;
        } catch (RuntimeException unreadable) {
            return null;
        }
    }

    static String key(ConsumerRecord<byte[], byte[]> record) {
        return record.key() == null ? null : new String(record.key(), StandardCharsets.UTF_8);
    }

    @Override
    public void close() {
        scan.close();
    }
}
