package io.assignmentworker.cli;

import java.io.PrintStream;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.Callable;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import tools.jackson.databind.node.ObjectNode;

/**
 * {@code status ROLLOUT}: the rollout's latest status from the rollouts topic, as a summary table. Without one
 * (a worker without rollout tracking, or a rollout that has no outcome yet) it counts the rollout's results.
 * {@code --wait} follows it from there to its summary.
 */
@Command(name = "status", sortOptions = false, synopsisHeading = "%nUsage:%n  ",
        customSynopsis = "iaw status ROLLOUT [-w [-t 30m]] [-o json] [options]",
        header = "Show a rollout's progress or summary (--wait: follow it to the end)",
        description = {"",
            "The rollout's latest status, as a summary table. Exit 0 complete and all created, 1 some failed, "
                    + "4 not complete yet, 5 unknown rollout; with --wait, 3 timed out and 130 interrupted."},
        parameterListHeading = "%n", optionListHeading = "%nOptions:%n",
        footerHeading = "%n", footer = {"Examples:", "  iaw status wave-1-20261128T222014.521Z --wait",
            "  iaw status wave-1-20261128T222014.521Z -o json | jq .failedByCategory"})
final class StatusCommand implements Callable<Integer> {

    @Parameters(paramLabel = "ROLLOUT", description = "the rollout id (iaw list shows the recent ones)")
    String rolloutId;

    @Option(names = {"-w", "--wait"}, order = 1, description = "follow the rollout until it is complete")
    boolean wait;

    @Mixin
    FollowOptions follow;

    @Mixin
    OutputOption output;

    @ArgGroup(validate = false, heading = "%nKafka:%n", order = 100)
    KafkaOptions kafkaOptions = new KafkaOptions();

    @Mixin
    HelpOption help;

    private final Invocation invocation;

    StatusCommand(Invocation invocation) {
        this.invocation = invocation;
    }

    @Override
    public Integer call() {
        PrintStream err = invocation.err();
        KafkaAccess kafka = KafkaAccess.from(kafkaOptions == null ? new KafkaOptions() : kafkaOptions,
                invocation.env(), err);
        Set<String> topics = kafka.existingTopics();
        RolloutWatch watch = wait ? new RolloutWatch(kafka, topics, rolloutId) : null;
        try (RolloutWatch following = watch; RolloutLookup lookup = new RolloutLookup(kafka, topics)) {
            Optional<RolloutView> found = current(lookup, kafka, following);
            if (found.isEmpty()) {
                return ExitCode.UNKNOWN_ROLLOUT.code();
            }
            RolloutView view = found.get();
            if (following == null || view.complete() || view.expectedCount() == null) {
                if (following != null && !view.complete()) {
                    err.println("The rollout has no manifest, so it never reports complete: nothing to wait for.");
                }
                return print(view, kafka).code();
            }
            Progress progress = follow.progress(err, invocation.env());
            WaitForSummary.Waited waited = new WaitForSummary(following, kafka, invocation.out(), err,
                    output.json(), invocation.colour().out()).await(rolloutId, view.expectedCount(), view.description(), follow.timeout, progress);
            if (output.json()) {
                JsonOutput.print(invocation.out(), document(waited.view()));
            }
            return waited.exitCode().code();
        }
    }

    /** The worker's status, else the results counted; empty (and said so) when the rollout is unknown. */
    private Optional<RolloutView> current(RolloutLookup lookup, KafkaAccess kafka, RolloutWatch watch) {
        Optional<RolloutView> status = lookup.status(rolloutId);
        if (status.isPresent()) {
            if (watch != null) {
                watch.seed(status.get());
            }
            return status;
        }
        PrintStream err = invocation.err();
        Optional<Manifest> manifest = lookup.manifest(rolloutId);
        err.println("No status for " + rolloutId + " on " + kafka.topics().rollouts() + "; counting its results on "
                + kafka.topics().results() + " ...");
        ResultTally tally = new ResultTally(rolloutId);
        lookup.results(rolloutId, manifest, result -> {
            tally.add(result);
            if (watch != null) {
                watch.seed(result);
            }
        });
        if (tally.total() == 0 && manifest.isEmpty()) {
            err.println("Unknown rollout " + rolloutId + ": no status, no manifest and no results on "
                    + kafka.bootstrapServers());
            return Optional.empty();
        }
        return Optional.of(tally.view(manifest.map(Manifest::expectedCount).orElse(null),
                manifest.map(Manifest::description).orElse(null)));
    }

    private ExitCode print(RolloutView view, KafkaAccess kafka) {
        if (output.json()) {
            JsonOutput.print(invocation.out(), document(view));
        } else {
            SummaryTable.print(invocation.out(), view, kafka.topics().results(), invocation.colour().out());
        }
        return view.exitCode();
    }

    private static ObjectNode document(RolloutView view) {
        return JsonOutput.rollout(JsonOutput.document("status"), view);
    }
}
