package io.assignmentworker.cli;

import java.io.PrintStream;
import java.time.Duration;
import java.util.Locale;

/** The rollout summary that {@code submit --wait} and {@code status} print: one headline, then counts. */
final class SummaryTable {

    private static final String GREEN = "32";
    private static final String RED = "31";

    private SummaryTable() {
    }

    static void print(PrintStream out, RolloutView view, String resultsTopic) {
        print(out, view, resultsTopic, false);
    }

    /** @param colour whether stdout is a terminal that wants colour: created rows green, failed ones red */
    static void print(PrintStream out, RolloutView view, String resultsTopic, boolean colour) {
        out.println(headline(view));
        row(out, "CREATED (new)", view.created(), colour ? GREEN : null);
        row(out, "CREATED (already existed)", view.alreadyExisted(), colour ? GREEN : null);
        if (view.removed() + view.updated() + view.unchanged() > 0) {
            row(out, "REMOVED", view.removed(), colour ? GREEN : null);
            row(out, "UPDATED", view.updated(), colour ? GREEN : null);
            row(out, "UNCHANGED (nothing to do)", view.unchanged(), colour ? GREEN : null);
        }
        if (view.failed() == 0) {
            row(out, "FAILED", 0, null);
        }
        view.failedByCategory().forEach((category, count) -> row(out, "FAILED " + category, count,
                colour ? RED : null));
        if (view.counted()) {
            out.println("  (counted from " + resultsTopic + ": the worker published no status for this rollout)");
        }
    }

    static String headline(RolloutView view) {
        String name = "Rollout " + Terminal.printable(view.rolloutId())
                + (view.description() == null ? "" : " (" + Terminal.printable(view.description()) + ")");
        if (view.complete()) {
            return name + ": complete, " + view.total() + " of " + count(view.expectedCount(), "request") + " answered"
                    + (view.duration() == null ? "" : " in " + duration(view.duration()));
        }
        if (view.expectedCount() == null) {
            return name + ": " + count(view.total(), "request") + " answered; expected count unknown (no manifest), "
                    + "so it never reports complete";
        }
        return name + ": in progress, " + view.total() + " of " + count(view.expectedCount(), "request")
                + " answered so far";
    }

    /** @param colour an SGR code, or null */
    private static void row(PrintStream out, String label, long count, String colour) {
        // categories come from the topic: printable only; the colour goes around the padded row (columns align)
        String row = String.format(Locale.ROOT, "  %-32s %6d", Terminal.printable(label), count);
        out.println(colour == null || count == 0 ? row : "\u001B[" + colour + "m" + row + "\u001B[0m");
    }

    /** {@code 1 request}, {@code 2 requests}. */
    static String count(long n, String noun) {
        return n + " " + noun + (n == 1 ? "" : "s");
    }

    /** {@code 3.2 s}, {@code 4 min 12 s}, {@code 30 min}, {@code 1 h 02 min}. */
    static String duration(Duration duration) {
        long seconds = duration.toSeconds();
        if (seconds < 60) {
            return String.format(Locale.ROOT, "%.1f s", duration.toMillis() / 1000.0);
        }
        if (seconds < 3600) {
            return (seconds / 60) + " min" + (seconds % 60 == 0 ? "" : " " + (seconds % 60) + " s");
        }
        return String.format(Locale.ROOT, "%d h %02d min", seconds / 3600, seconds % 3600 / 60);
    }
}
