package io.assignmentworker.scheduling;

import java.time.Duration;

/**
 * The share of a tenant's write budget the worker uses: halved by every 429 (down to a floor), raised again
 * by a tenth after each quiet step without one. Graph's budget is shared with every other app and admin of
 * the tenant, so the configured budget is a ceiling, not a promise.
 */
final class AdaptivePace {

    private static final double FLOOR = 0.05;
    private static final double STEP_UP = 0.1;

    private final long slotNanos;
    private final long quietStepNanos;
    private double pace = 1.0;
    private long lastChange = System.nanoTime();
    private long lastThrottle;

    /**
     * @param writeSlot the spacing of writes at full pace
     * @param quietStep how long without a 429 before the pace goes up a step
     */
    AdaptivePace(Duration writeSlot, Duration quietStep) {
        this.slotNanos = writeSlot.toNanos();
        this.quietStepNanos = quietStep.toNanos();
    }

    /** Halves the pace, once per quiet step: the 429s of calls that were already under way count as one. */
    synchronized void throttled() {
        long now = System.nanoTime();
        if (now - lastThrottle >= quietStepNanos || lastThrottle == 0) {
            pace = Math.max(FLOOR, pace / 2);
            lastThrottle = now;
        }
        lastChange = now;
    }

    synchronized void succeeded() {
        long now = System.nanoTime();
        if (pace < 1.0 && now - lastChange >= quietStepNanos) {
            pace = Math.min(1.0, pace + STEP_UP);
            lastChange = now;
        }
    }

    synchronized double current() {
        return pace;
    }

    /**
     * The least time between two writes at the current pace. The budget's rate limiter works in fixed cycles of
     * one slot, so two permits can fall at the end of one cycle and the start of the next; this gap keeps every
     * pair of writes a full slot apart, so {@code budget + 1} writes always span more than the window.
     */
    synchronized long gapNanos() {
        return (long) (slotNanos / pace);
    }
}
