package io.assignmentworker.cli;

import java.io.PrintStream;
import java.time.Duration;
import java.time.Instant;
import java.util.Locale;

/**
 * Live progress of {@code submit --wait} on stderr: a bar redrawn in place on a terminal, a plain line every
 * interval otherwise (CI logs, files), so logs stay readable and terminals stay lively.
 */
final class Progress {

    private static final Duration REDRAW = Duration.ofMillis(250);
    private static final int WIDTH = 30;

    private final PrintStream err;
    private final boolean terminal;
    private final Duration interval;
    private final Instant started = Instant.now();
    private Instant lastShown = Instant.EPOCH;
    private String lastLine = "";

    Progress(PrintStream err, boolean terminal, Duration interval) {
        this.err = err;
        this.terminal = terminal;
        this.interval = interval;
    }

    boolean terminal() {
        return terminal;
    }

    void update(RolloutView view) {
        Instant now = Instant.now();
        if (Duration.between(lastShown, now).compareTo(terminal ? REDRAW : interval) < 0) {
            return;
        }
        lastShown = now;
        show(view);
    }

    /** Shows the final numbers, and ends the bar's line. */
    void finish(RolloutView view) {
        show(view);
        if (terminal) {
            err.println();
        }
    }

    private void show(RolloutView view) {
        String line = terminal ? bar(view) : plain(view);
        if (terminal) {
            // pad over the remains of a longer previous line
            err.print("\r" + line + " ".repeat(Math.max(0, lastLine.length() - line.length())));
            err.flush();
        } else if (!line.equals(lastLine)) {
            err.println(line);
        }
        lastLine = line;
    }

    private String bar(RolloutView view) {
        long expected = view.expectedCount() == null ? 0 : view.expectedCount();
        int filled = expected == 0 ? 0 : (int) Math.min(WIDTH, view.total() * WIDTH / expected);
        return String.format(Locale.ROOT, "[%s%s] %d/%d %3d%%  created %d  already %d  %sfailed %d  %s",
                "#".repeat(filled), ".".repeat(WIDTH - filled), view.total(), expected, percent(view, expected),
                view.created(), view.alreadyExisted(), changes(view, "  ", " "), view.failed(), elapsed());
    }

    private String plain(RolloutView view) {
        long expected = view.expectedCount() == null ? 0 : view.expectedCount();
        return String.format(Locale.ROOT, "[iaw] %s  %d of %d answered (%d%%): created %d, already existed %d, "
                + "%sfailed %d", elapsed(), view.total(), expected, percent(view, expected), view.created(),
                view.alreadyExisted(), changes(view, ", ", " "), view.failed());
    }

    /** Removes, updates and no-ops, once a rollout has any (a rollback, a change of filters). */
    private static String changes(RolloutView view, String separator, String space) {
        if (view.removed() + view.updated() + view.unchanged() == 0) {
            return "";
        }
        return "removed" + space + view.removed() + separator + "updated" + space + view.updated() + separator
                + "unchanged" + space + view.unchanged() + separator;
    }

    private static long percent(RolloutView view, long expected) {
        return expected == 0 ? 0 : Math.min(100, view.total() * 100 / expected);
    }

    private String elapsed() {
        long seconds = Duration.between(started, Instant.now()).toSeconds();
        return seconds < 60 ? seconds + "s" : seconds / 60 + "m" + String.format(Locale.ROOT, "%02ds", seconds % 60);
    }
}
