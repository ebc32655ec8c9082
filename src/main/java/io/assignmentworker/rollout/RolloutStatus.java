package io.assignmentworker.rollout;

import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.TreeMap;

/**
 * A rollout's progress: what the rollouts topic holds for it (see {@code schemas/rollout-status.schema.json}).
 *
 * @param expectedCount    the size its manifest declared, or {@code null} when it declared none
 * @param created          outcomes CREATED by this rollout's requests (the assignment was written)
 * @param alreadyExisted   outcomes CREATED for assignments that were already there
 * @param failed           outcomes FAILED
 * @param removed          outcomes REMOVED (a remove took the assignment away)
 * @param updated          outcomes UPDATED (an update changed the assignment's intent or filter)
 * @param unchanged        outcomes UNCHANGED (a remove or an update found nothing to do)
 * @param failedByCategory FAILED outcomes by error category
 * @param firstReceivedAt  the earliest time one of its requests was read, or {@code null}
 * @param lastCompletedAt  the latest time one of its outcomes was decided, or {@code null}
 * @param updatedAt        when this status was computed
 * @param description      what was submitted (from the manifest), or {@code null}
 */
public record RolloutStatus(String rolloutId, Integer expectedCount, long created, long alreadyExisted, long failed,
                            long removed, long updated, long unchanged, Map<String, Long> failedByCategory, Instant firstReceivedAt, Instant lastCompletedAt,
                            Instant updatedAt, String description) {

    public RolloutStatus {
        failedByCategory = Map.copyOf(failedByCategory);
    }

    static RolloutStatus empty(String rolloutId, Instant now) {
        return new RolloutStatus(rolloutId, null, 0, 0, 0, 0, 0, 0, Map.of(), null, null, now, null);
    }

    /** Outcomes counted so far. */
    public long total() {
        return created + alreadyExisted + failed + removed + updated + unchanged;
    }

    /** Every request the manifest declared has its outcome. */
    public boolean complete() {
        return expectedCount != null && total() >= expectedCount;
    }

    /** From the first request read to the last outcome decided, or {@code null} before the first outcome. */
    public Duration duration() {
        return firstReceivedAt == null || lastCompletedAt == null ? null
                : Duration.between(firstReceivedAt, lastCompletedAt);
    }

    /** This status with one more event taken into account. */
    RolloutStatus with(RolloutEvent event, Instant now) {
        if (event.isManifest()) {
            return new RolloutStatus(rolloutId, event.expectedCount(), created, alreadyExisted, failed, removed,
                    updated, unchanged, failedByCategory, firstReceivedAt, lastCompletedAt, now,
                    event.description() != null ? event.description() : description);
        }
        long[] counts = {created, alreadyExisted, failed, removed, updated, unchanged};
        Map<String, Long> categories = failedByCategory;
        switch (event.outcome()) {
            case "CREATED" -> counts[event.alreadyExisted() ? 1 : 0]++;
            case "REMOVED" -> counts[3]++;
            case "UPDATED" -> counts[4]++;
            case "UNCHANGED" -> counts[5]++;
            default -> {
                counts[2]++;
                categories = new TreeMap<>(failedByCategory);
                categories.merge(event.category() == null ? "UNKNOWN" : event.category(), 1L, Long::sum);
            }
        }
        return new RolloutStatus(rolloutId, expectedCount, counts[0], counts[1], counts[2], counts[3], counts[4],
                counts[5], categories, earliest(firstReceivedAt, event.receivedAt()),
                latest(lastCompletedAt, event.completedAt()), now, description);
    }

    private static Instant earliest(Instant a, Instant b) {
        return a == null ? b : b == null || a.isBefore(b) ? a : b;
    }

    private static Instant latest(Instant a, Instant b) {
        return a == null ? b : b == null || a.isAfter(b) ? a : b;
    }
}
