package io.assignmentworker.emulator;

import java.time.Duration;

/**
 * A tenant's two sliding-window budgets: all Graph requests, and writes. A call is admitted only if every budget it
 * draws on has room, and a refused call consumes nothing, so a throttled client is not punished twice.
 */
final class ThrottleGate {
    private final SlidingWindow requests = new SlidingWindow();
    private final SlidingWindow writes = new SlidingWindow();

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
        }
        return Duration.ZERO;
    }
}
