package io.assignmentworker.graph;

import io.assignmentworker.outcome.ErrorCategory;
import io.assignmentworker.request.AssignmentRequest;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

/**
 * Writes a batch of requests for one policy with {@code POST …/{id}/assign}, which replaces the policy's whole
 * assignment set: read the set, add the targets it lacks, write it back with every existing entry exactly as
 * Graph listed it (ids included), then read it back to confirm. When Graph refuses the write as a bad request,
 * the batch is halved until the refused targets are isolated; they fail alone and the rest is written.
 *
 * <p>Callers must not write the same policy from two places at once (the scheduling and intake stages see
 * to that: one partition of the by-policy topic, one batch at a time).
 */
final class PolicyAssigner {

    /** The properties of an assignment that {@code /assign} takes back; Graph lists nothing else for it. */
    private static final List<String> WRITABLE = List.of("@odata.type", "id", "target", "source", "sourceId");

    private final GraphCalls calls;
    private final KnownAssignments known;
    private final AssignmentJson json;
    private final JsonMapper mapper;

    PolicyAssigner(GraphCalls calls, KnownAssignments known, JsonMapper mapper) {
        this.calls = calls;
        this.known = known;
        this.json = new AssignmentJson(mapper);
        this.mapper = mapper;
    }

    /**
     * @param writtenBefore match keys earlier attempts of this batch may have written (their failure was
     *                      ambiguous); updated with this attempt's, so found targets are not reported as
     *                      pre-existing when the batch itself wrote them
     * @return one result per request, in order; fails as a whole for failures of the policy or the tenant
     */
    CompletableFuture<List<AssignResult>> assign(String tenantId, String policyId, List<AssignmentRequest> requests,
                                                 Set<String> writtenBefore, Instant deadline, WriteGuard guard) {
        Set<String> earlier = Set.copyOf(writtenBefore);
        return read(tenantId, policyId, deadline).thenCompose(before -> {
            Map<String, Assigned> existing = before.byTarget();
            Map<String, AssignmentRequest> additions = new LinkedHashMap<>();
            for (AssignmentRequest request : requests) {
                String key = request.target().matchKey();
                if (!existing.containsKey(key)) {
                    additions.putIfAbsent(key, request);
                }
            }
            if (additions.isEmpty()) {
                return CompletableFuture.completedFuture(answers(requests, existing, existing, Map.of(), earlier));
            }
            writtenBefore.addAll(additions.keySet());
            return write(tenantId, policyId, before.assignments(), new ArrayList<>(additions.values()), deadline,
                    guard)
                    .thenCompose(refused -> read(tenantId, policyId, deadline)
                            .thenApply(after -> answers(requests, existing, after.byTarget(), refused, earlier)));
        });
    }

    /** @return the targets Graph refused, by match key */
    private CompletableFuture<Map<String, GraphError>> write(String tenantId, String policyId, List<JsonNode> base,
                                                             List<AssignmentRequest> additions, Instant deadline,
                                                             WriteGuard guard) {
        List<JsonNode> entries = new ArrayList<>(base.size() + additions.size());
        base.forEach(entry -> entries.add(writable(entry)));
        additions.forEach(request -> entries.add(json.body(request)));
        return calls.assign(tenantId, policyId, entries, deadline, guard::veto)
                .thenApply(stored -> Map.<String, GraphError>of())
                .exceptionallyCompose(failure -> {
                    GraphError error = GraphException.errorOf(failure);
                    if (error == null || error.category() != ErrorCategory.BAD_REQUEST) {
                        return CompletableFuture.failedFuture(failure);
                    }
                    if (additions.size() == 1) {
                        return CompletableFuture.completedFuture(Map.of(additions.get(0).target().matchKey(), error));
                    }
                    int half = additions.size() / 2;
                    List<AssignmentRequest> left = additions.subList(0, half);
                    List<AssignmentRequest> right = additions.subList(half, additions.size());
                    // The set changed if the left half was written: read it again before writing the right half.
                    return write(tenantId, policyId, base, left, deadline, guard)
                            .thenCompose(leftRefused -> read(tenantId, policyId, deadline)
                                    .thenCompose(now -> write(tenantId, policyId, now.assignments(), right, deadline,
                                            guard))
                                    .thenApply(rightRefused -> merge(leftRefused, rightRefused)));
                });
    }

    private CompletableFuture<GraphCalls.Listing> read(String tenantId, String policyId, Instant deadline) {
        return calls.list(tenantId, policyId, deadline).thenApply(listing -> {
            known.replace(tenantId, policyId, listing.byTarget());
            return listing;
        });
    }

    private static List<AssignResult> answers(List<AssignmentRequest> requests, Map<String, Assigned> before,
                                              Map<String, Assigned> after, Map<String, GraphError> refused,
                                              Set<String> writtenEarlier) {
        List<AssignResult> results = new ArrayList<>(requests.size());
        Set<String> answered = new HashSet<>();
        for (AssignmentRequest request : requests) {
            String key = request.target().matchKey();
            GraphError error = refused.get(key);
            if (error != null) {
                results.add(AssignResult.refused(error));
                continue;
            }
            Assigned found = after.get(key);
            if (found == null) {
                // Written, yet not there when read back: someone replaced the set meanwhile. Try the batch again.
                throw new GraphException(new GraphError(ErrorCategory.GRAPH_ERROR, null, "AssignNotConfirmed",
                        "the written assignment was missing when the policy was read back (changed concurrently?)",
                        true, true, null, null));
            }
            boolean preExisting = before.containsKey(key) && !writtenEarlier.contains(key);
            boolean alreadyExisted = preExisting || !answered.add(key);
            results.add(AssignResult.of(new Assigned(found.id(), found.assignment(), alreadyExisted,
                    found.graphRequestId())));
        }
        return results;
    }

    /** An existing assignment as {@code /assign} takes it back: unchanged, without read-only annotations. */
    private ObjectNode writable(JsonNode listed) {
        ObjectNode entry = mapper.createObjectNode();
        for (String property : WRITABLE) {
            JsonNode value = listed.get(property);
            if (value != null) {
                entry.set(property, value.deepCopy());
            }
        }
        return entry;
    }

    private static Map<String, GraphError> merge(Map<String, GraphError> left, Map<String, GraphError> right) {
        Map<String, GraphError> all = new HashMap<>(left);
        all.putAll(right);
        return all;
    }
}
