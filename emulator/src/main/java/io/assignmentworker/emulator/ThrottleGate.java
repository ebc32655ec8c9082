package io.assignmentworker.emulator;

import java.time.Duration;
import java.util.Arrays;

/**
 * A tenant's two sliding-window budgets: all Graph requests, and writes. A call is admitted only if every budget it
 * draws on has room, and a refused call consumes nothing, so a throttled client is not punished twice.
 */
final class ThrottleGate {
    /** Admission times kept for {@link #admittedWriteNanos()}: bounded for long benchmark runs. */
    static final int WRITE_STAMPS_KEPT = 100_000;

    private final SlidingWindow requests = new SlidingWindow();
    private final SlidingWindow writes = new SlidingWindow();
    // A ring of the last admitted writes' times, stamped under this gate's lock with the very instant the budget
    // was checked against, so a reader can count writes per window exactly as the gate did (even when the budget
    // is unlimited and the sliding window keeps none).
    private long[] writeStamps = new long[64];
    private long writesAdmitted;

    /**
     * Admits the call, or returns how long until it would fit.
     *
     * @return {@link Duration#ZERO} when admitted, otherwise the wait (always positive)
     */
    synchronized Duration tryAdmit(boolean write, TenantBehaviour behaviour, Duration window) {
        long now = System.nanoTime();
        long windowNanos = window.toNanos();
        int requestBudget = behaviour.requestBudget();
        int writeBudget = behaviour.writeBudget();
        long wait = requests.nanosUntilFree(now, requestBudget, windowNanos);
        if (write) {
            wait = Math.max(wait, writes.nanosUntilFree(now, writeBudget, windowNanos));
        }
        if (wait > 0) {
            return Duration.ofNanos(wait);
        }
        requests.admit(now, requestBudget);
        if (write) {
            writes.admit(now, writeBudget);
            stampWrite(now);
        }
        return Duration.ZERO;
    }

    /** {@link System#nanoTime()} of the last {@link #WRITE_STAMPS_KEPT} writes admitted, oldest first. */
    synchronized long[] admittedWriteNanos() {
        int kept = (int) Math.min(writesAdmitted, writeStamps.length);
        long[] stamps = new long[kept];
        long oldest = writesAdmitted - kept;
        for (int i = 0; i < kept; i++) {
            stamps[i] = writeStamps[(int) ((oldest + i) % writeStamps.length)];
        }
        return stamps;
    }

    private void stampWrite(long now) {
        if (writesAdmitted == writeStamps.length && writesAdmitted < WRITE_STAMPS_KEPT) {
            writeStamps = Arrays.copyOf(writeStamps, (int) Math.min(WRITE_STAMPS_KEPT, 2L * writeStamps.length));
        }
        writeStamps[(int) (writesAdmitted % writeStamps.length)] = now;
        writesAdmitted++;
    }
}
