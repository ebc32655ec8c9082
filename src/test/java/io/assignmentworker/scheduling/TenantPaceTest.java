package io.assignmentworker.scheduling;

import static org.assertj.core.api.Assertions.assertThat;

import io.assignmentworker.graph.CallKind;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.PriorityQueue;
import java.util.Random;
import org.assertj.core.data.Offset;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The lane's one pacing mechanism ({@link TenantPace}), driven by a clock the test moves: a call goes at the first
 * moment the tenant's window has room for it, and the test reads when that was.
 */
class TenantPaceTest {

    private static final long MS = 1_000_000;
    private static final int WRITES = 10;
    private static final int CALLS = 30;
    private static final Duration WINDOW = Duration.ofSeconds(2);
    private static final Duration QUIET_STEP = Duration.ofSeconds(1);

    private long now = 1_000 * MS;
    private double share = 1.0;
    private final TenantPace pace = new TenantPace(WRITES, CALLS, WINDOW, QUIET_STEP, () -> share, now);

    /** Lets a call of {@code kind} go now if the window has room; whether it went. */
    private boolean tryGo(CallKind kind) {
        if (pace.nanosUntilFree(kind, now) != 0) {
            return false;
        }
        pace.take(kind, now);
        return true;
    }

    /** Lets calls of {@code kind} go now, each answered at once, until the window is full; how many went. */
    private int burst(CallKind kind) {
        int went = 0;
        while (tryGo(kind)) {
            pace.answered(kind, now);
            went++;
        }
        return went;
    }

    @Test
    void aTenantThatHasNotWrittenLatelySpendsItsWholeWindowAtOnce() {
        assertThat(burst(CallKind.WRITE)).isEqualTo(WRITES);
        assertThat(pace.nanosUntilFree(CallKind.WRITE, now)).as("the next write waits for the window")
                .isGreaterThanOrEqualTo(WINDOW.toNanos());
    }

    @Test
    void roomComesBackWhenTheOldestAnswerLeavesTheWindow() {
        for (int i = 0; i < WRITES; i++) {
            assertThat(tryGo(CallKind.WRITE)).isTrue();
            now += 100 * MS;
            pace.answered(CallKind.WRITE, now); // answered at 100 ms, 200 ms, …
        }
        long firstAnswer = now - (WRITES - 1) * 100 * MS;
        long wait = pace.nanosUntilFree(CallKind.WRITE, now);
        assertThat(now + wait - firstAnswer).as("free once the first answer is a window old (to one bucket)")
                .isBetween(WINDOW.toNanos(), WINDOW.toNanos() + WINDOW.toNanos() / 100);

        now += wait;
        assertThat(tryGo(CallKind.WRITE)).isTrue();
        assertThat(tryGo(CallKind.WRITE)).as("only the first answer has left the window").isFalse();
    }

    @Test
    void callsInFlightHoldTheirPlaceUntilTheyAreAnswered() {
        for (int i = 0; i < WRITES; i++) {
            assertThat(tryGo(CallKind.WRITE)).isTrue();
        }
        now += 10 * WINDOW.toNanos();
        assertThat(pace.nanosUntilFree(CallKind.WRITE, now)).as("only an answer can make room")
                .isEqualTo(Long.MAX_VALUE);

        pace.answered(CallKind.WRITE, now);
        assertThat(pace.nanosUntilFree(CallKind.WRITE, now)).as("counted at its answer, for a window from then")
                .isBetween(WINDOW.toNanos(), WINDOW.toNanos() + WINDOW.toNanos() / 100 + 1);
    }

    @Test
    void aWriteCountsAgainstTheCallBudgetToo() {
        PaceWithBudgets small = new PaceWithBudgets(100, 5);
        assertThat(small.burst(CallKind.WRITE)).isEqualTo(5);
        assertThat(small.pace.nanosUntilFree(CallKind.READ, now)).as("the writes took the calls' window").isPositive();
    }

    @Test
    void spendsOnlyItsShareOfTheBudget() {
        share = 0.25;
        PaceWithBudgets shared = new PaceWithBudgets(100, 1_000);
        assertThat(shared.burst(CallKind.WRITE)).isEqualTo(25);
    }

    @Test
    void halvesThePaceOnA429AndCountsTheBurstOfOneQuietStepOnce() {
        pace.throttled(now);
        pace.throttled(now + 10 * MS); // another call that was already under way
        assertThat(pace.current()).isEqualTo(0.5);
        int inOneWindow = 0;
        for (long end = now + WINDOW.toNanos(); now < end; now += MS) {
            inOneWindow += burst(CallKind.WRITE);
        }
        assertThat(inOneWindow).as("half the window").isEqualTo(WRITES / 2);
    }

    @Test
    void afterA429WritesAreSpacedEvenlyUntilThePaceIsFullAgain() {
        pace.throttled(now);
        assertThat(tryGo(CallKind.WRITE)).isTrue();
        pace.answered(CallKind.WRITE, now);
        long gap = pace.nanosUntilFree(CallKind.WRITE, now);
        assertThat(gap).as("a window over half the budget: no burst at a budget Graph just refused")
                .isEqualTo(WINDOW.toNanos() / (WRITES / 2));

        for (int i = 0; i < 10; i++) {
            now += QUIET_STEP.toNanos();
            pace.succeeded(now);
        }
        now += 2 * WINDOW.toNanos();
        assertThat(burst(CallKind.WRITE)).as("trusted again: the whole window at once").isEqualTo(WRITES);
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

    /**
     * The promise itself: whatever the latencies, Graph never sees more writes than the budget in any window. Graph
     * counts a write when it arrives, at some moment between the worker letting it go and the answer; each write
     * here arrives at a random point of a random latency (up to half a window, some very uneven), and every
     * window that Graph could measure over the arrivals is checked.
     */
    @ParameterizedTest
    @ValueSource(longs = {1, 2, 3, 4, 5, 6, 7, 8})
    void graphNeverSeesMoreThanTheBudgetInAnyWindowWhateverTheLatency(long seed) {
        Random random = new Random(seed);
        PriorityQueue<Long> answers = new PriorityQueue<>();
        List<Long> arrivals = new ArrayList<>();
        long end = now + 20 * WINDOW.toNanos();
        while (now < end) {
            while (!answers.isEmpty() && answers.peek() <= now) {
                pace.answered(CallKind.WRITE, answers.poll());
            }
            if (tryGo(CallKind.WRITE)) {
                long latency = random.nextInt(10) == 0 ? random.nextLong(WINDOW.toNanos() / 2)
                        : random.nextLong(200 * MS);
                arrivals.add(now + (long) (random.nextDouble() * latency));
                answers.add(now + latency);
            } else {
                now += random.nextLong(20 * MS) + 1;
            }
        }
        arrivals.sort(Long::compare);
        long graphWindow = WINDOW.toNanos(); // the lane's own margin for Graph's clock is not even needed
        int mostInAWindow = 0;
        for (int first = 0, last = 0; last < arrivals.size(); last++) {
            while (arrivals.get(last) - arrivals.get(first) >= graphWindow) {
                first++;
            }
            mostInAWindow = Math.max(mostInAWindow, last - first + 1);
        }
        assertThat(arrivals.size()).as("writes made in 20 windows").isGreaterThan(10 * WRITES);
        assertThat(mostInAWindow).isLessThanOrEqualTo(WRITES);
    }

    /** A pace with other budgets, on the test's clock and share. */
    private final class PaceWithBudgets {
        final TenantPace pace;

        PaceWithBudgets(int writes, int calls) {
            this.pace = new TenantPace(writes, calls, WINDOW, QUIET_STEP, () -> share, now);
        }

        int burst(CallKind kind) {
            int went = 0;
            while (pace.nanosUntilFree(kind, now) == 0) {
                pace.take(kind, now);
                pace.answered(kind, now);
                went++;
            }
            return went;
        }
    }
}
