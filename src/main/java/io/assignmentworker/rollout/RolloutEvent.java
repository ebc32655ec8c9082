package io.assignmentworker.rollout;

import io.assignmentworker.outcome.ErrorCategory;
import java.time.Instant;

/**
 * What the aggregator learns about a rollout: one request's outcome (from the results topic) or the rollout's
 * manifest (its expected size).
 *
 * @param outcome        the result's status ({@code CREATED}, {@code REMOVED}, {@code UPDATED}, {@code UNCHANGED},
 *                       {@code FAILED}), or {@code null} for a manifest
 * @param alreadyExisted for a CREATED outcome: the assignment was there before
 * @param category       for a FAILED outcome: its error category
 * @param receivedAt     when the worker read the request (outcomes) or {@code submittedAt} (manifests)
 * @param completedAt    when the outcome was decided (outcomes)
 * @param expectedCount  for a manifest: how many requests the rollout has
 * @param description    for a manifest: what was submitted (a file name), or {@code null}
 */
record RolloutEvent(String outcome, boolean alreadyExisted, String category, Instant receivedAt,
                    Instant completedAt, Integer expectedCount, String description) {

    static RolloutEvent manifest(int expectedCount, Instant submittedAt, String description) {
        return new RolloutEvent(null, false, null, submittedAt, null, expectedCount, description);
    }

    boolean isManifest() {
        return outcome == null;
    }

    /**
     * The outcome of a request that failed validation (or could not be read): its rolloutId is whatever the
     * sender wrote, so it may count in a rollout that exists but never creates one.
     */
    boolean isRejectedRequest() {
        return "FAILED".equals(outcome) && (ErrorCategory.INVALID_REQUEST.name().equals(category)
                || ErrorCategory.UNREADABLE_RECORD.name().equals(category));
    }
}
