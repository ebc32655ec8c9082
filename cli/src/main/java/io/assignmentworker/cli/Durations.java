package io.assignmentworker.cli;

import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.Locale;
import picocli.CommandLine;

/**
 * Durations as people type them: ISO-8601 ({@code PT30M}) or a number with {@code ms}, {@code s}, {@code m} or
 * {@code h}.
 */
final class Durations {

    private Durations() {
    }

    /** Picocli's converter for {@code --timeout}, {@code --connect-timeout} and the like. */
    static final class Converter implements CommandLine.ITypeConverter<Duration> {
        @Override
        public Duration convert(String value) {
            try {
                return parse("", value);
            } catch (CliException e) {
                throw new CommandLine.TypeConversionException(e.getMessage().strip());
            }
        }
    }

    /** @param what the option or variable, for the message; may be empty */
    static Duration parse(String what, String value) {
        String text = value.trim().toLowerCase(Locale.ROOT);
        String prefix = what.isEmpty() ? "" : what + ": ";
        try {
            if (text.startsWith("p")) {
                return positive(prefix, value, Duration.parse(text.toUpperCase(Locale.ROOT)));
            }
            if (text.endsWith("ms")) {
                return positive(prefix, value, Duration.ofMillis(Long.parseLong(text.substring(0, text.length() - 2))));
            }
            long amount = Long.parseLong(text.substring(0, text.length() - 1));
            return positive(prefix, value, switch (text.charAt(text.length() - 1)) {
                case 's' -> Duration.ofSeconds(amount);
                case 'm' -> Duration.ofMinutes(amount);
                case 'h' -> Duration.ofHours(amount);
                default -> throw new NumberFormatException();
            });
        } catch (NumberFormatException | DateTimeParseException | StringIndexOutOfBoundsException e) {
            throw CliException.usage(prefix + "'" + value + "' is not a duration such as 90s, 30m, 2h or PT30M");
        }
    }

    private static Duration positive(String prefix, String value, Duration duration) {
        if (duration.isNegative() || duration.isZero()) {
            throw CliException.usage(prefix + "must be positive, got '" + value + "'");
        }
        return duration;
    }

    /** {@code 10s}, {@code 2m}, {@code 1h}, {@code 500ms}: as the user would type it back. */
    static String shortText(Duration duration) {
        long millis = duration.toMillis();
        if (millis % 1000 != 0) {
            return millis + "ms";
        }
        long seconds = millis / 1000;
        if (seconds % 3600 == 0) {
            return seconds / 3600 + "h";
        }
        return seconds % 60 == 0 ? seconds / 60 + "m" : seconds + "s";
    }
}
