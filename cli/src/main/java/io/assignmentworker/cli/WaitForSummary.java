package io.assignmentworker.cli;

import java.io.PrintStream;
import java.time.Duration;

/**
 * {@code submit --wait} and {@code status --wait}: follows a rollout to its summary and turns that into an exit
 * code. In JSON mode the summary is the caller's to print; everything else goes to stderr.
 */
final class WaitForSummary {

    /** The last view of the rollout, and the exit code it means. */
    record Waited(RolloutView view, ExitCode exitCode) {
    }

    private final RolloutWatch watch;
    private final KafkaAccess kafka;
    private final PrintStream out;
    private final PrintStream err;
    private final boolean json;
    private final boolean colour;

    /** @param colour whether the summary on {@code out} may be coloured */
    WaitForSummary(RolloutWatch watch, KafkaAccess kafka, PrintStream out, PrintStream err, boolean json,
                   boolean colour) {
        this.watch = watch;
        this.kafka = kafka;
        this.out = out;
        this.err = err;
        this.json = json;
        this.colour = colour;
    }

    /** 0 when every request ended CREATED, 1 when some FAILED, 3 when {@code timeout} passed first. */
    Waited await(String rolloutId, long expected, String description, Duration timeout, Progress progress) {
        err.println("Waiting for " + SummaryTable.count(expected, "outcome") + " on " + kafka.topics().rollouts()
                + " / " + kafka.topics().results() + " (timeout " + SummaryTable.duration(timeout) + ") ...");
        RolloutView view;
        try (FollowHint hint = FollowHint.install(err, rolloutId, progress.terminal())) {
            view = watch.await(expected, description, timeout, progress);
        }
        progress.finish(view);
        if (!json) {
            SummaryTable.print(out, view, kafka.topics().results(), colour);
        }
        if (!view.complete()) {
            err.println("Timed out after " + SummaryTable.duration(timeout) + "; the rollout goes on. Follow it with: "
                    + "iaw status " + rolloutId + " --wait");
            return new Waited(view, ExitCode.TIMED_OUT);
        }
        if (view.failed() > 0) {
            (json ? err : out).println("Get the failed requests to fix and submit again: iaw failures " + rolloutId
                    + " --out failed.csv");
            return new Waited(view, ExitCode.FAILED);
        }
        return new Waited(view, ExitCode.OK);
    }
}
