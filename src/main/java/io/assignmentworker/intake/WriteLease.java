package io.assignmentworker.intake;

import java.time.Duration;

/**
 * Whether this worker may trust that it still owns its partitions, so that its requests may write to Graph. Polls
 * and rebalance callbacks run on the intake thread; {@link #fresh} is asked from any thread.
 */
final class WriteLease {

    private final Duration lease;
    private final Duration sessionTimeout;
    private volatile long lastPollNanos = System.nanoTime();
    private volatile long lastRebalanceNanos = System.nanoTime();
    private volatile long unconfirmedUntilNanos = System.nanoTime();

    /**
     * @param lease          {@code worker.intake.write-lease}: how long after a poll writes may still go out
     * @param sessionTimeout the consumer's {@code session.timeout.ms}: how long a paused worker stays a member
     */
    WriteLease(Duration lease, Duration sessionTimeout) {
        this.lease = lease;
        this.sessionTimeout = sessionTimeout;
    }

    /**
     * A poll returned. A long gap since the previous one (the process was paused, or starved) means the group may
     * have moved this worker's partitions without it noticing yet: writes wait until a rebalance callback has
     * told it what it owns, or until a whole session timeout has passed without one.
     */
    void pollReturned(long pollStartedNanos) {
        long now = System.nanoTime();
        if (now - lastPollNanos > lease.toNanos() && lastRebalanceNanos < pollStartedNanos) {
            unconfirmedUntilNanos = now + sessionTimeout.toNanos();
        }
        lastPollNanos = now;
    }

    /** A rebalance callback ran: partitions were revoked or lost. */
    void rebalanced() {
        lastRebalanceNanos = System.nanoTime();
    }

    /** Partitions were assigned: the group has just said what this worker owns. */
    void confirmed() {
        lastRebalanceNanos = System.nanoTime();
        unconfirmedUntilNanos = lastRebalanceNanos;
    }

    boolean fresh() {
        long now = System.nanoTime();
        return now - lastPollNanos < lease.toNanos() && now - unconfirmedUntilNanos >= 0;
    }
}
