package io.assignmentworker.scheduling;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** How the lane spaces calls when its timer wakes late or after it was idle ({@link TenantLane#nextSlot}). */
class TenantLaneSlotTest {

    private static final long GAP = 10_000_000; // 10 ms

    @Test
    void aCallStartedALittleLateDoesNotPushTheFollowingSlotsBack() {
        long due = 0;
        for (int i = 0; i < 100; i++) {
            long startedLate = due + 1_000_000; // the timer wakes 1 ms late every time
            due = TenantLane.nextSlot(due, startedLate, GAP);
        }
        assertThat(due).isEqualTo(100 * GAP);
    }

    @Test
    void lateCallsStayAtLeastHalfAGapApartAndBudgetPlusOneOfThemSpanMoreThanTheWindow() {
        int budget = 100;
        long window = 1_000_000_000L;
        long gap = window * 101 / (100L * (budget - 1));
        long due = 0;
        long previous = Long.MIN_VALUE / 2;
        long[] started = new long[budget + 1];
        java.util.Random random = new java.util.Random(7);
        for (int i = 0; i <= budget; i++) {
            long start = due + (long) (random.nextDouble() * 3 * gap); // late by up to three gaps
            assertThat(start - previous).isGreaterThanOrEqualTo(gap / 2);
            started[i] = start;
            previous = start;
            due = TenantLane.nextSlot(due, start, gap);
        }
        assertThat(started[budget] - started[0]).isGreaterThan(window);
    }

    @Test
    void anIdleLaneDoesNotBurstWhenWorkReturns() {
        long longAgo = 0;
        long now = 60 * 1_000_000_000L;
        long next = TenantLane.nextSlot(longAgo, now, GAP);
        assertThat(next).isEqualTo(now + GAP / 2);
    }
}
