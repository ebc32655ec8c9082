package io.assignmentworker.cli;

import java.io.PrintStream;
import java.util.Optional;

/**
 * {@code status ROLLOUT}: the rollout's latest status from the rollouts topic, as a summary table. Without one
 * (a worker without rollout tracking, or a rollout that has no outcome yet) it counts the rollout's results.
 */
final class StatusCommand {

    private StatusCommand() {
    }

    static ExitCode run(Args args, KafkaAccess kafka, PrintStream out, PrintStream err) {
        String rolloutId = args.atMostPositionals(1).positional(0, "ROLLOUT (the rollout id)");
        try (RolloutLookup lookup = new RolloutLookup(kafka)) {
            Optional<RolloutView> status = lookup.status(rolloutId);
            if (status.isPresent()) {
                SummaryTable.print(out, status.get(), kafka.topics().results());
                return status.get().exitCode();
            }
            Optional<Manifest> manifest = lookup.manifest(rolloutId);
            err.println("No status for " + rolloutId + " on " + kafka.topics().rollouts() + "; counting its results on "
                    + kafka.topics().results() + " ...");
            ResultTally tally = new ResultTally(rolloutId);
            lookup.results(rolloutId, manifest, tally::add);
            if (tally.total() == 0 && manifest.isEmpty()) {
                err.println("Unknown rollout " + rolloutId + ": no status, no manifest and no results on "
                        + kafka.bootstrapServers());
                return ExitCode.UNKNOWN_ROLLOUT;
            }
            RolloutView view = tally.view(manifest.map(Manifest::expectedCount).orElse(null),
                    manifest.map(Manifest::description).orElse(null));
            SummaryTable.print(out, view, kafka.topics().results());
            return view.exitCode();
        }
    }
}
