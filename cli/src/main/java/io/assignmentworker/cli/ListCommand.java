package io.assignmentworker.cli;

import java.io.PrintStream;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/** {@code list}: the recent rollouts with their state, newest first, so a rollout id is never lost. */
@Command(name = "list", aliases = "ls", sortOptions = false, synopsisHeading = "%nUsage:%n  ",
        customSynopsis = "iaw list [-n 20] [-o json] [options]",
        header = "List the recent rollouts with their state, newest first",
        description = {"",
            "Each rollout's latest status from the rollouts topic, and the rollouts submitted that have no outcome "
                    + "yet (from the manifests topic)."},
        optionListHeading = "%nOptions:%n",
        footerHeading = "%n", footer = {"Examples:", "  iaw list -n 5",
            "  iaw list -o json | jq -r '.rollouts[] | select(.state == \"failed\") | .rolloutId'"})
final class ListCommand implements Callable<Integer> {

    private static final DateTimeFormatter WHEN = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss'Z'")
            .withZone(ZoneOffset.UTC);

    @Option(names = {"-n", "--limit"}, paramLabel = "N", order = 1, description = "how many (default 20)")
    int limit = 20;

    @Mixin
    OutputOption output;

    @ArgGroup(validate = false, heading = "%nKafka:%n", order = 100)
    KafkaOptions kafkaOptions = new KafkaOptions();

    @Mixin
    HelpOption help;

    @Spec
    CommandSpec spec;

    private final Invocation invocation;

    ListCommand(Invocation invocation) {
        this.invocation = invocation;
    }

    @Override
    public Integer call() {
        if (limit < 1) {
            throw new ParameterException(spec.commandLine(), "--limit must be at least 1, got " + limit);
        }
        KafkaAccess kafka = KafkaAccess.from(kafkaOptions == null ? new KafkaOptions() : kafkaOptions,
                invocation.env(), invocation.err());
        List<RecentRollouts.Entry> rollouts;
        try (RolloutLookup lookup = new RolloutLookup(kafka)) {
            if (!lookup.exists(kafka.topics().rollouts())) {
                throw CliException.unavailable("the rollouts topic " + kafka.topics().rollouts() + " does not exist "
                        + "on " + kafka.bootstrapServers() + "; check --rollouts-topic and that the worker tracks "
                        + "rollouts");
            }
            rollouts = RecentRollouts.read(kafka, lookup, limit);
        }
        if (output.json()) {
            ObjectNode document = JsonOutput.document("list");
            ArrayNode items = document.putArray("rollouts");
            rollouts.forEach(entry -> JsonOutput.instant(JsonOutput.rollout(items.addObject(), entry.view()),
                    "updatedAt", entry.updatedAt()));
            JsonOutput.print(invocation.out(), document);
        } else if (rollouts.isEmpty()) {
            invocation.err().println("No rollouts on " + kafka.topics().rollouts() + ".");
        } else {
            table(invocation.out(), rollouts);
        }
        return ExitCode.OK.code();
    }

    private static void table(PrintStream out, List<RecentRollouts.Entry> rollouts) {
        int width = Math.min(64, Math.max("ROLLOUT".length(), rollouts.stream()
                .mapToInt(e -> Terminal.printable(e.view().rolloutId()).length()).max().orElse(0)));
        String format = "%-" + width + "s  %-12s  %11s  %8s  %8s  %7s  %-20s  %s%n";
        out.printf(Locale.ROOT, format, "ROLLOUT", "STATE", "ANSWERED", "CREATED", "ALREADY", "FAILED", "UPDATED",
                "DESCRIPTION");
        for (RecentRollouts.Entry entry : rollouts) {
            RolloutView view = entry.view();
            out.printf(Locale.ROOT, format, Terminal.printable(view.rolloutId()), state(view),
                    view.total() + "/" + (view.expectedCount() == null ? "?" : view.expectedCount()), view.created(),
                    view.alreadyExisted(), view.failed(), WHEN.format(entry.updatedAt()),
                    view.description() == null ? "" : Terminal.printable(view.description()));
        }
    }

    private static String state(RolloutView view) {
        return switch (JsonOutput.state(view)) {
            case "succeeded" -> "succeeded";
            case "failed" -> "failed";
            case "inProgress" -> "in progress";
            default -> "no manifest";
        };
    }
}
