package io.assignmentworker.scheduling;

import java.time.Duration;

/**
 * A tenant's cool-down after a 429: the whole tenant waits, so in-flight requests do not each discover it. It waits
 * Graph's {@code Retry-After} (capped), or without one an exponential backoff that grows with every 429 in a row
 * (429s of calls that were under way when the cool-down began count as one).
 * Times are {@link System#nanoTime()} readings passed in by the caller.
 */
final class CoolDown {

    private final Backoff backoff;
    private final Duration maxRetryAfter;
    private long until;
    private int consecutiveThrottles;

    CoolDown(Backoff backoff, Duration maxRetryAfter, long now) {
        this.backoff = backoff;
        this.maxRetryAfter = maxRetryAfter;
        this.until = now;
    }

    /** Graph answered 429, asking to wait {@code retryAfter} (null: it did not say). */
    synchronized void throttled(Duration retryAfter, long now) {
        // A 429 that comes while the tenant is already cooling down answers a call sent before the cool-down
        // began (a burst meets the throttle together): it does not make the backoff grow.
        if (now - until >= 0 || consecutiveThrottles == 0) {
            consecutiveThrottles++;
        }
        Duration wait = retryAfter == null ? backoff.forAttempt(consecutiveThrottles)
                : retryAfter.compareTo(maxRetryAfter) <= 0 ? retryAfter : maxRetryAfter;
        until = Math.max(until, now + wait.toNanos());
    }

    /** A call was answered without a 429: the next 429's backoff starts over. */
    synchronized void answered() {
        consecutiveThrottles = 0;
    }

    /** Nanoseconds from {@code now} until the cool-down ends; 0 when the tenant is not cooling down. */
    synchronized long nanosLeft(long now) {
        return Math.max(0, until - now);
    }
}
