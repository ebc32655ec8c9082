package io.assignmentworker.scheduling;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import org.junit.jupiter.api.Test;

/** When the intake reads as far ahead as it may, and when nearer. */
class ReadAheadTest {

    private static final Duration WINDOW = Duration.ofSeconds(20);
    private static final long CREATES_HOLD = ReadAhead.CREATES_HOLD.toNanos();

    private long now = 5_000_000_000L;
    private boolean heldBack;
    private final ReadAhead readAhead = new ReadAhead(WINDOW, () -> now, () -> heldBack);

    @Test
    void readsFarFromTheStartUntilABatchGoesAsCreatesWithRoomToSpare() {
        assertThat(readAhead.far()).isTrue();
        now += CREATES_HOLD * 10;
        assertThat(readAhead.far()).as("nothing written yet: as it always did").isTrue();

        readAhead.createdWithRoom();
        assertThat(readAhead.far()).isFalse();
    }

    /** A worker left idle decides nothing: it reads far again, as at its start. */
    @Test
    void readsFarAgainOneHoldAfterTheLastBatchThatWentAsCreates() {
        readAhead.createdWithRoom();
        now += CREATES_HOLD - 1;
        assertThat(readAhead.far()).isFalse();
        readAhead.createdWithRoom();
        now += CREATES_HOLD - 1;
        assertThat(readAhead.far()).as("creates still being decided").isFalse();
        now += 1;
        assertThat(readAhead.far()).isTrue();
    }

    @Test
    void aCoalescedWriteReadsFarForOneWindowWhateverCreatesGoMeanwhile() {
        readAhead.createdWithRoom();
        readAhead.coalesced();
        now += WINDOW.toNanos() - 1;
        readAhead.createdWithRoom();
        assertThat(readAhead.far()).as("another tenant's creates do not starve a coalescing one").isTrue();

        now += 1;
        assertThat(readAhead.far()).isFalse();
    }

    /**
     * A tenant in an outage or a cool-down holds its requests until it ends: at the nearer bound they would keep
     * every other tenant's requests unread meanwhile.
     */
    @Test
    void readsFarWhileAnyTenantIsHeldBack() {
        readAhead.createdWithRoom();
        heldBack = true;
        assertThat(readAhead.far()).isTrue();
        heldBack = false;
        assertThat(readAhead.far()).isFalse();
    }
}
