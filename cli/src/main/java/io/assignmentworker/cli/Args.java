package io.assignmentworker.cli;

import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * A command's arguments: positionals, {@code --flag}s and {@code --option value} (or {@code --option=value}).
 * Only the options a command declares are accepted, so a typo is an error rather than silently ignored.
 */
final class Args {

    private final List<String> positionals;
    private final Map<String, String> options;
    private final Set<String> flags;

    private Args(List<String> positionals, Map<String, String> options, Set<String> flags) {
        this.positionals = positionals;
        this.options = options;
        this.flags = flags;
    }

    /**
     * @param valued the options that take a value, without {@code --}
     * @param switches the options that take none, without {@code --}
     */
    static Args parse(List<String> tokens, Set<String> valued, Set<String> switches) {
        List<String> positionals = new ArrayList<>();
        Map<String, String> options = new HashMap<>();
        Set<String> flags = new HashSet<>();
        boolean onlyPositionals = false;
        for (int i = 0; i < tokens.size(); i++) {
            String token = tokens.get(i);
            if (onlyPositionals || !token.startsWith("--") || token.equals("-")) {
                positionals.add(token);
                continue;
            }
            if (token.equals("--")) {
                onlyPositionals = true;
                continue;
            }
            int equals = token.indexOf('=');
            String name = token.substring(2, equals < 0 ? token.length() : equals);
            if (switches.contains(name) && equals < 0) {
                flags.add(name);
            } else if (valued.contains(name)) {
                String value = equals >= 0 ? token.substring(equals + 1) : next(tokens, ++i, name);
                if (options.put(name, value) != null) {
                    throw CliException.usage("--" + name + " is given twice");
                }
            } else {
                throw CliException.usage("unknown option --" + name);
            }
        }
        return new Args(positionals, options, flags);
    }

    private static String next(List<String> tokens, int index, String name) {
        if (index >= tokens.size() || tokens.get(index).startsWith("--")) {
            throw CliException.usage("--" + name + " needs a value");
        }
        return tokens.get(index);
    }

    /** The positional at {@code index}, required. */
    String positional(int index, String what) {
        if (index >= positionals.size()) {
            throw CliException.usage("missing " + what);
        }
        return positionals.get(index);
    }

    /** Fails when more positionals were given than the command takes. */
    Args atMostPositionals(int count) {
        if (positionals.size() > count) {
            throw CliException.usage("unexpected argument '" + positionals.get(count) + "'");
        }
        return this;
    }

    Optional<String> option(String name) {
        return Optional.ofNullable(options.get(name)).filter(v -> !v.isBlank());
    }

    boolean flag(String name) {
        return flags.contains(name);
    }

    /** A duration option: ISO-8601 ({@code PT30M}) or a number with {@code ms}, {@code s}, {@code m}, {@code h}. */
    Duration duration(String name, Duration fallback) {
        return option(name).map(value -> parseDuration("--" + name, value)).orElse(fallback);
    }

    static Duration parseDuration(String what, String value) {
        String text = value.trim().toLowerCase(Locale.ROOT);
        try {
            if (text.startsWith("p")) {
                return positive(what, value, Duration.parse(text.toUpperCase(Locale.ROOT)));
            }
            if (text.endsWith("ms")) {
                return positive(what, value, Duration.ofMillis(Long.parseLong(text.substring(0, text.length() - 2))));
            }
            long amount = Long.parseLong(text.substring(0, text.length() - 1));
            return positive(what, value, switch (text.charAt(text.length() - 1)) {
                case 's' -> Duration.ofSeconds(amount);
                case 'm' -> Duration.ofMinutes(amount);
                case 'h' -> Duration.ofHours(amount);
                default -> throw new NumberFormatException();
            });
        } catch (NumberFormatException | DateTimeParseException | StringIndexOutOfBoundsException e) {
            throw CliException.usage(what + ": '" + value + "' is not a duration such as 90s, 30m, 2h or PT30M");
        }
    }

    private static Duration positive(String what, String value, Duration duration) {
        if (duration.isNegative() || duration.isZero()) {
            throw CliException.usage(what + " must be positive, got '" + value + "'");
        }
        return duration;
    }
}
