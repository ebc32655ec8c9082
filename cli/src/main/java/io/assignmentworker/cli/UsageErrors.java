package io.assignmentworker.cli;

import java.util.List;
import java.util.stream.Stream;
import picocli.CommandLine;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.UnmatchedArgumentException;

/**
 * Usage errors, as {@code kubectl} and {@code gh} answer them: one line that names the mistake, a suggestion when
 * there is a close match, where to read more, and exit code 2 — without the whole help.
 */
final class UsageErrors implements CommandLine.IParameterExceptionHandler {

    private final Invocation invocation;

    UsageErrors(Invocation invocation) {
        this.invocation = invocation;
    }

    @Override
    public int handleParseException(ParameterException e, String[] args) {
        CommandLine failed = e.getCommandLine();
        String command = failed.getCommandSpec().qualifiedName();
        var err = failed.getErr();
        err.println(invocation.colour().err("@|bold,red " + command + ":|@ ") + message(e));
        List<String> suggestions = suggestions(e);
        if (!suggestions.isEmpty()) {
            err.println("Did you mean " + String.join(" or ", suggestions) + "?");
        }
        err.println("See: " + command + " --help");
        return ExitCode.USAGE.code();
    }

    /** Options and commands a typo is close to: {@code --wiat} → {@code --wait}, {@code stauts} → {@code status}. */
    static List<String> suggestions(ParameterException e) {
        if (!(e instanceof UnmatchedArgumentException unmatched) || unmatched.getUnmatched().isEmpty()) {
            return List.of();
        }
        String typed = unmatched.getUnmatched().get(0).replaceFirst("=.*", "");
        CommandLine failed = e.getCommandLine();
        Stream<String> names = typed.startsWith("-")
                ? failed.getCommandSpec().options().stream().flatMap(o -> Stream.of(o.names()))
                : failed.getSubcommands().keySet().stream();
        int tolerance = Math.max(1, typed.length() / 4);
        return names.filter(name -> name.length() > 2 && distance(typed, name) <= tolerance)
                .distinct().sorted().limit(3).toList();
    }

    /** Levenshtein distance, with a swap of neighbours counted as one edit. */
    static int distance(String a, String b) {
        int[][] d = new int[a.length() + 1][b.length() + 1];
        for (int i = 0; i <= a.length(); i++) {
            for (int j = 0; j <= b.length(); j++) {
                if (i == 0 || j == 0) {
                    d[i][j] = i + j;
                    continue;
                }
                int cost = a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1;
                d[i][j] = Math.min(Math.min(d[i - 1][j] + 1, d[i][j - 1] + 1), d[i - 1][j - 1] + cost);
                if (i > 1 && j > 1 && a.charAt(i - 1) == b.charAt(j - 2) && a.charAt(i - 2) == b.charAt(j - 1)) {
                    d[i][j] = Math.min(d[i][j], d[i - 2][j - 2] + 1);
                }
            }
        }
        return d[a.length()][b.length()];
    }

    private static String message(ParameterException e) {
        if (!(e instanceof UnmatchedArgumentException unmatched) || unmatched.getUnmatched().isEmpty()) {
            return e.getMessage();
        }
        String first = unmatched.getUnmatched().get(0);
        CommandLine failed = e.getCommandLine();
        if (first.startsWith("-") && !first.equals("-")) {
            return "unknown option " + first;
        }
        if (!failed.getSubcommands().isEmpty()) {
            List<String> commands = failed.getSubcommands().keySet().stream().toList();
            return "unknown command '" + first + "' (" + String.join(", ", commands) + ")";
        }
        return "unexpected argument '" + first + "'";
    }
}
