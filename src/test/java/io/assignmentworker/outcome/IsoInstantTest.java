package io.assignmentworker.outcome;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.DateTimeException;
import java.time.Instant;
import java.util.Random;
import org.junit.jupiter.api.Test;

class IsoInstantTest {

    @Test
    void readsWhatInstantWritesLikeInstantDoes() {
        Random random = new Random(11);
        for (int i = 0; i < 10_000; i++) {
            Instant instant = Instant.ofEpochSecond(random.nextInt(2_000_000_000), i % 4 == 0 ? 0
                    : i % 4 == 1 ? random.nextInt(1000) * 1_000_000 : i % 4 == 2 ? random.nextInt(1_000_000) * 1000
                    : random.nextInt(1_000_000_000));
            assertThat(IsoInstant.parse(instant.toString())).isEqualTo(instant);
        }
        assertThat(IsoInstant.parse("2026-11-28T21:00:00.5Z")).isEqualTo(Instant.parse("2026-11-28T21:00:00.5Z"));
    }

    @Test
    void leavesOtherFormsToInstantParse() {
        assertThat(IsoInstant.parse("2026-11-28T21:00:00+01:00")).isEqualTo(Instant.parse("2026-11-28T20:00:00Z"));
        assertThatThrownBy(() -> IsoInstant.parse("2026-13-28T21:00:00Z")).isInstanceOf(DateTimeException.class);
        assertThatThrownBy(() -> IsoInstant.parse("yesterday")).isInstanceOf(DateTimeException.class);
    }
}
