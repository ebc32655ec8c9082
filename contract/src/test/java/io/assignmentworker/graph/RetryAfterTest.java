package io.assignmentworker.graph;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Optional;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class RetryAfterTest {

    private static final Clock CLOCK = Clock.fixed(Instant.parse("2026-11-28T12:00:00Z"), ZoneOffset.UTC);

    @ParameterizedTest(name = "''{0}'' -> {1} ms")
    @CsvSource(nullValues = "absent", value = {
            "5, 5000",
            "0, 1000",
            "'31,120', 31000",
            "'31, 120', 31000",
            "9300000000, 31536000000",
            "99999999999999999999999, 31536000000",
            "120, 120000",
            "' 7 ', 7000",
            "1.5, 1500",
            "0.25, 250",
            "'Sat, 28 Nov 2026 12:00:30 GMT', 30000",
            "'Sat, 28 Nov 2026 11:59:00 GMT', 1000",
            "'Sat, 28 Nov 2026 12:00:00 GMT', 1000",
            "absent, absent",
            "'', absent",
            "-3, absent",
            "soon, absent",
            "'Sat, 31 Nov 2026 12:00:00 GMT', absent"})
    void readsSecondsFractionsAndHttpDates(String header, Long expectedMillis) {
        Optional<Duration> parsed = RetryAfter.parse(header, CLOCK);

        assertThat(parsed.map(Duration::toMillis)).isEqualTo(Optional.ofNullable(expectedMillis));
    }
}
