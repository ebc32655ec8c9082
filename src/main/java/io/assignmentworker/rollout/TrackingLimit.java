package io.assignmentworker.rollout;

import io.assignmentworker.metrics.WorkerMetrics;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code worker.rollouts.max-tracked} for one instance, shared by its tasks: whether a new rollout fits, and the
 * log lines and metrics when it does not. One WARN when the limit is reached (again after having been below it);
 * for rollouts left untracked, at most one WARN a minute, with how many events were not counted since the last.
 */
final class TrackingLimit {

    private static final Logger log = LoggerFactory.getLogger(TrackingLimit.class);
    private static final Duration UNTRACKED_WARNING_INTERVAL = Duration.ofMinutes(1);

    private final int max;
    private final RolloutCounts counts;
    private final WorkerMetrics metrics;
    private final AtomicBoolean reached = new AtomicBoolean();
    private final AtomicReference<Instant> lastUntrackedWarning = new AtomicReference<>(Instant.MIN);
    private final AtomicLong untrackedSinceWarning = new AtomicLong();

    TrackingLimit(int max, RolloutCounts counts, WorkerMetrics metrics) {
        this.max = max;
        this.counts = counts;
        this.metrics = metrics;
    }

    RolloutCounts counts() {
        return counts;
    }

    /** Whether this instance holds fewer rollouts than the limit; logs the crossing when it does not. */
    boolean hasRoom() {
        long tracked = counts.tracked();
        if (tracked < max) {
            reached.set(false);
            return true;
        }
        if (reached.compareAndSet(false, true)) {
            log.warn("Rollout tracking holds {} rollouts, worker.rollouts.max-tracked ({}): complete rollouts are "
                    + "now forgotten early, least recently updated first, and new rollouts are not tracked while "
                    + "none is complete", tracked, max);
        }
        return false;
    }

    /** Whether this instance holds more rollouts than the limit (after a restart with a lower one, a failover). */
    boolean isExceeded() {
        return counts.tracked() > max;
    }

    /** A complete rollout forgotten before its retention to make room. */
    void evicted() {
        metrics.rolloutEvicted();
    }

    /** An event of a rollout that could not be tracked was not counted. */
    void untracked(String rolloutId, Instant now) {
        metrics.rolloutUntracked();
        long notCounted = untrackedSinceWarning.incrementAndGet();
        Instant last = lastUntrackedWarning.get();
        if (now.isAfter(last.plus(UNTRACKED_WARNING_INTERVAL)) && lastUntrackedWarning.compareAndSet(last, now)) {
            untrackedSinceWarning.addAndGet(-notCounted);
            log.warn("Rollout {} is not tracked: this instance holds worker.rollouts.max-tracked ({}) rollouts and "
                    + "none is complete; {} outcome(s) or manifest(s) not counted since the last such line "
                    + "(intune_worker_rollouts_untracked_total). Raise the limit or lower worker.rollouts.retention",
                    rolloutId, max, notCounted);
        }
    }
}
