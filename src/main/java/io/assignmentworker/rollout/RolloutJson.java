package io.assignmentworker.rollout;

import io.assignmentworker.outcome.IsoInstant;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.Serdes;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

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
        ObjectNode json = mapper.createObjectNode();
        json.put("rolloutId", status.rolloutId());
        json.put("expectedCount", status.expectedCount());
        json.put("total", status.total());
        json.put("created", status.created());
        json.put("alreadyExisted", status.alreadyExisted());
        json.put("failed", status.failed());
        json.put("removed", status.removed());
        json.put("updated", status.updated());
        json.put("unchanged", status.unchanged());
        ObjectNode categories = json.putObject("failedByCategory");
        status.failedByCategory().forEach(categories::put);
        json.put("firstReceivedAt", text(status.firstReceivedAt()));
        json.put("lastCompletedAt", text(status.lastCompletedAt()));
        json.put("durationSeconds", status.duration() == null ? null : status.duration().toMillis() / 1000.0);
        json.put("complete", status.complete());
        json.put("updatedAt", text(status.updatedAt()));
        json.put("description", status.description());
        return bytes(json);
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

    /** A result of the results topic as an event of its rollout; empty for results without a (valid) rollout. */
    Optional<Map.Entry<String, RolloutEvent>> fromResult(byte[] bytes) {
        JsonNode json = readOrNull(bytes);
        String rolloutId = json == null ? null : json.path("rolloutId").asString(null);
        if (!RolloutLimits.isRolloutId(rolloutId)) {
            return Optional.empty();
        }
        String category = RolloutLimits.category(json.path("error").path("category").asString(null));
        return Optional.of(Map.entry(rolloutId, new RolloutEvent(json.path("status").asString("FAILED"),
                json.path("alreadyExisted").asBoolean(false), category,
                instant(json.path("receivedAt")), instant(json.path("completedAt")), null, null)));
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
        ObjectNode json = mapper.createObjectNode();
        json.put("outcome", event.outcome());
        json.put("alreadyExisted", event.alreadyExisted());
        json.put("category", event.category());
        json.put("receivedAt", text(event.receivedAt()));
        json.put("completedAt", text(event.completedAt()));
        json.put("expectedCount", event.expectedCount());
        json.put("description", event.description());
        return bytes(json);
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

    private byte[] bytes(ObjectNode json) {
        return mapper.writeValueAsBytes(json);
    }

    private static String text(Instant instant) {
        return instant == null ? null : instant.toString();
    }

    private static Instant instant(JsonNode node) {
        try {
            return node.isString() ? IsoInstant.parse(node.stringValue()) : null;
        } catch (RuntimeException e) {
            return null;
        }
    }

    private static Integer integer(JsonNode node) {
        return node.isIntegralNumber() && node.canConvertToInt() ? node.asInt() : null;
    }
}
