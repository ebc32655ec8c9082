package io.assignmentworker.cli;

import io.assignmentworker.rollout.RolloutLimits;
import java.io.PrintStream;
import java.nio.file.Path;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.stream.Collectors;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * {@code submit FILE}: checks every line with the worker's validation, then publishes the manifest and the
 * requests, and with {@code --wait} follows the rollout to its summary. {@code --dry-run} checks the lines
 * against Graph instead of publishing them.
 */
@Command(name = "submit", sortOptions = false, synopsisHeading = "%nUsage:%n  ",
        customSynopsis = "iaw submit FILE [-w [-t 30m]] [--rollout-id ID] [--skip-invalid] [--dry-run] [-o json] "
                + "[options]",
        header = "Publish a file of assignment requests as a rollout (or --dry-run it against Graph)",
        description = {"",
            "Checks every line with the worker's own validation; if any is invalid, publishes nothing (exit 2). "
                    + "Then publishes a manifest and one request per line (requestId <rolloutId>/<line number>). "
                    + "Submitting the same file again is safe: it is a new rollout, and the worker never creates an "
                    + "assignment twice (those results say alreadyExisted: true)."},
        parameterListHeading = "%n", optionListHeading = "%nOptions:%n",
        footerHeading = "%n", footer = {
            "--dry-run signs in as the worker does (AZURE_TENANT_ID, AZURE_CLIENT_ID, AZURE_CLIENT_SECRET …; that "
                    + "app has ReadWrite.All), or, with IAW_DRY_RUN_CLIENT_ID + IAW_DRY_RUN_CLIENT_SECRET (or "
                    + "…_CLIENT_CERTIFICATE_PATH, …_FEDERATED_TOKEN_FILE), as a read-only app. It needs "
                    + "DeviceManagementConfiguration.Read.All; groups are checked only with GroupMember.Read.All.",
            "",
            "Examples:",
            "  iaw submit wave-1.csv --wait",
            "  iaw submit wave-1.csv --dry-run -o json | jq '.lines[] | select(.verdict == \"problem\")'",
            "  generate-requests | iaw submit - --rollout-id wave-2 -w -t 2h"})
final class SubmitCommand implements Callable<Integer> {

    private static final DateTimeFormatter STAMP = DateTimeFormatter.ofPattern("yyyyMMdd'T'HHmmss.SSS'Z'")
            .withZone(ZoneOffset.UTC);
    private static final int MAX_ID_LENGTH = 200;

    @Spec
    CommandSpec spec;

    @Parameters(paramLabel = "FILE", description = "a .csv or .jsonl file of requests; - reads stdin")
    String file;

    @Option(names = {"-w", "--wait"}, order = 1,
            description = "follow the rollout to its summary; exit 0 all created, 1 some failed, 3 timed out, "
                    + "130 interrupted (the rollout goes on)")
    boolean wait;

    @Mixin
    FollowOptions follow;

    @Option(names = "--rollout-id", paramLabel = "ID", order = 4,
            description = "default: <file stem>-<UTC timestamp> (stdin-<UTC timestamp> for -)")
    String rolloutId;

    @Option(names = "--skip-invalid", order = 5, description = "publish the valid lines, list the invalid ones")
    boolean skipInvalid;

    @Option(names = "--dry-run", order = 6,
            description = "read Graph instead of publishing: does each policy, group and assignment filter exist, "
                    + "does the assignment exist already; writes nothing (see below)")
    boolean dryRun;

    @Option(names = "--confirm-all-targets", order = 7,
            description = "publish lines that change an All users or All devices assignment (refused without it)")
    boolean confirmAllTargets;

    @Mixin
    OutputOption output;

    @ArgGroup(validate = false, heading = "%nKafka:%n", order = 100)
    KafkaOptions kafka = new KafkaOptions();

    @Mixin
    HelpOption help;

    private final Invocation invocation;
    private PrintStream out;
    private PrintStream err;

    SubmitCommand(Invocation invocation) {
        this.invocation = invocation;
    }

    @Override
    public Integer call() {
        err = invocation.err();
        // In JSON mode stdout carries the document alone; what people read goes to stderr.
        out = output.json() ? err : invocation.out();
        return run().code();
    }

    private ExitCode run() {
        Path file = Path.of(this.file);
        if (dryRun && wait) {
            throw new ParameterException(spec.commandLine(),
                    "--dry-run publishes nothing, so there is nothing to --wait for");
        }
        String rolloutId = this.rolloutId == null || this.rolloutId.isBlank() ? defaultRolloutId(file)
                : this.rolloutId;
        CheckedFile checked = CheckedFile.check(file, requireRolloutId(rolloutId), invocation.in());
        if (!reportInvalid(checked)) {
            return ExitCode.USAGE;
        }
        checked.repeats().forEach((line, earlier) -> err.println("note: line " + line + " repeats line " + earlier
                + " (same tenant, policy, target and operation); the worker will answer it as already done"));
        List<String> broad = BroadTargets.lines(checked);
        if (!broad.isEmpty() && !dryRun && !confirmAllTargets) {
            err.println("error: " + SummaryTable.count(broad.size(), "line") + " change an assignment to All users "
                    + "or All devices, which reaches every user or device of the tenant: " + String.join("; ",
                    broad.subList(0, Math.min(5, broad.size()))) + (broad.size() > 5 ? "; …" : ""));
            err.println("Nothing was published. Check them with --dry-run, then submit again with "
                    + "--confirm-all-targets.");
            return ExitCode.USAGE;
        }
        if (dryRun) {
            GraphAccess graph = GraphAccess.fromEnvironment(invocation.env(),
                    kafka().connectTimeout(invocation.env()));
            return new DryRun(graph, out, err, output.json() ? invocation.out() : null).run(checked);
        }
        KafkaAccess kafka = KafkaAccess.from(kafka(), invocation.env(), err);
        return publish(kafka, checked, rolloutId);
    }

    private ExitCode publish(KafkaAccess kafka, CheckedFile checked, String rolloutId) {
        Set<String> topics = kafka.existingTopics();
        requireTopic(kafka, topics, kafka.topics().requests(), "--topic");
        Manifest manifest = new Manifest(rolloutId, checked.valid().size(), Instant.now(), manifestDescription(checked));
        if (!topics.contains(kafka.topics().manifests())) {
            err.println("warning: " + kafka.topics().manifests() + " does not exist (a worker without rollout "
                    + "tracking?): publishing without a manifest");
            manifest = null;
        }
        RolloutWatch watch = null;
        if (wait) {
            requireTopic(kafka, topics, kafka.topics().results(), "--results-topic");
            watch = new RolloutWatch(kafka, topics, rolloutId);
        }
        try (RolloutWatch following = watch) {
            RolloutPublisher.Published published = new RolloutPublisher(kafka, err).publish(manifest, checked.valid());
            out.println("Rollout " + rolloutId + ": published "
                    + SummaryTable.count(published.acknowledged(), "request") + " from "
                    + RolloutFile.name(checked.file()) + " to " + kafka.topics().requests());
            ObjectNode document = document(kafka, checked, rolloutId, published);
            if (!published.unpublishedLines().isEmpty()) {
                printJson(document);
                return reportUnpublished(published, checked);
            }
            if (following == null) {
                out.println("Follow it with: iaw status " + rolloutId + " --wait");
                printJson(document);
                return ExitCode.OK;
            }
            WaitForSummary.Waited waited = new WaitForSummary(following, kafka, out, err, output.json(),
                    invocation.colour().out())
                    .await(rolloutId, published.acknowledged(), manifestDescription(checked), follow.timeout,
                            follow.progress(err, invocation.env()));
            JsonOutput.rollout(document.putObject("rollout"), waited.view());
            document.put("timedOut", waited.exitCode() == ExitCode.TIMED_OUT);
            printJson(document);
            return waited.exitCode();
        }
    }

    /** {@code -o json}: what was published, and with {@code --wait} the rollout's summary. */
    private static ObjectNode document(KafkaAccess kafka, CheckedFile checked, String rolloutId,
                                       RolloutPublisher.Published published) {
        ObjectNode document = JsonOutput.document("submit");
        document.put("rolloutId", rolloutId);
        document.put("file", RolloutFile.shown(checked.file()));
        document.put("requestsTopic", kafka.topics().requests());
        document.put("published", published.acknowledged());
        ArrayNode invalid = document.putArray("invalidLines");
        checked.invalid().forEach(invalid::add);
        ArrayNode unpublished = document.putArray("unpublishedLines");
        published.unpublishedLines().forEach(unpublished::add);
        document.putNull("rollout");
        return document;
    }

    private void printJson(ObjectNode document) {
        if (output.json()) {
            JsonOutput.print(invocation.out(), document);
        }
    }

    /** Prints the invalid lines; false when nothing may be published. */
    private boolean reportInvalid(CheckedFile checked) {
        if (!checked.hasInvalid()) {
            return true;
        }
        int lines = checked.valid().size() + checked.invalid().size();
        boolean skip = skipInvalid && !checked.valid().isEmpty();
        err.println(RolloutFile.shown(checked.file()) + ": " + checked.invalid().size() + " of " + lines
                + " lines are invalid" + (skip ? "; skipping them:" : "; nothing was published:"));
        checked.invalid().forEach(line -> err.println("  " + line));
        if (!skip) {
            err.println(checked.valid().isEmpty() ? "No valid line to publish."
                    : "Fix them, or use --skip-invalid to publish the other "
                    + SummaryTable.count(checked.valid().size(), "line") + ".");
        }
        return skip;
    }

    private ExitCode reportUnpublished(RolloutPublisher.Published published, CheckedFile checked) {
        err.println(published.unpublishedLines().size() + " of " + SummaryTable.count(checked.valid().size(), "request")
                + " were not published (lines " + published.unpublishedLines().stream().limit(20).map(String::valueOf)
                .collect(Collectors.joining(", ")) + (published.unpublishedLines().size() > 20 ? ", …" : "")
                + "): " + published.firstError());
        err.println("Submit the file again: that is a new rollout, and the worker never creates an assignment twice.");
        return ExitCode.UNAVAILABLE;
    }

    private static String manifestDescription(CheckedFile checked) {
        return RolloutLimits.description(RolloutFile.name(checked.file()));
    }

    private static void requireTopic(KafkaAccess kafka, Set<String> topics, String topic, String option) {
        if (!topics.contains(topic)) {
            throw CliException.unavailable("topic " + topic + " does not exist on " + kafka.bootstrapServers()
                    + "; start the worker (it creates its topics) or check " + option);
        }
    }

    /** {@code <file stem>-<UTC timestamp>}, e.g. {@code users-20261128T210000.123Z}. */
    static String defaultRolloutId(Path file) {
        String name = RolloutFile.name(file);
        int dot = name.lastIndexOf('.');
        String stem = (dot > 0 ? name.substring(0, dot) : name).replaceAll("[^A-Za-z0-9._-]", "-");
        return (stem.length() > 100 ? stem.substring(0, 100) : stem) + "-" + STAMP.format(Instant.now());
    }

    private static String requireRolloutId(String rolloutId) {
        // room for "/<line number>" within the requestId's 200 characters
        if (rolloutId.length() > MAX_ID_LENGTH - 8 || rolloutId.chars().anyMatch(Character::isISOControl)) {
            throw CliException.usage("--rollout-id must be 1 to " + (MAX_ID_LENGTH - 8)
                    + " printable characters, got '" + rolloutId + "'");
        }
        return rolloutId;
    }

    private KafkaOptions kafka() {
        return kafka == null ? new KafkaOptions() : kafka;
    }
}
