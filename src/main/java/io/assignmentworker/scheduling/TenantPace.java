package io.assignmentworker.scheduling;

import io.assignmentworker.graph.CallKind;
import java.time.Duration;
import java.util.function.DoubleSupplier;

/**
 * When a tenant's next Graph call may leave: the lane's one pacing mechanism. Every call takes a request slot and
 * every write also a write slot; slots are spaced evenly at this instance's share of the tenant's budgets (see
 * {@link BudgetShare}), and write slots also at the adaptive pace: halved by a 429 (down to a floor), raised again
 * by a tenth after each quiet step without one. Graph's budget is shared with every other app and admin of the
 * tenant, so the configured budget is a ceiling, not a promise.
 *
 * <p>Times are {@link System#nanoTime()} readings passed in by the caller, so tests can drive it with their own.
 */
final class TenantPace {

    private static final double FLOOR = 0.05;
    private static final double STEP_UP = 0.1;

    private final long writeSlotNanos;
    private final long requestSlotNanos;
    private final long quietStepNanos;
    private final DoubleSupplier share;
    private double pace = 1.0;
    private long lastChange;
    private long lastThrottle;
    private boolean everThrottled;
    private long nextWriteAt;
    private long nextCallAt;

    /**
     * @param writeSlot   the spacing of writes at the full write budget and full pace
     * @param requestSlot the spacing of calls at the full request budget
     * @param quietStep   how long without a 429 before the pace goes up a step
     * @param share       this instance's share of the tenant's budgets, read for every call
     * @param now         the time the lane opens: its first slots are free from then
     */
    TenantPace(Duration writeSlot, Duration requestSlot, Duration quietStep, DoubleSupplier share, long now) {
        this.writeSlotNanos = writeSlot.toNanos();
        this.requestSlotNanos = requestSlot.toNanos();
        this.quietStepNanos = quietStep.toNanos();
        this.share = share;
        this.lastChange = now;
        this.nextWriteAt = now;
        this.nextCallAt = now;
    }

    /** Nanoseconds from {@code now} until a call of {@code kind} has its slots; 0 when it has them now. */
    synchronized long nanosUntilFree(CallKind kind, long now) {
        long wait = nextCallAt - now;
        if (kind == CallKind.WRITE) {
            wait = Math.max(wait, nextWriteAt - now);
        }
        return Math.max(0, wait);
    }

    /** Takes the slots of a call of {@code kind} leaving at {@code now} (once {@link #nanosUntilFree} said 0). */
    synchronized void take(CallKind kind, long now) {
        double budgetShare = share.getAsDouble();
        nextCallAt = nextSlot(nextCallAt, now, (long) (requestSlotNanos / budgetShare));
        if (kind == CallKind.WRITE) {
            nextWriteAt = nextSlot(nextWriteAt, now, (long) (writeSlotNanos / (pace * budgetShare)));
        }
    }

    /**
     * When the call after one that was due at {@code due} and starts at {@code now} may start: a gap after the
     * due time, not after the start, so a timer that wakes a little late every time does not lose a few percent
     * of the budget (measured: 0.92 of it at a 1 s window). At most half a gap of lateness is made up, so calls
     * stay at least half a gap apart and any {@code budget + 1} of them still span more than the window (the gap
     * is {@code window × 1.01 ÷ (budget − 1)}; {@code budget} gaps less a half exceed the window).
     */
    static long nextSlot(long due, long now, long gap) {
        return Math.max(due, now - gap / 2) + gap;
    }

    /** Halves the pace, once per quiet step: the 429s of calls that were already under way count as one. */
    synchronized void throttled(long now) {
        if (!everThrottled || now - lastThrottle >= quietStepNanos) {
            pace = Math.max(FLOOR, pace / 2);
            lastThrottle = now;
            everThrottled = true;
        }
        lastChange = now;
    }

    /** A call went through: after a quiet step without a 429, the pace goes up a step. */
    synchronized void succeeded(long now) {
        if (pace < 1.0 && now - lastChange >= quietStepNanos) {
            pace = Math.min(1.0, pace + STEP_UP);
            lastChange = now;
        }
    }

    /** The share of the write budget in use: 1 = all of it (of this instance's share), lowered by 429s. */
    synchronized double current() {
        return pace;
    }

    double budgetShare() {
        return share.getAsDouble();
    }
}
