package io.assignmentworker.outcome;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.DateTimeException;
import java.time.Instant;
import java.util.List;
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
    void writesWhatInstantWrites() {
        Random random = new Random(17);
        for (int i = 0; i < 100_000; i++) {
            Instant instant = Instant.ofEpochSecond(random.nextLong(-62_167_219_200L, 253_402_300_800L),
                    i % 4 == 0 ? 0 : i % 4 == 1 ? random.nextInt(1000) * 1_000_000
                            : i % 4 == 2 ? random.nextInt(1_000_000) * 1000 : random.nextInt(1_000_000_000));
            assertThat(IsoInstant.format(instant)).isEqualTo(instant.toString());
        }
        for (String edge : List.of("0000-01-01T00:00:00Z", "9999-12-31T23:59:59.999999999Z", "1970-01-01T00:00:00Z",
                "1969-12-31T23:59:59.000001Z", "2000-02-29T12:00:00.100Z", "2100-03-01T00:00:00Z",
                "+10000-01-01T00:00:00Z", "-0001-12-31T23:59:59Z")) {
            assertThat(IsoInstant.format(Instant.parse(edge))).isEqualTo(edge);
        }
    }

    @Test
    void leavesOtherFormsToInstantParse() {
        assertThat(IsoInstant.parse("2026-11-28T21:00:00+01:00")).isEqualTo(Instant.parse("2026-11-28T20:00:00Z"));
        assertThatThrownBy(() -> IsoInstant.parse("2026-13-28T21:00:00Z")).isInstanceOf(DateTimeException.class);
        assertThatThrownBy(() -> IsoInstant.parse("yesterday")).isInstanceOf(DateTimeException.class);
    }
}
