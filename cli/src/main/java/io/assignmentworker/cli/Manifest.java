package io.assignmentworker.cli;

import io.assignmentworker.rollout.RolloutLimits;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * A rollout's manifest ({@code schemas/rollout-manifest.schema.json}): how many requests it has, so the worker's
 * status can say when it is complete. Keyed by rolloutId on the manifests topic.
 */
record Manifest(String rolloutId, long expectedCount, Instant submittedAt, String description) {

    /** The description cut as the worker cuts it, so what is published is what the rollout's status shows. */
    Manifest {
        description = RolloutLimits.description(description);
    }

    byte[] json() {
        ObjectNode json = RequestJson.MAPPER.createObjectNode();
        json.put("rolloutId", rolloutId);
        json.put("expectedCount", expectedCount);
        json.put("submittedAt", submittedAt.toString());
        if (description != null) {
            json.put("description", description);
        }
        return RequestJson.MAPPER.writeValueAsString(json).getBytes(StandardCharsets.UTF_8);
    }

    /** The manifest in a record, or null when it is not one. */
    static Manifest parse(String key, JsonNode json) {
        if (json == null || !json.isObject() || !json.path("expectedCount").isIntegralNumber()) {
            return null;
        }
        return new Manifest(json.path("rolloutId").asString(key), json.path("expectedCount").asLong(),
                RolloutView.parseInstant(json.path("submittedAt")), json.path("description").asString(null));
    }
}
