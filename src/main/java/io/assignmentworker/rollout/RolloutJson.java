package io.assignmentworker.rollout;

import io.assignmentworker.outcome.IsoInstant;
import io.assignmentworker.outcome.JsonBytes;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.Serdes;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * The JSON of the rollout topics: statuses (published, {@code schemas/rollout-status.schema.json}), manifests
 * (read, {@code schemas/rollout-manifest.schema.json}), results (read, the worker's own result JSON) and the
 * aggregator's internal events.
 */
final class RolloutJson {

    private final JsonMapper mapper;

    RolloutJson(JsonMapper mapper) {
        this.mapper = mapper;
    }

    byte[] status(RolloutStatus status) {
        return JsonBytes.write(mapper, json -> {
            json.writeStartObject();
            json.writeStringProperty("rolloutId", status.rolloutId());
            JsonBytes.numberOrNull(json, "expectedCount", status.expectedCount());
            json.writeNumberProperty("total", status.total());
            json.writeNumberProperty("created", status.created());
            json.writeNumberProperty("alreadyExisted", status.alreadyExisted());
            json.writeNumberProperty("failed", status.failed());
            json.writeNumberProperty("removed", status.removed());
            json.writeNumberProperty("updated", status.updated());
            json.writeNumberProperty("unchanged", status.unchanged());
            json.writeName("failedByCategory");
            json.writeStartObject();
            status.failedByCategory().forEach(json::writeNumberProperty);
            json.writeEndObject();
            json.writeStringProperty("firstReceivedAt", text(status.firstReceivedAt()));
            json.writeStringProperty("lastCompletedAt", text(status.lastCompletedAt()));
            JsonBytes.numberOrNull(json, "durationSeconds",
                    status.duration() == null ? null : status.duration().toMillis() / 1000.0);
            json.writeBooleanProperty("complete", status.complete());
            json.writeStringProperty("updatedAt", text(status.updatedAt()));
            json.writeStringProperty("description", status.description());
            json.writeEndObject();
        });
    }

    RolloutStatus status(byte[] bytes) {
        JsonNode json = mapper.readTree(bytes);
        Map<String, Long> categories = new TreeMap<>();
        json.path("failedByCategory").properties().forEach(e -> categories.put(e.getKey(), e.getValue().asLong()));
        return new RolloutStatus(json.path("rolloutId").asString(), integer(json.path("expectedCount")),
                json.path("created").asLong(), json.path("alreadyExisted").asLong(), json.path("failed").asLong(),
                json.path("removed").asLong(), json.path("updated").asLong(), json.path("unchanged").asLong(),
                categories, instant(json.path("firstReceivedAt")), instant(json.path("lastCompletedAt")),
                instant(json.path("updatedAt")),
                RolloutLimits.description(json.path("description").asString(null)));
    }

    /**
     * A result of the results topic as an event of its rollout; empty for results without a (valid) rollout. Read
     * field by field, skipping the assignment it reports: the tracker reads every result. What a field-by-field read
     * does not expect (a field of another type than the worker writes) is read as a tree, as it always was.
     */
    Optional<Map.Entry<String, RolloutEvent>> fromResult(byte[] bytes) {
        ResultFields fields = bytes == null ? null : ResultFields.scan(mapper, bytes);
        return fields != null ? event(fields) : fromResultTree(bytes);
    }

    /** {@link #fromResult}, read as a tree. */
    Optional<Map.Entry<String, RolloutEvent>> fromResultTree(byte[] bytes) {
        JsonNode json = readOrNull(bytes);
        if (json == null) {
            return Optional.empty();
        }
        return event(new ResultFields(json.path("rolloutId").asString(null), json.path("status").asString(null),
                json.path("alreadyExisted").asBoolean(false),
                json.path("error").path("category").asString(null), text(json.path("receivedAt")),
                text(json.path("completedAt"))));
    }

    private static Optional<Map.Entry<String, RolloutEvent>> event(ResultFields result) {
        if (!RolloutLimits.isRolloutId(result.rolloutId())) {
            return Optional.empty();
        }
        return Optional.of(Map.entry(result.rolloutId(), new RolloutEvent(
                result.status() == null ? "FAILED" : result.status(), result.alreadyExisted(),
                RolloutLimits.category(result.category()), instant(result.receivedAt()),
                instant(result.completedAt()), null, null)));
    }

    /** A manifest as an event of its rollout, its description cut; empty when it declares no valid id or size. */
    Optional<Map.Entry<String, RolloutEvent>> fromManifest(String key, byte[] bytes) {
        JsonNode json = readOrNull(bytes);
        if (json == null) {
            return Optional.empty();
        }
        String rolloutId = json.path("rolloutId").asString(key);
        Integer expected = integer(json.path("expectedCount"));
        if (!RolloutLimits.isRolloutId(rolloutId) || expected == null || expected < 0) {
            return Optional.empty();
        }
        return Optional.of(Map.entry(rolloutId, RolloutEvent.manifest(expected, instant(json.path("submittedAt")),
                RolloutLimits.description(json.path("description").asString(null)))));
    }

    Serde<RolloutStatus> statusSerde() {
        return Serdes.serdeFrom((topic, status) -> status == null ? null : status(status),
                (topic, bytes) -> bytes == null ? null : status(bytes));
    }

    Serde<RolloutEvent> eventSerde() {
        return Serdes.serdeFrom((topic, event) -> event == null ? null : event(event),
                (topic, bytes) -> bytes == null ? null : event(bytes));
    }

    private byte[] event(RolloutEvent event) {
        return JsonBytes.write(mapper, json -> {
            json.writeStartObject();
            json.writeStringProperty("outcome", event.outcome());
            json.writeBooleanProperty("alreadyExisted", event.alreadyExisted());
            json.writeStringProperty("category", event.category());
            json.writeStringProperty("receivedAt", text(event.receivedAt()));
            json.writeStringProperty("completedAt", text(event.completedAt()));
            JsonBytes.numberOrNull(json, "expectedCount", event.expectedCount());
            json.writeStringProperty("description", event.description());
            json.writeEndObject();
        });
    }

    private RolloutEvent event(byte[] bytes) {
        JsonNode json = mapper.readTree(bytes);
        return new RolloutEvent(json.path("outcome").asString(null), json.path("alreadyExisted").asBoolean(),
                json.path("category").asString(null), instant(json.path("receivedAt")),
                instant(json.path("completedAt")), integer(json.path("expectedCount")),
                json.path("description").asString(null));
    }

    private JsonNode readOrNull(byte[] bytes) {
        try {
            JsonNode json = bytes == null ? null : mapper.readTree(bytes);
            return json != null && json.isObject() ? json : null;
        } catch (RuntimeException unreadable) {
            return null;
        }
    }

    private static String text(Instant instant) {
        return instant == null ? null : IsoInstant.format(instant);
    }

    private static Instant instant(JsonNode node) {
        return instant(text(node));
    }

    private static Instant instant(String text) {
        try {
            return text == null ? null : IsoInstant.parse(text);
        } catch (RuntimeException e) {
            return null;
        }
    }

    /** A string node's text; null for any other node. */
    private static String text(JsonNode node) {
        return node.isString() ? node.stringValue() : null;
    }

    private static Integer integer(JsonNode node) {
        return node.isIntegralNumber() && node.canConvertToInt() ? node.asInt() : null;
    }
}
