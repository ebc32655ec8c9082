package io.assignmentworker.scheduling;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import org.junit.jupiter.api.Test;

/** When the intake reads as far ahead as it may, and when nearer. */
class ReadAheadTest {

    private static final Duration HOLD = Duration.ofSeconds(20);

    private long now = 5_000_000_000L;
    private final ReadAhead readAhead = new ReadAhead(HOLD, () -> now);

    @Test
    void readsFarFromTheStartUntilABatchGoesAsCreatesWithRoomToSpare() {
        assertThat(readAhead.far()).isTrue();
        now += HOLD.toNanos() * 10;
        assertThat(readAhead.far()).as("nothing written yet: as it always did").isTrue();

        readAhead.createdWithRoom();
        assertThat(readAhead.far()).isFalse();
    }

    /** An idle worker, or one whose requests all wait out an outage, decides nothing: it reads far again. */
    @Test
    void readsFarAgainOneHoldAfterTheLastBatchThatWentAsCreates() {
        readAhead.createdWithRoom();
        now += HOLD.toNanos() - 1;
        assertThat(readAhead.far()).isFalse();
        readAhead.createdWithRoom();
        now += HOLD.toNanos() - 1;
        assertThat(readAhead.far()).as("creates still being decided").isFalse();
        now += 1;
        assertThat(readAhead.far()).isTrue();
    }

    @Test
    void aCoalescedWriteReadsFarForOneHoldWhateverCreatesGoMeanwhile() {
        readAhead.createdWithRoom();
        readAhead.coalesced();
        now += HOLD.toNanos() - 1;
        readAhead.createdWithRoom();
        assertThat(readAhead.far()).as("another tenant's creates do not starve a coalescing one").isTrue();

        now += 1;
        assertThat(readAhead.far()).isFalse();
    }

    @Test
    void aCoalescedWriteBeforeAnyCreateStillEndsWithItsHold() {
        readAhead.coalesced();
        now += HOLD.toNanos() / 2;
        readAhead.createdWithRoom();
        assertThat(readAhead.far()).isTrue();
        now += HOLD.toNanos() / 2;
        assertThat(readAhead.far()).isFalse();
    }
}
