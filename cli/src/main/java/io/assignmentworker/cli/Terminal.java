package io.assignmentworker.cli;

import java.io.Console;
import java.util.Map;

/** Whether stdout and stderr are terminals: a progress bar or plain lines, colour or none. */
final class Terminal {

    private Terminal() {
    }

    /**
     * {@code IAW_STDERR_TTY} decides when set (the {@code bin/iaw} script sets it from {@code [ -t 2 ]}, which Java
     * cannot ask); otherwise a console attached to the JVM stands in for it, except with {@code TERM=dumb}.
     */
    static boolean stderrIsTerminal(Map<String, String> env) {
        return isTerminal(env, "IAW_STDERR_TTY");
    }

    /** @param declaring what {@code bin/iaw} sets for the stream: {@code IAW_STDOUT_TTY}, {@code IAW_STDERR_TTY} */
    static boolean isTerminal(Map<String, String> env, String declaring) {
        String declared = env.get(declaring);
        if (declared != null && !declared.isBlank()) {
            return declared.equals("1") || declared.equalsIgnoreCase("true");
        }
        if ("dumb".equals(env.get("TERM"))) {
            return false;
        }
        Console console = System.console();
        if (console == null) {
            return false;
        }
        try {
            // Java 22+ returns a console even when redirected, and says so with isTerminal().
            return (Boolean) Console.class.getMethod("isTerminal").invoke(console);
        } catch (NoSuchMethodException olderJava) {
            return true;
        } catch (ReflectiveOperationException e) {
            return false;
        }
    }

    /**
     * Text read from a topic, made safe to print: control characters (escape sequences could move the cursor,
     * recolour or retitle the terminal) and bidirectional overrides (which could make one id read as another)
     * each become {@code ?}.
     */
    static String printable(String text) {
        if (text == null) {
            return null;
        }
        StringBuilder safe = new StringBuilder(text.length());
        text.codePoints().forEach(c -> safe.appendCodePoint(Character.isISOControl(c) || c == 0x2028 || c == 0x2029
                || c >= 0x202A && c <= 0x202E || c >= 0x2066 && c <= 0x2069 ? '?' : c));
        return safe.toString();
    }
}
