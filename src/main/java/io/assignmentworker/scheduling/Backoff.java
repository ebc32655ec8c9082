package io.assignmentworker.scheduling;

import java.time.Duration;
import java.util.concurrent.ThreadLocalRandom;

/** Exponential backoff with full jitter: a random wait in [0, min(cap, initial × 2^(n-1))]. */
record Backoff(Duration initial, Duration cap) {

    Duration forAttempt(int attempt) {
        long ceiling = ceiling(attempt).toMillis();
        return Duration.ofMillis(ThreadLocalRandom.current().nextLong(ceiling + 1));
    }

    Duration ceiling(int attempt) {
        int doublings = Math.min(Math.max(attempt - 1, 0), 30);
        Duration ceiling = initial.multipliedBy(1L << doublings);
        return ceiling.compareTo(cap) > 0 ? cap : ceiling;
    }
}
