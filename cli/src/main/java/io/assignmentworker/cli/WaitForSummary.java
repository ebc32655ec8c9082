package io.assignmentworker.cli;

import java.io.PrintStream;
import java.time.Duration;

/** {@code submit --wait}: follows the published rollout to its summary and turns that into an exit code. */
final class WaitForSummary {

    private final RolloutWatch watch;
    private final KafkaAccess kafka;
    private final PrintStream out;
    private final PrintStream err;

    WaitForSummary(RolloutWatch watch, KafkaAccess kafka, PrintStream out, PrintStream err) {
        this.watch = watch;
        this.kafka = kafka;
        this.out = out;
        this.err = err;
    }

    /** 0 when every request ended CREATED, 1 when some FAILED, 3 when {@code timeout} passed first. */
    ExitCode await(String rolloutId, long expected, String description, Duration timeout, Progress progress) {
        err.println("Waiting for " + SummaryTable.count(expected, "outcome") + " on " + kafka.topics().rollouts()
                + " / " + kafka.topics().results() + " (timeout " + SummaryTable.duration(timeout) + ") ...");
        RolloutView view = watch.await(expected, description, timeout, progress);
        progress.finish(view);
        SummaryTable.print(out, view, kafka.topics().results());
        if (!view.complete()) {
            err.println("Timed out after " + SummaryTable.duration(timeout) + "; the rollout goes on. Follow it with: "
                    + "iaw status " + rolloutId);
            return ExitCode.TIMED_OUT;
        }
        if (view.failed() > 0) {
            out.println("Get the failed requests to fix and submit again: iaw failures " + rolloutId
                    + " --out failed.csv");
            return ExitCode.FAILED;
        }
        return ExitCode.OK;
    }
}
