package io.assignmentworker.cli;

import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.TreeMap;
import tools.jackson.databind.JsonNode;

/**
 * A rollout's progress or summary, as the worker publishes it on the rollouts topic
 * ({@code schemas/rollout-status.schema.json}) or as the tool counted it from the results topic.
 *
 * @param expectedCount    the size its manifest declared, or null when unknown
 * @param total            outcomes so far: every status counted
 * @param created          CREATED outcomes whose assignment the rollout wrote
 * @param alreadyExisted   CREATED outcomes whose assignment was already there
 * @param removed          REMOVED outcomes (a remove took the assignment away)
 * @param updated          UPDATED outcomes
 * @param unchanged        UNCHANGED outcomes (a remove or an update found nothing to do)
 * @param failedByCategory FAILED outcomes by error category
 * @param duration         first request received to last completed, or null before the first outcome
 * @param complete         expectedCount is known and total has reached it
 * @param description      from the manifest, e.g. the file name, or null
 * @param counted          true when counted by the tool from the results topic, false when the worker's status
 */
record RolloutView(String rolloutId, Long expectedCount, long total, long created, long alreadyExisted,
                   long failed, long removed, long updated, long unchanged, Map<String, Long> failedByCategory, Duration duration, boolean complete,
                   String description, boolean counted) {

    RolloutView {
        failedByCategory = Map.copyOf(new TreeMap<>(failedByCategory));
    }

    /** A status record of the rollouts topic. */
    static RolloutView fromStatus(JsonNode json) {
        Map<String, Long> categories = new TreeMap<>();
        json.path("failedByCategory").properties().forEach(e -> categories.put(e.getKey(), e.getValue().asLong()));
        JsonNode expected = json.path("expectedCount");
        JsonNode seconds = json.path("durationSeconds");
        Duration duration = seconds.isNumber() ? Duration.ofMillis(Math.round(seconds.asDouble() * 1000)) : null;
        return new RolloutView(json.path("rolloutId").asString(),
                expected.isIntegralNumber() ? expected.asLong() : null, json.path("total").asLong(),
                json.path("created").asLong(), json.path("alreadyExisted").asLong(), json.path("failed").asLong(),
                json.path("removed").asLong(), json.path("updated").asLong(), json.path("unchanged").asLong(),
                categories, duration, json.path("complete").asBoolean(), json.path("description").asString(null),
                false);
    }

    /** Nothing answered yet. */
    static RolloutView empty(String rolloutId, Long expectedCount, String description, boolean counted) {
        return new RolloutView(rolloutId, expectedCount, 0, 0, 0, 0, 0, 0, 0, Map.of(), null, false, description, counted);
    }

    boolean allCreated() {
        return complete && failed == 0;
    }

    /** The exit code of {@code status}: 0 complete and all created, 1 some failed, 4 not complete yet. */
    ExitCode exitCode() {
        if (!complete) {
            return ExitCode.NOT_COMPLETE;
        }
        return failed == 0 ? ExitCode.OK : ExitCode.FAILED;
    }

    static Instant parseInstant(JsonNode node) {
        try {
            return node.isString() ? Instant.parse(node.stringValue()) : null;
        } catch (RuntimeException e) {
            return null;
        }
    }
}
