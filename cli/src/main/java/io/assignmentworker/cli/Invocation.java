package io.assignmentworker.cli;

import java.io.InputStream;
import java.io.PrintStream;
import java.util.Map;

/**
 * What one run of the tool works with, handed to every command: the environment (Kafka and Graph settings, as
 * the worker reads them), the standard streams, and whether each output stream may be coloured.
 *
 * @param colour whether stdout ({@code out}) and stderr ({@code err}) are terminals that want colour
 */
record Invocation(Map<String, String> env, InputStream in, PrintStream out, PrintStream err, Colour colour) {

    /**
     * Colour on each stream: only on a terminal, never with {@code NO_COLOR} (https://no-color.org) or
     * {@code TERM=dumb}.
     */
    record Colour(boolean out, boolean err) {

        static Colour of(Map<String, String> env) {
            String noColour = env.get("NO_COLOR");
            if (noColour != null && !noColour.isEmpty() || "dumb".equals(env.get("TERM"))) {
                return new Colour(false, false);
            }
            return new Colour(Terminal.isTerminal(env, "IAW_STDOUT_TTY"), Terminal.stderrIsTerminal(env));
        }

        /** {@code text} in picocli's markup (e.g. {@code @|bold,red error|@}) for stderr, plain without colour. */
        String err(String markup) {
            return picocli.CommandLine.Help.Ansi.valueOf(err).string(markup);
        }

        String out(String markup) {
            return picocli.CommandLine.Help.Ansi.valueOf(out).string(markup);
        }
    }
}
