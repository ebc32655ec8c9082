package io.assignmentworker.cli;

import java.io.PrintStream;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * {@code ledger}: which rollout last created, changed or removed each assignment, from the ownership ledger —
 * filtered by tenant, policy, group or rollout.
 */
@Command(name = "ledger", sortOptions = false, synopsisHeading = "%nUsage:%n  ",
        customSynopsis = "iaw ledger [--policy ID] [--group ID] [--rollout ID] [--tenant ID] [-n 50] [-o json]",
        header = "Which rollout last created, changed or removed each assignment (the ownership ledger)",
        description = {"",
            "Reads the ownership ledger, where the worker records every change it makes with the result that "
                    + "reports it, and lists the latest change of each assignment that matches, newest first."},
        optionListHeading = "%nOptions:%n", footerHeading = "%n", footer = {
            "Examples:",
            "  iaw ledger --policy 5b5f771d-99f6-3962-a558-ecb74ec23f75",
            "  iaw ledger --rollout wave-1-20261128T222014.521Z -o json | jq '.entries | length'"})
final class LedgerCommand implements Callable<Integer> {

    @Option(names = "--tenant", paramLabel = "ID", order = 1, description = "only this tenant")
    String tenant;

    @Option(names = "--policy", paramLabel = "ID", order = 2, description = "only this policy")
    String policy;

    @Option(names = "--group", paramLabel = "ID", order = 3, description = "only this group (included or excluded)")
    String group;

    @Option(names = "--rollout", paramLabel = "ID", order = 4,
            description = "only what this rollout changed last (see also: iaw rollback ID --dry-run)")
    String rollout;

    @Option(names = {"-n", "--limit"}, paramLabel = "N", order = 5, description = "at most N entries (default 50)")
    int limit = 50;

    @Mixin
    OutputOption output;

    @ArgGroup(validate = false, heading = "%nKafka:%n", order = 100)
    KafkaOptions kafka = new KafkaOptions();

    @Mixin
    HelpOption help;

    private final Invocation invocation;

    LedgerCommand(Invocation invocation) {
        this.invocation = invocation;
    }

    @Override
    public Integer call() {
        PrintStream err = invocation.err();
        PrintStream out = output.json() ? err : invocation.out();
        if (limit < 1) {
            throw CliException.usage("--limit must be at least 1, got " + limit);
        }
        KafkaAccess access = KafkaAccess.from(kafka == null ? new KafkaOptions() : kafka, invocation.env(), err);
        String ledger = LedgerTopic.require(access, access.existingTopics());
        Map<String, JsonNode> latest = new LinkedHashMap<>();
        LedgerTopic.readAll(access, ledger).forEach(entry -> latest.put(entry.getKey(), entry.getValue()));
        var matching = latest.values().stream().filter(JsonNode::isObject).filter(this::matches)
                .sorted((a, b) -> b.path("at").asString("").compareTo(a.path("at").asString(""))).toList();
        ObjectNode document = JsonOutput.document("ledger");
        document.put("ledgerTopic", ledger);
        document.put("matching", matching.size());
        ArrayNode entries = document.putArray("entries");
        matching.stream().limit(limit).forEach(entries::add);
        out.println(String.format(Locale.ROOT, "%-24s %-9s %-36s %-44s %s", "AT", "STATUS", "POLICY", "SUBJECT",
                "ROLLOUT (REQUEST)"));
        for (JsonNode entry : entries) {
            out.println(String.format(Locale.ROOT, "%-24s %-9s %-36s %-44s %s", millis(entry.path("at").asString("")),
                    entry.path("status").asString(""), entry.path("policyId").asString(""),
                    Terminal.printable(entry.path("subject").asString("")),
                    Terminal.printable(entry.path("rolloutId").asString("-")) + " ("
                            + Terminal.printable(entry.path("requestId").asString("")) + ")"));
        }
        out.println(SummaryTable.count(matching.size(), "assignment") + " matching in " + ledger
                + (matching.size() > limit ? "; showing the newest " + limit + " (--limit)" : ""));
        if (output.json()) {
            JsonOutput.print(invocation.out(), document);
        }
        return ExitCode.OK.code();
    }

    /** {@code at} to the millisecond, so the columns line up. */
    private static String millis(String at) {
        try {
            return java.time.Instant.parse(at).truncatedTo(java.time.temporal.ChronoUnit.MILLIS).toString();
        } catch (RuntimeException unparsed) {
            return at;
        }
    }

    private boolean matches(JsonNode entry) {
        return same(tenant, entry.path("tenantId").asString(null)) && same(policy, entry.path("policyId").asString(null))
                && (group == null || entry.path("subject").asString("").equalsIgnoreCase("group|" + group))
                && (rollout == null || rollout.equals(entry.path("rolloutId").asString(null)));
    }

    private static boolean same(String wanted, String actual) {
        return wanted == null || wanted.equalsIgnoreCase(actual);
    }
}
