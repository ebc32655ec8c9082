package io.assignmentworker.cli;

import java.time.Duration;
import java.time.Instant;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import tools.jackson.databind.JsonNode;

/**
 * Counts a rollout's results as the worker's rollout status does, for when that status is not there (a worker
 * without rollout tracking) or not yet there. Each requestId counts once.
 */
final class ResultTally {

    private final String rolloutId;
    private final Set<String> seen = new HashSet<>();
    private final Map<String, Long> failedByCategory = new TreeMap<>();
    private long created;
    private long alreadyExisted;
    private long failed;
    private long removed;
    private long updated;
    private long unchanged;
    private Instant firstReceivedAt;
    private Instant lastCompletedAt;

    ResultTally(String rolloutId) {
        this.rolloutId = rolloutId;
    }

    /** Counts the result if it belongs to the rollout; true when it did and was new. */
    boolean add(JsonNode result) {
        if (result == null || !rolloutId.equals(result.path("rolloutId").asString(null))) {
            return false;
        }
        String requestId = result.path("requestId").asString(null);
        if (requestId != null && !seen.add(requestId)) {
            return false;
        }
        switch (result.path("status").asString("")) {
            case "CREATED" -> {
                if (result.path("alreadyExisted").asBoolean(false)) {
                    alreadyExisted++;
                } else {
                    created++;
                }
            }
            case "REMOVED" -> removed++;
            case "UPDATED" -> updated++;
            case "UNCHANGED" -> unchanged++;
            default -> {
                failed++;
                failedByCategory.merge(result.path("error").path("category").asString("UNKNOWN"), 1L, Long::sum);
            }
        }
        firstReceivedAt = earliest(firstReceivedAt, RolloutView.parseInstant(result.path("receivedAt")));
        lastCompletedAt = latest(lastCompletedAt, RolloutView.parseInstant(result.path("completedAt")));
        return true;
    }

    long total() {
        return created + alreadyExisted + failed + removed + updated + unchanged;
    }

    RolloutView view(Long expectedCount, String description) {
        Duration duration = firstReceivedAt == null || lastCompletedAt == null ? null
                : Duration.between(firstReceivedAt, lastCompletedAt);
        boolean complete = expectedCount != null && total() >= expectedCount;
        return new RolloutView(rolloutId, expectedCount, total(), created, alreadyExisted, failed, removed, updated,
                unchanged, failedByCategory,
                duration, complete, description, true);
    }

    private static Instant earliest(Instant a, Instant b) {
        return a == null ? b : b == null || a.isBefore(b) ? a : b;
    }

    private static Instant latest(Instant a, Instant b) {
        return a == null ? b : b == null || a.isAfter(b) ? a : b;
    }
}
