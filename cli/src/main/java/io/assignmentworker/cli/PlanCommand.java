package io.assignmentworker.cli;

import io.assignmentworker.request.AssignmentRequest;
import io.assignmentworker.request.TargetType;
import java.io.PrintStream;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * {@code plan FILE}: the dry run summed up per tenant and policy — adds, removes, updates, no-ops, conflicts —
 * with the blast radius (All users, All devices, how many groups) and how long the tenant's write budget makes it
 * take. Reads Graph only; publishes nothing.
 */
@Command(name = "plan", sortOptions = false, synopsisHeading = "%nUsage:%n  ",
        customSynopsis = "iaw plan FILE [--write-budget 100] [--budget-window 20s] [-o json]",
        header = "What a file would change, per tenant and policy, read from Graph (nothing is written)",
        description = {"",
            "Checks every line as submit does, reads each policy's assignments (and groups and filters) from Graph, "
                    + "and shows per tenant and policy: adds, removes, updates, no-ops, conflicts and problems; "
                    + "the blast radius (All users, All devices, groups); and the ETA from the tenant's write "
                    + "budget. Signs in as submit --dry-run does."},
        parameterListHeading = "%n", optionListHeading = "%nOptions:%n",
        footerHeading = "%n", footer = {
            "Examples:",
            "  iaw plan wave-3.csv",
            "  iaw plan wave-3.csv -o json | jq '.totals'"})
final class PlanCommand implements Callable<Integer> {

    /** Requests one {@code /assign} write carries at most (the worker's {@code max-batch-size} default). */
    private static final int MAX_BATCH = 500;

    @Parameters(paramLabel = "FILE", description = "a .csv or .jsonl file of requests; - reads stdin")
    String file;

    @Option(names = "--write-budget", paramLabel = "N", order = 1,
            description = "the tenant's writes per window (default 100, Intune's)")
    int writeBudget = 100;

    @Option(names = "--budget-window", paramLabel = "DURATION", order = 2, converter = Durations.Converter.class,
            description = "the budget's window (default 20s)")
    Duration window = Duration.ofSeconds(20);

    @Mixin
    OutputOption output;

    @Mixin
    HelpOption help;

    private final Invocation invocation;

    PlanCommand(Invocation invocation) {
        this.invocation = invocation;
    }

    /** One policy's share of the plan. */
    private static final class PolicyPlan {
        final String tenantId;
        final String policyId;
        int adds;
        int removes;
        int updates;
        int noops;
        int conflicts;
        int problems;
        int allUsers;
        int allDevices;
        final Set<String> groups = new HashSet<>();

        PolicyPlan(String tenantId, String policyId) {
            this.tenantId = tenantId;
            this.policyId = policyId;
        }

        int changes() {
            return adds + removes + updates;
        }

        int writes() {
            return (changes() + MAX_BATCH - 1) / MAX_BATCH;
        }
    }

    @Override
    public Integer call() {
        PrintStream err = invocation.err();
        PrintStream out = output.json() ? err : invocation.out();
        if (writeBudget < 1) {
            throw CliException.usage("--write-budget must be at least 1, got " + writeBudget);
        }
        CheckedFile checked = CheckedFile.check(Path.of(file), "plan", invocation.in());
        if (checked.hasInvalid()) {
            err.println(RolloutFile.shown(checked.file()) + ": " + checked.invalid().size() + " lines are invalid:");
            checked.invalid().forEach(line -> err.println("  " + line));
            return ExitCode.USAGE.code();
        }
        GraphAccess graph = GraphAccess.fromEnvironment(invocation.env(),
                new KafkaOptions().connectTimeout(invocation.env()));
        DryRun.Judged judged = new DryRun(graph, out, err, null).judge(checked, "Plan", true);
        Map<String, PolicyPlan> policies = new LinkedHashMap<>();
        for (DryRun.Judged.Line line : judged.lines()) {
            AssignmentRequest request = line.planned().request();
            PolicyPlan plan = policies.computeIfAbsent(line.tenant() + "/" + request.policyId().toLowerCase(Locale.ROOT),
                    k -> new PolicyPlan(line.tenant(), request.policyId()));
            count(plan, line.verdict(), request, line.tenant());
        }
        ObjectNode document = document(checked, judged, policies);
        print(out, checked, document);
        if (output.json()) {
            JsonOutput.print(invocation.out(), document);
        }
        ObjectNode totals = (ObjectNode) document.get("totals");
        return totals.path("conflicts").asInt() + totals.path("problems").asInt() == 0 ? ExitCode.OK.code()
                : ExitCode.FAILED.code();
    }

    private static void count(PolicyPlan plan, DryRun.Verdict verdict, AssignmentRequest request, String tenant) {
        boolean change = switch (verdict.kind()) {
            case CREATE -> { plan.adds++; yield true; }
            case REMOVE -> { plan.removes++; yield true; }
            case UPDATE -> { plan.updates++; yield true; }
            case NOOP -> { plan.noops++; yield false; }
            case CONFLICT -> { plan.conflicts++; yield false; }
            case PROBLEM -> { plan.problems++; yield false; }
        };
        if (!change) {
            return;
        }
        TargetType type = request.target().type();
        if (type == TargetType.ALL_LICENSED_USERS) {
            plan.allUsers++;
        } else if (type == TargetType.ALL_DEVICES) {
            plan.allDevices++;
        } else if (request.target().groupId() != null) {
            plan.groups.add(tenant + "|" + request.target().groupId().toLowerCase(Locale.ROOT));
        }
    }

    private ObjectNode document(CheckedFile checked, DryRun.Judged judged, Map<String, PolicyPlan> policies) {
        ObjectNode document = JsonOutput.document("plan");
        document.put("file", RolloutFile.shown(checked.file()));
        document.put("requests", checked.valid().size());
        ArrayNode list = document.putArray("policies");
        Map<String, Integer> writesByTenant = new LinkedHashMap<>();
        int[] totals = new int[6];
        for (PolicyPlan plan : policies.values()) {
            ObjectNode node = list.addObject();
            node.put("tenantId", plan.tenantId);
            node.put("policyId", plan.policyId);
            int[] counts = {plan.adds, plan.removes, plan.updates, plan.noops, plan.conflicts, plan.problems};
            String[] names = {"adds", "removes", "updates", "noops", "conflicts", "problems"};
            for (int i = 0; i < counts.length; i++) {
                node.put(names[i], counts[i]);
                totals[i] += counts[i];
            }
            node.put("allUsers", plan.allUsers);
            node.put("allDevices", plan.allDevices);
            node.put("groups", plan.groups.size());
            long members = 0;
            int unsized = 0;
            String why = null;
            for (String group : plan.groups) {
                GraphReads.Lookup size = judged.groupSizes().get(group);
                if (size != null && size.found() == GraphReads.Found.FOUND) {
                    members += size.body().asLong();
                } else {
                    unsized++;
                    why = why != null ? why : size == null ? "not read (over " + DryRun.MAX_SIZED_GROUPS
                            + " groups)" : size.found() == GraphReads.Found.NOT_FOUND ? "group not found"
                            : size.reason();
                }
            }
            node.put("groupMembers", members);
            node.put("groupsUnsized", unsized);
            if (why != null) {
                node.put("groupsUnsizedWhy", why);
            }
            node.put("writes", plan.writes());
            writesByTenant.merge(String.valueOf(plan.tenantId), plan.writes(), Integer::sum);
        }
        ArrayNode tenants = document.putArray("tenants");
        writesByTenant.forEach((tenant, writes) -> tenants.addObject().put("tenantId", "null".equals(tenant) ? null
                : tenant).put("writes", writes).put("etaSeconds", etaSeconds(writes)));
        ObjectNode total = document.putObject("totals");
        String[] names = {"adds", "removes", "updates", "noops", "conflicts", "problems"};
        for (int i = 0; i < names.length; i++) {
            total.put(names[i], totals[i]);
        }
        document.put("writeBudget", writeBudget);
        document.put("budgetWindowSeconds", window.toMillis() / 1000.0);
        document.put("graphReads", judged.graphReads());
        return document;
    }

    /** Full windows the writes wait for, plus a second for the last one's calls. */
    private double etaSeconds(int writes) {
        if (writes == 0) {
            return 0;
        }
        long windows = (writes + writeBudget - 1) / writeBudget - 1;
        return windows * window.toMillis() / 1000.0 + 1;
    }

    private static void print(PrintStream out, CheckedFile checked, ObjectNode document) {
        out.println("Plan of " + RolloutFile.shown(checked.file()) + ": "
                + SummaryTable.count(document.path("requests").asLong(), "request"));
        out.println(String.format(Locale.ROOT, "  %-38s %-38s %5s %5s %5s %5s %5s %5s  %s", "TENANT", "POLICY",
                "ADD", "REM", "UPD", "NOOP", "CONFL", "PROBL", "BLAST RADIUS"));
        for (var node : document.path("policies")) {
            StringBuilder blast = new StringBuilder();
            if (node.path("allUsers").asInt() > 0) {
                blast.append("ALL USERS ");
            }
            if (node.path("allDevices").asInt() > 0) {
                blast.append("ALL DEVICES ");
            }
            if (node.path("groups").asInt() > 0) {
                int unsized = node.path("groupsUnsized").asInt();
                blast.append(SummaryTable.count(node.path("groups").asInt(), "group")).append(" (")
                        .append(String.format(Locale.ROOT, "%,d", node.path("groupMembers").asLong()))
                        .append(" members").append(unsized == 0 ? "" : "; " + unsized + " not sized: "
                                + node.path("groupsUnsizedWhy").asString("")).append(")");
            }
            out.println(String.format(Locale.ROOT, "  %-38s %-38s %5d %5d %5d %5d %5d %5d  %s",
                    node.path("tenantId").asString("(no credentials)"), node.path("policyId").asString(),
                    node.path("adds").asInt(), node.path("removes").asInt(), node.path("updates").asInt(),
                    node.path("noops").asInt(), node.path("conflicts").asInt(), node.path("problems").asInt(),
                    blast.toString().trim()));
        }
        var totals = document.path("totals");
        out.println(String.format(Locale.ROOT, "Totals: %d adds, %d removes, %d updates, %d no-ops, %d conflicts, "
                        + "%d problems (%d Graph reads; nothing written, nothing published)", totals.path("adds").asInt(),
                totals.path("removes").asInt(), totals.path("updates").asInt(), totals.path("noops").asInt(),
                totals.path("conflicts").asInt(), totals.path("problems").asInt(), document.path("graphReads").asLong()));
        for (var tenant : document.path("tenants")) {
            out.println(String.format(Locale.ROOT, "ETA %s: %d /assign writes at %d per %ss: about %.0f s",
                    tenant.path("tenantId").asString("(no credentials)"), tenant.path("writes").asInt(),
                    document.path("writeBudget").asInt(), fmt(document.path("budgetWindowSeconds").asDouble()),
                    tenant.path("etaSeconds").asDouble()));
        }
    }

    private static String fmt(double seconds) {
        return seconds == Math.rint(seconds) ? String.valueOf((long) seconds) : String.valueOf(seconds);
    }
}
