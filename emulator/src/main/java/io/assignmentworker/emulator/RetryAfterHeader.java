package io.assignmentworker.emulator;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;

/** Writes a wait as a {@code Retry-After} value in the configured format, always rounding up so clients wait enough. */
final class RetryAfterHeader {
    private RetryAfterHeader() {
    }

    static String format(Duration wait, RetryAfterFormat format, Clock clock) {
        return switch (format) {
            case SECONDS -> Long.toString(wholeSecondsUp(wait));
            case FRACTIONAL_SECONDS -> fractionalSecondsUp(wait);
            case HTTP_DATE -> DateTimeFormatter.RFC_1123_DATE_TIME.format(dateUp(wait, clock).atOffset(ZoneOffset.UTC));
        };
    }

    /** An HTTP-date has whole seconds, so the instant is rounded up to the next second, and is at least 1 s away. */
    private static Instant dateUp(Duration wait, Clock clock) {
        Instant now = clock.instant();
        Instant target = now.plus(wait);
        if (target.getNano() > 0) {
            target = target.truncatedTo(ChronoUnit.SECONDS).plusSeconds(1);
        }
        Instant earliest = now.plusSeconds(1);
        return target.isBefore(earliest) ? earliest.truncatedTo(ChronoUnit.SECONDS).plusSeconds(1) : target;
    }

    /** At least 1: "Retry-After: 0" would invite an immediate retry into the same full window. */
    static long wholeSecondsUp(Duration wait) {
        long seconds = wait.getSeconds() + (wait.getNano() > 0 ? 1 : 0);
        return Math.max(1, seconds);
    }

    private static String fractionalSecondsUp(Duration wait) {
        BigDecimal seconds = BigDecimal.valueOf(wait.toNanos(), 9).setScale(3, RoundingMode.UP);
        return seconds.compareTo(new BigDecimal("0.001")) < 0 ? "0.001" : seconds.toPlainString();
    }
}
