package io.assignmentworker.cli;

import io.assignmentworker.request.AssignmentRequest;
import io.assignmentworker.request.AssignmentTarget;
import java.io.PrintStream;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * {@code submit --dry-run}: what each line would do, found with Graph reads only — the policy, its current
 * assignments, the group, the assignment filter. Nothing is written to Graph and nothing is published.
 */
final class DryRun {

    private final GraphAccess graph;
    private final PrintStream out;
    private final PrintStream err;
    private final PrintStream json;

    /** @param json where the {@code -o json} document goes, or null for text only */
    DryRun(GraphAccess graph, PrintStream out, PrintStream err, PrintStream json) {
        this.graph = graph;
        this.out = out;
        this.err = err;
        this.json = json;
    }

    /** 0 when every line would create or already exists, 1 when some line has a problem. */
    ExitCode run(CheckedFile checked) {
        Judged judged = judge(checked, "Dry run");
        Tally tally = new Tally();
        ObjectNode document = JsonOutput.document("dryRun");
        document.put("file", RolloutFile.shown(checked.file()));
        ArrayNode lines = document.putArray("lines");
        for (Judged.Line line : judged.lines()) {
            Verdict verdict = line.verdict();
            tally.add(verdict);
            verdict.addTo(lines.addObject().put("line", line.planned().line()));
            out.println(String.format(Locale.ROOT, "  line %-5d %-15s %s", line.planned().line(), verdict.label(),
                    verdict.detail()));
        }
        out.println(tally.summary(checked.valid().size(), judged.graphReads()));
        if (json != null) {
            document.put("requests", checked.valid().size()).put("wouldCreate", tally.create)
                    .put("alreadyExist", tally.exists).put("problems", tally.problems)
                    .put("wouldRemove", tally.remove).put("wouldUpdate", tally.update)
                    .put("graphReads", judged.graphReads());
            JsonOutput.print(json, document);
        }
        return tally.problems == 0 ? ExitCode.OK : ExitCode.FAILED;
    }

    /** At most this many groups are sized ({@code transitiveMembers/$count}, one read each). */
    static final int MAX_SIZED_GROUPS = 200;

    /**
     * What each line would do, read from Graph.
     *
     * @param lines      one per valid line, in file order; {@code tenant} null when no credentials serve it
     * @param graphReads the Graph calls it took
     * @param groupSizes transitive members of the groups the lines change, by {@code tenant|groupId} (lower case):
     *                   a number, or why it is not known; empty unless asked for
     */
    record Judged(List<Line> lines, long graphReads, Map<String, GraphReads.Lookup> groupSizes) {

        record Line(ValidLine planned, String tenant, Verdict verdict) {
        }
    }

    /** Reads Graph (only reads) for every valid line and judges each; {@code what} names the run on stderr. */
    Judged judge(CheckedFile checked, String what) {
        return judge(checked, what, false);
    }

    /** {@link #judge(CheckedFile, String)}, and with {@code sizeGroups} the size of each group a line changes. */
    Judged judge(CheckedFile checked, String what, boolean sizeGroups) {
        try (GraphAccess access = graph) {
            List<GraphChecks.Resolved> resolved = new ArrayList<>();
            Map<Integer, String> unresolved = new HashMap<>();
            for (ValidLine planned : checked.valid()) {
                Optional<String> tenant = access.tenantFor(planned.request().tenantId());
                tenant.ifPresentOrElse(t -> resolved.add(new GraphChecks.Resolved(planned, t)),
                        () -> unresolved.put(planned.line(), noCredentials(planned.request())));
            }
            err.println("Connecting to Graph at " + access.baseUrl() + " …");
            GraphReads reads = new GraphReads(access);
            GraphChecks checks = new GraphChecks(reads);
            err.println(what + " of " + RolloutFile.name(checked.file()) + ": reading Graph for "
                    + checked.valid().size() + " lines as " + access.signedInAs() + " (nothing is written, nothing is published) ...");
            checks.load(resolved);
            reads.forbidden().ifPresent(refused -> {
                throw CliException.unavailable(refused);
            });
            List<Judged.Line> lines = new ArrayList<>();
            Map<String, Integer> firstLine = new HashMap<>();
            for (ValidLine planned : checked.valid()) {
                String tenant = access.tenantFor(planned.request().tenantId()).orElse(null);
                Verdict verdict = tenant == null ? Verdict.problem(unresolved.get(planned.line()))
                        : verdict(planned, tenant, checks, firstLine);
                lines.add(new Judged.Line(planned, tenant, verdict));
            }
            Map<String, GraphReads.Lookup> sizes = new java.util.LinkedHashMap<>();
            if (sizeGroups) {
                for (Judged.Line line : lines) {
                    String group = line.planned().request().target().groupId();
                    boolean change = line.verdict().kind() == Kind.CREATE || line.verdict().kind() == Kind.REMOVE
                            || line.verdict().kind() == Kind.UPDATE;
                    String key = line.tenant() + "|" + (group == null ? "" : group.toLowerCase(Locale.ROOT));
                    if (change && group != null && !sizes.containsKey(key) && sizes.size() < MAX_SIZED_GROUPS) {
                        sizes.put(key, reads.count(line.tenant(), "/groups/" + group + "/transitiveMembers/$count"));
                    }
                }
            }
            return new Judged(lines, reads.calls(), sizes);
        }
    }

    private static Verdict verdict(ValidLine planned, String tenant, GraphChecks checks,
                                   Map<String, Integer> firstLine) {
        AssignmentRequest request = planned.request();
        AssignmentTarget target = request.target();
        String what = "policy " + request.policyId() + " → " + TargetNames.describe(target);
        List<String> problems = new ArrayList<>();
        List<String> unchecked = new ArrayList<>();
        GraphChecks.PolicyState policy = checks.policy(tenant, request.policyId());
        judge(policy.lookup(), "policy not found in tenant " + tenant, "policy", problems, unchecked);
        if (target.groupId() != null) {
            judge(checks.group(tenant, target.groupId()), "group not found", "group", problems, unchecked);
        }
        if (target.filterId() != null) {
            judge(checks.filter(tenant, target.filterId()), "assignment filter not found", "filter", problems,
                    unchecked);
        }
        if (!problems.isEmpty()) {
            return Verdict.problem(what + ": " + String.join("; ", problems));
        }
        String note = unchecked.isEmpty() ? "" : " (not checked: " + String.join("; ", unchecked) + ")";
        Integer earlier = firstLine.putIfAbsent(CheckedFile.sameSubject(request), planned.line());
        String existing = policy.assigned().get(target.subjectKey());
        Verdict verdict = switch (request.operation()) {
            case CREATE -> existing == null ? new Verdict("would create", what + note, Kind.CREATE, null)
                    : existing.equals(target.matchKey()) ? new Verdict("already exists", what + note, Kind.NOOP, null)
                    : Verdict.conflict(what + ": conflict: the policy already assigns this target with another "
                    + "intent or filter (the worker would answer CONFLICT)" + note);
            case REMOVE -> existing == null ? new Verdict("already absent", what + note, Kind.NOOP, null)
                    : existing.equals(target.matchKey()) ? new Verdict("would remove", what + note, Kind.REMOVE, null)
                    : Verdict.conflict(what + ": conflict: the policy assigns this target with another intent or "
                    + "filter than the line names (the worker would answer CONFLICT and remove nothing)" + note);
            case UPDATE -> existing == null ? Verdict.problem(what + ": the policy has no assignment for this target "
                    + "to update (the worker would answer SubjectNotAssigned)" + note)
                    : existing.equals(target.matchKey()) ? new Verdict("already so", what + note, Kind.NOOP, null)
                    : request.expected() != null && !existing.equals(request.expected().matchKey())
                    ? Verdict.conflict(what + ": conflict: the assignment is not as expected (changed since?; the "
                    + "worker would answer CONFLICT)" + note)
                    : new Verdict("would update", what + note, Kind.UPDATE, null);
        };
        if (earlier != null && (verdict.kind() == Kind.CREATE || verdict.kind() == Kind.REMOVE
                || verdict.kind() == Kind.UPDATE)) {
            return new Verdict("repeats line " + earlier, what + ": done by line " + earlier + ", then nothing "
                    + "to do" + note, Kind.NOOP, earlier);
        }
        return verdict;
    }

    private static void judge(GraphReads.Lookup lookup, String notFound, String what, List<String> problems,
                              List<String> unchecked) {
        switch (lookup.found()) {
            case NOT_FOUND -> problems.add(notFound);
            case UNCHECKED -> unchecked.add(what + ": " + lookup.reason());
            case FOUND -> { }
        }
    }

    private static String noCredentials(AssignmentRequest request) {
        return request.tenantId() == null
                ? "no tenantId, and no default tenant is configured (AZURE_TENANT_ID)"
                : "no credentials for tenant " + request.tenantId() + " (the worker would fail it UNKNOWN_TENANT)";
    }

    /** What a line would do. */
    enum Kind { CREATE, REMOVE, UPDATE, NOOP, CONFLICT, PROBLEM }

    /** @param repeats the earlier line this one repeats, or null */
    record Verdict(String label, String detail, Kind kind, Integer repeats) {

        static Verdict problem(String detail) {
            return new Verdict("PROBLEM", detail, Kind.PROBLEM, null);
        }

        static Verdict conflict(String detail) {
            return new Verdict("PROBLEM", detail, Kind.CONFLICT, null);
        }

        /**
         * {@code wouldCreate}, {@code wouldRemove}, {@code wouldUpdate}, {@code alreadyExists} (nothing to do),
         * {@code repeats} (with {@code repeatsLine}), {@code problem} (a conflict is one).
         */
        void addTo(ObjectNode line) {
            String name = switch (kind) {
                case CREATE -> "wouldCreate";
                case REMOVE -> "wouldRemove";
                case UPDATE -> "wouldUpdate";
                case NOOP -> repeats == null ? "alreadyExists" : "repeats";
                case CONFLICT, PROBLEM -> "problem";
            };
            line.put("verdict", name);
            if (repeats != null) {
                line.put("repeatsLine", repeats);
            }
            line.put("detail", detail);
        }
    }

    private static final class Tally {
        private int create;
        private int remove;
        private int update;
        private int exists;
        private int problems;

        void add(Verdict verdict) {
            switch (verdict.kind()) {
                case CREATE -> create++;
                case REMOVE -> remove++;
                case UPDATE -> update++;
                case NOOP -> exists++;
                case CONFLICT, PROBLEM -> problems++;
            }
        }

        String summary(int lines, long calls) {
            return "Dry run: " + SummaryTable.count(lines, "request") + ": " + create + " would create, "
                    + (remove + update == 0 ? "" : remove + " would remove, " + update + " would update, ")
                    + exists + (remove + update == 0 ? " already exist, " : " nothing to do, ") + problems
                    + " with problems (" + calls + " Graph reads; nothing written, nothing published)";
        }
    }
}
