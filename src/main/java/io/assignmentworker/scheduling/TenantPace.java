package io.assignmentworker.scheduling;

import io.assignmentworker.graph.CallKind;
import java.time.Duration;
import java.util.function.DoubleSupplier;

/**
 * When a tenant's next Graph call may leave: the lane's one pacing mechanism. Graph's budgets are windows (Intune:
 * 100 writes and 1,000 calls in any 20 s per app and tenant), so the lane keeps a {@link WindowLog} of its writes
 * and one of all its calls, and lets a call go whenever its window has room: a tenant that has not written lately
 * spends what is left of its window at once instead of waiting for evenly spaced slots.
 *
 * <p>What a window may hold is this instance's share of the tenant's budgets (see {@link BudgetShare}, which
 * holds back a share that rises), so the instances that share a tenant never exceed its budget together. Writes
 * are also held to the adaptive pace: halved by a 429 (down to a
 * floor), raised again by a tenth after each quiet step without one. Graph's budget is shared with every other app
 * and admin of the tenant, so the configured budget is a ceiling, not a promise.
 *
 * <p>Times are {@link System#nanoTime()} readings passed in by the caller, so tests can drive it with their own.
 */
final class TenantPace {

    private static final double FLOOR = 0.05;
    private static final double STEP_UP = 0.1;

    private final int writeBudget;
    private final int requestBudget;
    private final long windowNanos;
    private final long quietStepNanos;
    private final DoubleSupplier share;
    private final WindowLog writes;
    private final WindowLog calls;
    private double pace = 1.0;
    private long lastChange;
    private long lastThrottle;
    private boolean everThrottled;
    private long nextEvenWriteAt;

    /**
     * @param writeBudget   writes in any {@code window}, for all instances together
     * @param requestBudget calls of any kind in any {@code window}
     * @param window        the window both budgets refer to, with the margin for Graph's clock already added
     * @param quietStep     how long without a 429 before the pace goes up a step
     * @param share         this instance's share of the tenant's budgets, read for every call
     * @param now           the time the lane opens
     */
    TenantPace(int writeBudget, int requestBudget, Duration window, Duration quietStep, DoubleSupplier share,
               long now) {
        this.writeBudget = writeBudget;
        this.requestBudget = requestBudget;
        this.windowNanos = window.toNanos();
        this.quietStepNanos = quietStep.toNanos();
        this.share = share;
        this.writes = new WindowLog(windowNanos, now);
        this.calls = new WindowLog(windowNanos, now);
        this.lastChange = now;
    }

    /**
     * Nanoseconds from {@code now} until a call of {@code kind} may leave; 0 when it may leave now.
     * {@link Long#MAX_VALUE} when only an answer to a call in flight can make room.
     */
    synchronized long nanosUntilFree(CallKind kind, long now) {
        double budgetShare = share.getAsDouble();
        long wait = calls.nanosUntilBelow(cap(requestBudget, budgetShare), now);
        if (kind == CallKind.WRITE) {
            wait = Math.max(wait, writes.nanosUntilBelow(cap(writeBudget, budgetShare * pace), now));
            if (pace < 1.0) {
                wait = Math.max(wait, nextEvenWriteAt - now);
            }
        }
        return Math.max(0, wait);
    }

    /** How many more writes the tenant's window (this instance's share of it) would take now. */
    synchronized int writeRoom(long now) {
        double budgetShare = share.getAsDouble();
        int cap = Math.min(cap(writeBudget, budgetShare * pace), cap(requestBudget, budgetShare));
        return Math.max(0, cap - Math.max(writes.counted(now), calls.counted(now)));
    }

    /** A call of {@code kind} leaves (once {@link #nanosUntilFree} said 0): it counts from now on. */
    synchronized void take(CallKind kind, long now) {
        calls.started();
        if (kind == CallKind.WRITE) {
            writes.started();
            if (pace < 1.0) {
                double perWindow = Math.max(1.0, writeBudget * share.getAsDouble() * pace);
                nextEvenWriteAt = Math.max(nextEvenWriteAt, now) + (long) (windowNanos / perWindow);
            }
        }
    }

    /** A call that {@link #take} let go was answered, or gave up, at {@code now}. */
    synchronized void answered(CallKind kind, long now) {
        calls.answered(now);
        if (kind == CallKind.WRITE) {
            writes.answered(now);
        }
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

    /**
     * Writes (or calls) a window may hold at {@code fraction} of {@code budget}: at least one while this instance
     * has any share (a share of a tiny budget still gets its write, as even spacing gave it), none without one.
     */
    private static int cap(int budget, double fraction) {
        return fraction <= 0 ? 0 : Math.max(1, (int) Math.floor(budget * fraction + 1e-9));
    }
}
