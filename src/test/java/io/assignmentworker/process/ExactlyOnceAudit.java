package io.assignmentworker.process;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import io.assignmentworker.emulator.EmulatorStats;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeMap;
import java.util.stream.Collectors;
import tools.jackson.databind.JsonNode;

/**
 * Holds a finished rollout against the product's promises: every request has exactly one committed outcome,
 * CREATED, naming an assignment that exists; every intended assignment exists exactly once in Graph; nothing
 * else was written (assignments the policies had before the rollout aside). When a promise is broken it says
 * which requests and assignments, with their outcomes.
 */
final class ExactlyOnceAudit {

    private static final int EXAMPLES = 10;

    private final List<PlannedRequest> plan;
    private final Map<String, List<JsonNode>> resultsByRequest;
    private final List<JsonNode> foreignResults;
    private final Map<String, List<JsonNode>> assignmentsByKey;
    private final Set<String> preExisting;
    private final int emulatorDuplicates;
    private final long createsAnswered;

    private ExactlyOnceAudit(List<PlannedRequest> plan, List<JsonNode> results, GraphFixture graph,
                             Set<String> preExisting) {
        this.plan = plan;
        this.preExisting = Set.copyOf(preExisting);
        Set<String> planned = plan.stream().map(PlannedRequest::requestId).collect(Collectors.toSet());
        this.resultsByRequest = results.stream().filter(r -> planned.contains(requestId(r)))
                .collect(Collectors.groupingBy(ExactlyOnceAudit::requestId, LinkedHashMap::new, Collectors.toList()));
        this.foreignResults = results.stream().filter(r -> !planned.contains(requestId(r))).toList();
        this.assignmentsByKey = new LinkedHashMap<>();
        plan.stream().map(PlannedRequest::policyId).distinct().forEach(policy -> graph.assignments(policy)
                .forEach(a -> assignmentsByKey.computeIfAbsent(policy + "/" + Target.keyOf(a.path("target")),
                        k -> new ArrayList<>()).add(a)));
        this.emulatorDuplicates = graph.duplicateAssignments();
        this.createsAnswered = graph.emulator().stats().count(EmulatorStats.Operation.CREATE, 201);
    }

    /** Audits {@code results} (every committed result of the run) and the emulator's state. */
    static ExactlyOnceAudit of(List<PlannedRequest> plan, List<JsonNode> results, GraphFixture graph) {
        return new ExactlyOnceAudit(plan, results, graph, Set.of());
    }

    /**
     * The same, for policies that had assignments before the rollout: {@code preExisting} are their keys
     * ({@code policyId/target key}, as {@link PlannedRequest#assignmentKey()}), which Graph may hold without a
     * request asking for them. Whether they are still intact is {@link PreExistingAssignments}' business.
     */
    static ExactlyOnceAudit of(List<PlannedRequest> plan, List<JsonNode> results, GraphFixture graph,
                               Set<String> preExisting) {
        return new ExactlyOnceAudit(plan, results, graph, preExisting);
    }

    /** Fails with a precise account of every broken promise. */
    void assertExactlyOnce() {
        List<String> problems = problems();
        if (!problems.isEmpty()) {
            fail("exactly-once audit of " + plan.size() + " requests failed (Graph created " + createsAnswered
                    + " assignments in this emulator's life, duplicateAssignments=" + emulatorDuplicates + "):\n"
                    + String.join("\n", problems));
        }
        assertThat(emulatorDuplicates).as("duplicateAssignments reported by the emulator").isZero();
    }

    List<String> problems() {
        List<String> problems = new ArrayList<>();
        List<String> missing = plan.stream().map(PlannedRequest::requestId)
                .filter(id -> !resultsByRequest.containsKey(id)).toList();
        report(problems, "requests without a committed result", missing);
        report(problems, "requests with more than one committed result", resultsByRequest.entrySet().stream()
                .filter(e -> e.getValue().size() > 1)
                .map(e -> e.getKey() + " x" + e.getValue().size() + " " + e.getValue().stream()
                        .map(ExactlyOnceAudit::summary).toList())
                .toList());
        report(problems, "results for requests never sent", foreignResults.stream().map(ExactlyOnceAudit::summary)
                .toList());
        report(problems, "results that are not CREATED", resultsByRequest.values().stream().flatMap(List::stream)
                .filter(r -> !"CREATED".equals(r.path("status").asString(""))).map(ExactlyOnceAudit::summary)
                .toList());
        List<String> absent = new ArrayList<>();
        List<String> duplicated = new ArrayList<>();
        List<String> wrongId = new ArrayList<>();
        for (PlannedRequest request : plan) {
            List<JsonNode> stored = assignmentsByKey.getOrDefault(request.assignmentKey(), List.of());
            if (stored.isEmpty()) {
                absent.add(request.requestId() + " -> " + request.assignmentKey());
            } else if (stored.size() > 1) {
                duplicated.add(request.requestId() + " -> " + stored.size() + " copies "
                        + stored.stream().map(a -> a.path("id").asString("")).toList() + "; its result(s): "
                        + resultsByRequest.getOrDefault(request.requestId(), List.of()).stream()
                        .map(ExactlyOnceAudit::summary).toList());
            }
            Set<String> ids = stored.stream().map(a -> a.path("id").asString("")).collect(Collectors.toSet());
            resultsByRequest.getOrDefault(request.requestId(), List.of()).stream()
                    .filter(r -> "CREATED".equals(r.path("status").asString("")))
                    .filter(r -> !ids.contains(r.path("assignmentId").asString("")))
                    .forEach(r -> wrongId.add(summary(r) + " but Graph holds " + ids));
        }
        report(problems, "intended assignments missing in Graph", absent);
        report(problems, "intended assignments created more than once", duplicated);
        if (!duplicated.isEmpty()) {
            problems.add("    request partitions of the twice-created ones (partition=count): " + plan.stream()
                    .filter(r -> assignmentsByKey.getOrDefault(r.assignmentKey(), List.of()).size() > 1)
                    .flatMap(r -> resultsByRequest.getOrDefault(r.requestId(), List.of()).stream())
                    .collect(Collectors.groupingBy(r -> r.path("source").path("partition").asInt(),
                            TreeMap::new, Collectors.counting())));
        }
        report(problems, "CREATED results naming an assignment Graph does not hold for that target", wrongId);
        Set<String> intended = plan.stream().map(PlannedRequest::assignmentKey).collect(Collectors.toSet());
        report(problems, "assignments in Graph nobody asked for", assignmentsByKey.keySet().stream()
                .filter(key -> !intended.contains(key) && !preExisting.contains(key)).toList());
        return problems;
    }

    /** Requests that have at least one committed result. */
    int answered() {
        return resultsByRequest.size();
    }

    int assignmentsInGraph() {
        return assignmentsByKey.values().stream().mapToInt(List::size).sum();
    }

    private static void report(List<String> problems, String what, List<String> cases) {
        if (!cases.isEmpty()) {
            problems.add(cases.size() + " " + what + ", e.g.:\n    " + String.join("\n    ",
                    cases.subList(0, Math.min(EXAMPLES, cases.size()))));
        }
    }

    private static String requestId(JsonNode result) {
        return result.path("requestId").asString(null);
    }

    /** The facts of a result that explain how it came about. */
    static String summary(JsonNode result) {
        JsonNode source = result.path("source");
        return "{" + Objects.toString(requestId(result)) + " " + result.path("status").asString("?")
                + (result.hasNonNull("error") ? " " + result.path("error").path("category").asString("") : "")
                + " assignmentId=" + result.path("assignmentId").asString("-")
                + " alreadyExisted=" + result.path("alreadyExisted").asBoolean(false)
                + " attempts=" + result.path("attempts").asInt()
                + " source=" + source.path("partition").asInt() + "@" + source.path("offset").asLong()
                + " completedAt=" + result.path("completedAt").asString("") + "}";
    }
}
