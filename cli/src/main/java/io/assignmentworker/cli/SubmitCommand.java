package io.assignmentworker.cli;

import io.assignmentworker.rollout.RolloutLimits;
import java.io.PrintStream;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * {@code submit FILE}: checks every line with the worker's validation, then publishes the manifest and the
 * requests, and with {@code --wait} follows the rollout to its summary. {@code --dry-run} checks the lines
 * against Graph instead of publishing them.
 */
final class SubmitCommand {

    static final Set<String> VALUED = union(KafkaAccess.OPTIONS, Set.of("rollout-id", "timeout", "progress-interval"));
    static final Set<String> SWITCHES = Set.of("wait", "skip-invalid", "dry-run");

    private static final DateTimeFormatter STAMP = DateTimeFormatter.ofPattern("yyyyMMdd'T'HHmmss.SSS'Z'")
            .withZone(ZoneOffset.UTC);
    private static final int MAX_ID_LENGTH = 200;

    private final Args args;
    private final Map<String, String> env;
    private final PrintStream out;
    private final PrintStream err;

    SubmitCommand(Args args, Map<String, String> env, PrintStream out, PrintStream err) {
        this.args = args;
        this.env = env;
        this.out = out;
        this.err = err;
    }

    ExitCode run() {
        Path file = Path.of(args.atMostPositionals(1).positional(0, "FILE (a .csv or .jsonl file of requests)"));
        if (args.flag("dry-run") && args.flag("wait")) {
            throw CliException.usage("--dry-run publishes nothing, so there is nothing to --wait for");
        }
        Duration timeout = args.duration("timeout", Duration.ofMinutes(30));
        Duration interval = args.duration("progress-interval", Duration.ofSeconds(10));
        String rolloutId = args.option("rollout-id").orElseGet(() -> defaultRolloutId(file));
        CheckedFile checked = CheckedFile.check(file, requireRolloutId(rolloutId));
        if (!reportInvalid(checked)) {
            return ExitCode.USAGE;
        }
        checked.repeats().forEach((line, earlier) -> err.println("note: line " + line + " repeats line " + earlier
                + " (same tenant, policy and target); the worker will answer it alreadyExisted"));
        if (args.flag("dry-run")) {
            return new DryRun(GraphAccess.fromEnvironment(env), out, err).run(checked);
        }
        KafkaAccess kafka = KafkaAccess.from(args, env);
        return publish(kafka, checked, rolloutId, timeout, interval);
    }

    private ExitCode publish(KafkaAccess kafka, CheckedFile checked, String rolloutId, Duration timeout,
                             Duration interval) {
        Set<String> topics = kafka.existingTopics();
        requireTopic(kafka, topics, kafka.topics().requests(), "--topic");
        Manifest manifest = new Manifest(rolloutId, checked.valid().size(), Instant.now(), manifestDescription(checked));
        if (!topics.contains(kafka.topics().manifests())) {
            err.println("warning: " + kafka.topics().manifests() + " does not exist (a worker without rollout "
                    + "tracking?): publishing without a manifest");
            manifest = null;
        }
        RolloutWatch watch = null;
        if (args.flag("wait")) {
            requireTopic(kafka, topics, kafka.topics().results(), "--results-topic");
            watch = new RolloutWatch(kafka, topics, rolloutId);
        }
        try (RolloutWatch following = watch) {
            RolloutPublisher.Published published = new RolloutPublisher(kafka, err).publish(manifest, checked.valid());
            out.println("Rollout " + rolloutId + ": published "
                    + SummaryTable.count(published.acknowledged(), "request") + " from " + checked.file().getFileName()
                    + " to " + kafka.topics().requests());
            if (!published.unpublishedLines().isEmpty()) {
                return reportUnpublished(published, checked);
            }
            if (following == null) {
                out.println("Follow it with: iaw status " + rolloutId);
                return ExitCode.OK;
            }
            return new WaitForSummary(following, kafka, out, err).await(rolloutId, published.acknowledged(),
                    manifestDescription(checked), timeout, progress(interval));
        }
    }

    /** Prints the invalid lines; false when nothing may be published. */
    private boolean reportInvalid(CheckedFile checked) {
        if (!checked.hasInvalid()) {
            return true;
        }
        int lines = checked.valid().size() + checked.invalid().size();
        boolean skip = args.flag("skip-invalid") && !checked.valid().isEmpty();
        err.println(checked.file() + ": " + checked.invalid().size() + " of " + lines + " lines are invalid"
                + (skip ? "; skipping them:" : "; nothing was published:"));
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

    private Progress progress(Duration interval) {
        return new Progress(err, Terminal.stderrIsTerminal(env), interval);
    }

    private static String manifestDescription(CheckedFile checked) {
        return RolloutLimits.description(checked.file().getFileName().toString());
    }

    private static void requireTopic(KafkaAccess kafka, Set<String> topics, String topic, String option) {
        if (!topics.contains(topic)) {
            throw CliException.unavailable("topic " + topic + " does not exist on " + kafka.bootstrapServers()
                    + "; start the worker (it creates its topics) or check " + option);
        }
    }

    /** {@code <file stem>-<UTC timestamp>}, e.g. {@code users-20261128T210000.123Z}. */
    static String defaultRolloutId(Path file) {
        String name = file.getFileName().toString();
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

    private static Set<String> union(Set<String> a, Set<String> b) {
        Set<String> all = new HashSet<>(a);
        all.addAll(b);
        return Set.copyOf(all);
    }
}
