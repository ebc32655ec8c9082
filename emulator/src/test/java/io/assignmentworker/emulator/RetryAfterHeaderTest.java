package io.assignmentworker.emulator;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import org.junit.jupiter.api.Test;

class RetryAfterHeaderTest {
    private static final Clock CLOCK = Clock.fixed(Instant.parse("2024-06-01T12:00:00.600Z"), ZoneOffset.UTC);

    @Test
    void roundsWholeSecondsUpAndNeverBelowOne() {
        assertThat(RetryAfterHeader.format(Duration.ofMillis(2001), RetryAfterFormat.SECONDS, CLOCK)).isEqualTo("3");
        assertThat(RetryAfterHeader.format(Duration.ofSeconds(2), RetryAfterFormat.SECONDS, CLOCK)).isEqualTo("2");
        assertThat(RetryAfterHeader.format(Duration.ofMillis(1), RetryAfterFormat.SECONDS, CLOCK)).isEqualTo("1");
    }

    @Test
    void roundsFractionalSecondsUpToMilliseconds() {
        assertThat(RetryAfterHeader.format(Duration.ofNanos(2_250_000_001L), RetryAfterFormat.FRACTIONAL_SECONDS, CLOCK))
                .isEqualTo("2.251");
    }

    @Test
    void roundsHttpDateUpToTheNextWholeSecond() {
        // 12:00:00.600 + 1.5 s = 12:00:02.100, which an HTTP-date can only express as 12:00:03.
        assertThat(RetryAfterHeader.format(Duration.ofMillis(1500), RetryAfterFormat.HTTP_DATE, CLOCK))
                .isEqualTo("Sat, 1 Jun 2024 12:00:03 GMT");
    }
}
