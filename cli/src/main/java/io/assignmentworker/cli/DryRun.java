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
            err.println("Dry run of " + RolloutFile.name(checked.file()) + ": reading Graph for "
                    + checked.valid().size() + " lines as " + access.signedInAs() + " (nothing is written, nothing is published) ...");
            checks.load(resolved);
            reads.forbidden().ifPresent(refused -> {
                throw CliException.unavailable(refused);
            });
            Tally tally = new Tally();
            ObjectNode document = JsonOutput.document("dryRun");
            document.put("file", RolloutFile.shown(checked.file()));
            ArrayNode lines = document.putArray("lines");
            Map<String, Integer> firstLine = new HashMap<>();
            for (ValidLine planned : checked.valid()) {
                String tenant = access.tenantFor(planned.request().tenantId()).orElse(null);
                Verdict verdict = tenant == null ? Verdict.problem(unresolved.get(planned.line()))
                        : verdict(planned, tenant, checks, firstLine);
                tally.add(verdict);
                verdict.addTo(lines.addObject().put("line", planned.line()));
                out.println(String.format(Locale.ROOT, "  line %-5d %-15s %s", planned.line(), verdict.label(),
                        verdict.detail()));
            }
            out.println(tally.summary(checked.valid().size(), reads.calls()));
            if (json != null) {
                document.put("requests", checked.valid().size()).put("wouldCreate", tally.create)
                        .put("alreadyExist", tally.exists).put("problems", tally.problems)
                        .put("graphReads", reads.calls());
                JsonOutput.print(json, document);
            }
            return tally.problems == 0 ? ExitCode.OK : ExitCode.FAILED;
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
        if (existing != null && !existing.equals(target.matchKey())) {
            return Verdict.problem(what + ": conflict: the policy already assigns this target with another intent "
                    + "or filter (the worker would answer CONFLICT)" + note);
        }
        if (existing != null) {
            return new Verdict("already exists", what + note, Kind.EXISTS, null);
        }
        if (earlier != null) {
            return new Verdict("repeats line " + earlier, what + ": created by line " + earlier + ", then already "
                    + "there" + note, Kind.EXISTS, earlier);
        }
        return new Verdict("would create", what + note, Kind.CREATE, null);
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

    private enum Kind { CREATE, EXISTS, PROBLEM }

    /** @param repeats the earlier line this one repeats, or null */
    private record Verdict(String label, String detail, Kind kind, Integer repeats) {

        static Verdict problem(String detail) {
            return new Verdict("PROBLEM", detail, Kind.PROBLEM, null);
        }

        /** {@code wouldCreate}, {@code alreadyExists}, {@code repeats} (with {@code repeatsLine}), {@code problem}. */
        void addTo(ObjectNode line) {
            String name = switch (kind) {
                case CREATE -> "wouldCreate";
                case EXISTS -> repeats == null ? "alreadyExists" : "repeats";
                case PROBLEM -> "problem";
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
        private int exists;
        private int problems;

        void add(Verdict verdict) {
            switch (verdict.kind()) {
                case CREATE -> create++;
                case EXISTS -> exists++;
                case PROBLEM -> problems++;
            }
        }

        String summary(int lines, long calls) {
            return "Dry run: " + SummaryTable.count(lines, "request") + ": " + create + " would create, " + exists
                    + " already exist, " + problems + " with problems (" + calls + " Graph reads; nothing written, "
                    + "nothing published)";
        }
    }
}
