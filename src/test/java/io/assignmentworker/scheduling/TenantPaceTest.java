package io.assignmentworker.scheduling;

import static org.assertj.core.api.Assertions.assertThat;

import io.assignmentworker.graph.CallKind;
import java.time.Duration;
import java.util.Random;
import org.assertj.core.data.Offset;
import org.junit.jupiter.api.Test;

/**
 * The lane's one pacing mechanism ({@link TenantPace}), driven by a clock the test moves: every call goes at the
 * first moment the pace allows, and the test reads when that was.
 */
class TenantPaceTest {

    private static final long MS = 1_000_000;
    private static final long GAP = 10 * MS;
    private static final Duration WRITE_SLOT = Duration.ofMillis(100);
    private static final Duration REQUEST_SLOT = Duration.ofMillis(10);
    private static final Duration QUIET_STEP = Duration.ofSeconds(1);

    private long now = 1_000 * MS;
    private double share = 1.0;
    private final TenantPace pace = new TenantPace(WRITE_SLOT, REQUEST_SLOT, QUIET_STEP, () -> share, now);

    /** Starts a call of {@code kind} as soon as its slots are free; returns how long it waited. */
    private long go(CallKind kind) {
        long waited = pace.nanosUntilFree(kind, now);
        now += waited;
        assertThat(pace.nanosUntilFree(kind, now)).isZero();
        pace.take(kind, now);
        return waited;
    }

    @Test
    void spacesWritesOneWriteSlotApartAtTheFullBudget() {
        go(CallKind.WRITE);
        for (int i = 0; i < 5; i++) {
            assertThat(go(CallKind.WRITE)).isEqualTo(WRITE_SLOT.toNanos());
        }
    }

    @Test
    void spacesReadsOneRequestSlotApartAndAWriteTakesARequestSlotToo() {
        go(CallKind.READ);
        assertThat(go(CallKind.READ)).isEqualTo(REQUEST_SLOT.toNanos());
        assertThat(go(CallKind.WRITE)).isEqualTo(REQUEST_SLOT.toNanos());
        assertThat(go(CallKind.READ)).as("the write took the request slot").isEqualTo(REQUEST_SLOT.toNanos());
    }

    @Test
    void pacesAtItsShareOfTheBudget() {
        share = 0.25;
        go(CallKind.WRITE);
        assertThat(go(CallKind.WRITE)).isEqualTo(4 * WRITE_SLOT.toNanos());
        go(CallKind.READ);
        assertThat(go(CallKind.READ)).isEqualTo(4 * REQUEST_SLOT.toNanos());
    }

    @Test
    void halvesThePaceOnA429AndCountsTheBurstOfOneQuietStepOnce() {
        go(CallKind.WRITE);
        pace.throttled(now);
        pace.throttled(now + 10 * MS); // another call that was already under way
        assertThat(pace.current()).isEqualTo(0.5);

        go(CallKind.WRITE); // its slot was set at the full pace
        assertThat(go(CallKind.WRITE)).isEqualTo(2 * WRITE_SLOT.toNanos());
    }

    @Test
    void recoversATenthPerQuietStepAfterA429() {
        pace.throttled(now);
        pace.succeeded(now + QUIET_STEP.toNanos() / 2);
        assertThat(pace.current()).as("not quiet long enough yet").isEqualTo(0.5);

        now += QUIET_STEP.toNanos();
        pace.succeeded(now);
        assertThat(pace.current()).isCloseTo(0.6, Offset.offset(1e-9));
        pace.succeeded(now + 1);
        assertThat(pace.current()).as("one step per quiet step").isCloseTo(0.6, Offset.offset(1e-9));
        for (int i = 0; i < 10; i++) {
            now += QUIET_STEP.toNanos();
            pace.succeeded(now);
        }
        assertThat(pace.current()).isEqualTo(1.0);
    }

    @Test
    void neverGoesBelowTheFloor() {
        for (int i = 0; i < 20; i++) {
            now += QUIET_STEP.toNanos();
            pace.throttled(now);
        }
        assertThat(pace.current()).isEqualTo(0.05);
    }

    @Test
    void aCallStartedALittleLateDoesNotPushTheFollowingSlotsBack() {
        long due = 0;
        for (int i = 0; i < 100; i++) {
            long startedLate = due + MS; // the timer wakes 1 ms late every time
            due = TenantPace.nextSlot(due, startedLate, GAP);
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
        Random random = new Random(7);
        for (int i = 0; i <= budget; i++) {
            long start = due + (long) (random.nextDouble() * 3 * gap); // late by up to three gaps
            assertThat(start - previous).isGreaterThanOrEqualTo(gap / 2);
            started[i] = start;
            previous = start;
            due = TenantPace.nextSlot(due, start, gap);
        }
        assertThat(started[budget] - started[0]).isGreaterThan(window);
    }

    @Test
    void anIdleLaneDoesNotBurstWhenWorkReturns() {
        long longAgo = 0;
        long later = 60 * 1_000_000_000L;
        long next = TenantPace.nextSlot(longAgo, later, GAP);
        assertThat(next).isEqualTo(later + GAP / 2);
    }
}
