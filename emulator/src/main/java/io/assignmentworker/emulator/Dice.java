package io.assignmentworker.emulator;

import java.time.Duration;
import java.util.Random;

/**
 * The seeded random source behind ratios and jitter, so a run with the same seed and call order behaves the same.
 * {@link Random} is thread-safe; contention is negligible next to network I/O.
 */
final class Dice {
    private final Random random;

    Dice(long seed) {
        this.random = new Random(seed);
    }

    /** True with probability {@code ratio}; ratios 0 and 1 are exact and draw nothing. */
    boolean roll(double ratio) {
        if (ratio <= 0) {
            return false;
        }
        if (ratio >= 1) {
            return true;
        }
        return random.nextDouble() < ratio;
    }

    /** {@code mean} ± a uniform amount up to {@code jitter}, never negative. */
    Duration around(Duration mean, Duration jitter) {
        if (jitter.isZero()) {
            return mean;
        }
        long spread = jitter.toNanos();
        long offset = (long) ((random.nextDouble() * 2 - 1) * spread);
        long nanos = mean.toNanos() + offset;
        return nanos <= 0 ? Duration.ZERO : Duration.ofNanos(nanos);
    }
}
