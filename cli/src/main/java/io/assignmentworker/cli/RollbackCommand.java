package io.assignmentworker.cli;

import io.assignmentworker.rollout.RollbackPlan;
import io.assignmentworker.rollout.RolloutLimits;
import java.io.PrintStream;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Callable;
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
 * {@code rollback ROLLOUT_ID}: reads the ownership ledger and publishes, as a rollout of its own, the requests
 * that undo what that rollout changed ({@link RollbackPlan}); {@code --dry-run} shows them and publishes nothing.
 */
@Command(name = "rollback", sortOptions = false, synopsisHeading = "%nUsage:%n  ",
        customSynopsis = "iaw rollback ROLLOUT_ID [--dry-run] [-w [-t 30m]] [--rollback-id ID] [-o json] [options]",
        header = "Undo what a rollout changed, as a rollout of its own (or --dry-run it)",
        description = {"",
            "Reads the ownership ledger (every change the worker made, with its rollout and request): removes what "
                    + "the rollout created (never what was already there), creates again what it removed, and "
                    + "updates back what it updated. What someone changed since is left alone and reported as a "
                    + "conflict. Rolling back twice changes nothing the second time (UNCHANGED)."},
        parameterListHeading = "%n", optionListHeading = "%nOptions:%n",
        footerHeading = "%n", footer = {
            "Examples:",
            "  iaw rollback wave-1-20261128T222014.521Z --dry-run",
            "  iaw rollback wave-1-20261128T222014.521Z --wait",
            "  iaw rollback wave-2 --dry-run -o json | jq '.conflicts'"})
final class RollbackCommand implements Callable<Integer> {

    /** A rollback's id leaves room for {@code /<number>} in its requestIds (200 characters at most). */
    private static final int MAX_ID_LENGTH = 190;
    private static final DateTimeFormatter STAMP = DateTimeFormatter.ofPattern("yyyyMMdd'T'HHmmss.SSS'Z'")
            .withZone(ZoneOffset.UTC);

    @Spec
    CommandSpec spec;

    @Parameters(paramLabel = "ROLLOUT_ID", description = "the rollout to undo")
    String rolloutId;

    @Option(names = "--dry-run", order = 1, description = "show what the rollback would change; publish nothing")
    boolean dryRun;

    @Option(names = {"-w", "--wait"}, order = 2,
            description = "follow the rollback to its summary; exit 0 all done, 1 some failed, 3 timed out")
    boolean wait;

    @Mixin
    FollowOptions follow;

    @Option(names = "--rollback-id", paramLabel = "ID", order = 4,
            description = "the rollback's rolloutId (default: <ROLLOUT_ID>.rollback-<UTC timestamp>)")
    String rollbackId;

    @Mixin
    OutputOption output;

    @ArgGroup(validate = false, heading = "%nKafka:%n", order = 100)
    KafkaOptions kafka = new KafkaOptions();

    @Mixin
    HelpOption help;

    private final Invocation invocation;
    private PrintStream out;
    private PrintStream err;

    RollbackCommand(Invocation invocation) {
        this.invocation = invocation;
    }

    @Override
    public Integer call() {
        err = invocation.err();
        out = output.json() ? err : invocation.out();
        return run().code();
    }

    private ExitCode run() {
        if (dryRun && wait) {
            throw new ParameterException(spec.commandLine(),
                    "--dry-run publishes nothing, so there is nothing to --wait for");
        }
        String id = rollbackId == null || rollbackId.isBlank()
                ? RollbackPlan.rollbackPrefix(rolloutId) + STAMP.format(Instant.now()) : rollbackId;
        if (!RolloutLimits.isRolloutId(id) || id.length() > MAX_ID_LENGTH) {
            throw CliException.usage("the rollback's id '" + id + "' is not a valid rolloutId for a rollback (1-"
                    + MAX_ID_LENGTH + " printable characters, leaving room for /<number> in its requestIds); name "
                    + "it with --rollback-id");
        }
        if (rollbackId != null && !RollbackPlan.isRollbackOf(id, rolloutId)) {
            throw CliException.usage("--rollback-id must start with " + RollbackPlan.rollbackPrefix(rolloutId)
                    + ", so that a later rollback of " + rolloutId + " recognises what this one did");
        }
        KafkaAccess kafka = KafkaAccess.from(this.kafka == null ? new KafkaOptions() : this.kafka, invocation.env(),
                err);
        Set<String> topics = kafka.existingTopics();
        String ledger = LedgerTopic.require(kafka, topics);
        RollbackPlan plan = RollbackPlan.of(rolloutId, id, LedgerTopic.readAll(kafka, ledger));
        if (!plan.knowsTheRollout()) {
            err.println("error: the ledger " + ledger + " has no change by rollout " + Terminal.printable(rolloutId)
                    + " (" + SummaryTable.count(plan.entriesRead(), "entry") + " read): it changed nothing, or "
                    + "the id is wrong (iaw list shows recent rollouts)");
            return ExitCode.UNKNOWN_ROLLOUT;
        }
        describe(plan);
        ObjectNode document = document(plan);
        boolean clean = plan.conflicts().isEmpty() && plan.problems().isEmpty();
        if (dryRun || plan.changes().isEmpty()) {
            out.println(dryRun ? "Nothing was published (--dry-run)." : "Nothing to publish.");
            printJson(document);
            return clean ? ExitCode.OK : ExitCode.FAILED;
        }
        ExitCode published = publish(kafka, topics, plan, document);
        return published == ExitCode.OK && !clean ? ExitCode.FAILED : published;
    }

    private ExitCode publish(KafkaAccess kafka, Set<String> topics, RollbackPlan plan, ObjectNode document) {
        String description = RolloutLimits.description("rollback of " + rolloutId);
        Manifest manifest = topics.contains(kafka.topics().manifests())
                ? new Manifest(plan.rollbackId(), plan.changes().size(), Instant.now(), description) : null;
        RolloutWatch watch = wait ? new RolloutWatch(kafka, topics, plan.rollbackId()) : null;
        try (RolloutWatch following = watch) {
            RolloutPublisher.Published published = new RolloutPublisher(kafka, err).publish(manifest,
                    plan.requests().stream().map(u -> new ValidLine(u.number(), u.request(), u.json())).toList());
            document.put("published", published.acknowledged());
            out.println("Rollout " + plan.rollbackId() + ": published "
                    + SummaryTable.count(published.acknowledged(), "request") + " to " + kafka.topics().requests());
            if (!published.unpublishedLines().isEmpty()) {
                err.println(published.unpublishedLines().size() + " requests were not published: "
                        + published.firstError() + ". Run the rollback again: it finds what is still to undo.");
                printJson(document);
                return ExitCode.UNAVAILABLE;
            }
            if (following == null) {
                out.println("Follow it with: iaw status " + plan.rollbackId() + " --wait");
                printJson(document);
                return ExitCode.OK;
            }
            WaitForSummary.Waited waited = new WaitForSummary(following, kafka, out, err, output.json(),
                    invocation.colour().out())
                    .await(plan.rollbackId(), published.acknowledged(), description, follow.timeout,
                            follow.progress(err, invocation.env()));
            JsonOutput.rollout(document.putObject("rollout"), waited.view());
            document.put("timedOut", waited.exitCode() == ExitCode.TIMED_OUT);
            printJson(document);
            return waited.exitCode();
        }
    }

    private void describe(RollbackPlan plan) {
        Map<String, Map<String, Integer>> byPolicy = plan.byPolicy();
        out.println("Rollback of " + Terminal.printable(rolloutId) + ": "
                + SummaryTable.count(plan.changes().size(), "change") + " to undo over " + byPolicy.size()
                + (byPolicy.size() == 1 ? " policy" : " policies")
                + (plan.conflicts().isEmpty() ? "" : ", " + SummaryTable.count(plan.conflicts().size(), "conflict")
                + " left alone")
                + (plan.alreadyUndone().isEmpty() ? "" : ", " + plan.alreadyUndone().size() + " UNCHANGED: already "
                + "undone (by " + plan.alreadyUndone().stream().map(RollbackPlan.Done::by).distinct().limit(3)
                .map(Terminal::printable).reduce((a, b) -> a + ", " + b).orElse("") + "), nothing sent for them"));
        byPolicy.forEach((policy, counts) -> out.println("  " + policy + "  " + counts.entrySet().stream()
                .map(e -> e.getKey() + " " + e.getValue()).reduce((a, b) -> a + ", " + b).orElse("")));
        for (String problem : plan.problems()) {
            out.println("  PROBLEM " + Terminal.printable(problem) + ": not undone");
        }
        for (RollbackPlan.Conflict conflict : plan.conflicts()) {
            out.println("  CONFLICT " + conflict.tenantId() + " / " + conflict.policyId() + " " + conflict.subject()
                    + ": changed since by rollout " + Terminal.printable(conflict.since().path("rolloutId")
                    .asString("?")) + " (" + conflict.since().path("status").asString("?") + " at "
                    + conflict.since().path("at").asString("?") + "); left as it is");
        }
    }

    private ObjectNode document(RollbackPlan plan) {
        ObjectNode document = JsonOutput.document("rollback");
        document.put("rolloutId", plan.rolloutId());
        document.put("rollbackId", plan.rollbackId());
        document.put("dryRun", dryRun);
        ArrayNode changes = document.putArray("changes");
        for (RollbackPlan.Change change : plan.changes()) {
            ObjectNode node = changes.addObject();
            node.put("tenantId", change.tenantId());
            node.put("policyId", change.policyId());
            node.put("subject", change.subject());
            node.put("undo", change.undo());
            node.put("requestId", change.request().request().requestId());
            node.set("entry", change.entry());
        }
        ArrayNode conflicts = document.putArray("conflicts");
        for (RollbackPlan.Conflict conflict : plan.conflicts()) {
            ObjectNode node = conflicts.addObject();
            node.put("tenantId", conflict.tenantId());
            node.put("policyId", conflict.policyId());
            node.put("subject", conflict.subject());
            node.set("entry", conflict.ours());
            node.set("changedSince", conflict.since());
        }
        ArrayNode undone = document.putArray("alreadyUndone");
        for (RollbackPlan.Done done : plan.alreadyUndone()) {
            undone.addObject().put("tenantId", done.tenantId()).put("policyId", done.policyId())
                    .put("subject", done.subject()).put("by", done.by());
        }
        ArrayNode problems = document.putArray("problems");
        plan.problems().forEach(problems::add);
        document.put("published", 0);
        document.putNull("rollout");
        return document;
    }

    private void printJson(ObjectNode document) {
        if (output.json()) {
            JsonOutput.print(invocation.out(), document);
        }
    }
}
