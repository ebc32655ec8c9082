package io.assignmentworker.graph;

import java.math.BigDecimal;
import java.time.Clock;
import java.time.Duration;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.Optional;

/**
 * Parses an HTTP {@code Retry-After} value: whole or fractional seconds, or an HTTP date. One parser for every
 * status (429 and 5xx alike); the cap ({@code worker.scheduling.max-retry-after}) is applied where the wait is
 * taken.
 */
public final class RetryAfter {

    /**
     * The least wait a value asks for: {@code 0} or a date already past still means "not now" (retrying at once
     * would meet the same answer, and a 429 costs budget too).
     */
    static final Duration FLOOR = Duration.ofSeconds(1);
    /** The most a value can ask for here; the scheduling cap is far below it. Keeps the arithmetic in range. */
    static final Duration CEILING = Duration.ofDays(365);
    private static final BigDecimal CEILING_SECONDS = BigDecimal.valueOf(CEILING.toSeconds());

    private RetryAfter() {
    }

    /**
     * The wait it asks for, between {@link #FLOOR} and {@link #CEILING}; empty when the header is absent or
     * unreadable. A list of seconds ({@code 31,120}, as Graph has been seen to send) counts by its first value.
     */
    public static Optional<Duration> parse(String value, Clock clock) {
        if (value == null || value.isBlank()) {
            return Optional.empty();
        }
        String text = value.trim();
        if (!Character.isDigit(text.charAt(0)) && text.charAt(0) != '.' && text.charAt(0) != '-') {
            return parseDate(text, clock);
        }
        int comma = text.indexOf(',');
        String first = (comma < 0 ? text : text.substring(0, comma)).trim();
        try {
            BigDecimal seconds = new BigDecimal(first);
            if (seconds.signum() < 0) {
                return Optional.empty();
            }
            return Optional.of(bounded(Duration.ofNanos(seconds.min(CEILING_SECONDS).movePointRight(9)
                    .longValue())));
        } catch (NumberFormatException | ArithmeticException notSeconds) {
            return Optional.empty();
        }
    }

    /** Zero becomes the floor (fractions of a second stay as asked); nothing exceeds the ceiling. */
    private static Duration bounded(Duration wait) {
        return wait.isZero() ? FLOOR : wait.compareTo(CEILING) > 0 ? CEILING : wait;
    }

    private static Optional<Duration> parseDate(String text, Clock clock) {
        try {
            ZonedDateTime at = ZonedDateTime.parse(text, DateTimeFormatter.RFC_1123_DATE_TIME);
            Duration wait = Duration.between(clock.instant(), at.toInstant());
            return Optional.of(wait.isNegative() || wait.isZero() ? FLOOR : bounded(wait));
        } catch (DateTimeParseException e) {
            return Optional.empty();
        }
    }
}
