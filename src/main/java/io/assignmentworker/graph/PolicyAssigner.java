package io.assignmentworker.graph;

import io.assignmentworker.metrics.WorkerMetrics;
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
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

/**
 * Writes a batch of requests for one policy with {@code POST …/{id}/assign}, which replaces the policy's whole
 * assignment set. In the write's own slot it reads the set and writes at once (see
 * {@link GraphCalls#assignFromFreshRead}): every existing entry exactly as Graph listed it (ids included), plus
 * the requests whose subject the policy lacks. A request whose subject is assigned differently is a
 * {@link SubjectConflict}, never written. Then it reads the set back and compares it with what it read plus
 * what it added: an entry that was there and is gone or changed is written back at once (a repair, counted and
 * alerted on); one another writer added meanwhile is kept (counted). When Graph refuses the write as a bad
 * request, the additions are halved until the refused ones are isolated; they fail alone and the rest is written.
 *
 * <p>Callers must not write the same policy from two places at once (the scheduling and intake stages see
 * to that: one partition of the by-policy topic, one batch at a time).
 */
final class PolicyAssigner {

    private static final Logger log = LoggerFactory.getLogger(PolicyAssigner.class);
    /** The properties of an assignment that {@code /assign} takes back; Graph lists nothing else for it. */
    private static final List<String> WRITABLE = List.of("@odata.type", "id", "target", "source", "sourceId");
    /** Repair writes after one batch before the loss is left to the alert (a writer that keeps deleting). */
    private static final int REPAIR_ROUNDS = 2;

    private final GraphCalls calls;
    private final KnownAssignments known;
    private final AssignmentJson json;
    private final JsonMapper mapper;
    private final WorkerMetrics metrics;

    PolicyAssigner(GraphCalls calls, KnownAssignments known, JsonMapper mapper, WorkerMetrics metrics) {
        this.calls = calls;
        this.known = known;
        this.json = new AssignmentJson(mapper);
        this.mapper = mapper;
        this.metrics = metrics;
    }

    /**
     * @param requests      the batch's requests, asked for once the set has been read in the write's slot (the
     *                      batch may grow until then), and the same on every later call
     * @param writtenBefore subjects earlier attempts of this batch may have written (their failure was
     *                      ambiguous); updated with this attempt's, so found targets are not reported as
     *                      pre-existing when the batch itself wrote them
     * @param veto          asked before each write is sent (see {@link CallGate}); {@code null} to go ahead
     * @return one result per request, in order; fails as a whole for failures of the policy or the tenant
     */
    CompletableFuture<List<AssignResult>> assign(String tenantId, String policyId,
                                                 Supplier<List<AssignmentRequest>> requests,
                                                 Set<String> writtenBefore, Instant deadline, Supplier<GraphError> veto) {
        Set<String> earlier = Set.copyOf(writtenBefore);
        Target policy = new Target(tenantId, policyId, deadline, veto);
        return write(policy, requests, writtenBefore).thenCompose(written -> settled(policy, written)
                .thenApply(after -> {
                    known.replace(tenantId, policyId, after);
                    return answers(requests.get(), written, after.bySubject(), earlier);
                }));
    }

    /** The policy a batch writes, and what bounds its calls. */
    private record Target(String tenantId, String policyId, Instant deadline, Supplier<GraphError> veto) {
    }

    /**
     * What the writes of one batch did.
     *
     * @param base    the read the last accepted write was planned from (or, when nothing was written, the last
     *                read), {@code null} when there was none
     * @param added   the requests written, by subject
     * @param refused why Graph refused a subject, by subject
     * @param written whether any write was accepted
     */
    private record Written(Listing base, Map<String, AssignmentRequest> added, Map<String, GraphError> refused,
                           boolean written) {

        Written then(Written next) {
            Map<String, AssignmentRequest> allAdded = new LinkedHashMap<>(added);
            allAdded.putAll(next.added);
            Map<String, GraphError> allRefused = new HashMap<>(refused);
            allRefused.putAll(next.refused);
            Listing last = next.written || !written && next.base != null ? next.base : base;
            return new Written(last, allAdded, allRefused, written || next.written);
        }
    }

    /** Writes the requests whose subject the policy lacks, halving on a refusal until the refused are alone. */
    private CompletableFuture<Written> write(Target policy, Supplier<List<AssignmentRequest>> requests,
                                             Set<String> writtenBefore) {
        Map<String, AssignmentRequest> planned = new LinkedHashMap<>();
        return calls.assignFromFreshRead(policy.tenantId(), policy.policyId(), policy.deadline(), policy.veto(),
                        current -> {
                            planned.clear();
                            Map<String, Assigned> existing = current.bySubject();
                            for (AssignmentRequest request : requests.get()) {
                                String subject = request.target().subjectKey();
                                if (!existing.containsKey(subject)) {
                                    planned.putIfAbsent(subject, request);
                                }
                            }
                            if (planned.isEmpty()) {
                                return null;
                            }
                            writtenBefore.addAll(planned.keySet());
                            List<JsonNode> entries = new ArrayList<>(current.assignments().size() + planned.size());
                            current.assignments().forEach(entry -> entries.add(writable(entry)));
                            planned.values().forEach(request -> entries.add(json.body(request)));
                            return entries;
                        })
                .thenApply(fresh -> new Written(fresh.read(), fresh.written() ? Map.copyOf(planned) : Map.of(),
                        Map.of(), fresh.written()))
                .exceptionallyCompose(failure -> {
                    GraphError error = GraphException.errorOf(failure);
                    if (error == null || error.category() != ErrorCategory.BAD_REQUEST || planned.isEmpty()) {
                        return CompletableFuture.failedFuture(failure);
                    }
                    List<AssignmentRequest> additions = List.copyOf(planned.values());
                    if (additions.size() == 1) {
                        return CompletableFuture.completedFuture(new Written(null, Map.of(),
                                Map.of(additions.get(0).target().subjectKey(), error), false));
                    }
                    int half = additions.size() / 2;
                    // Each half reads the set again in its own write slot: the left half's write changed it.
                    return write(policy, () -> additions.subList(0, half), writtenBefore).thenCompose(left ->
                            write(policy, () -> additions.subList(half, additions.size()), writtenBefore)
                                    .thenApply(left::then));
                });
    }

    /** What Graph holds once the batch's writes are confirmed (and repaired where they lost something). */
    private CompletableFuture<Listing> settled(Target policy, Written written) {
        if (written.written()) {
            return confirm(policy, written.base().bySubject(), written.added().keySet(), REPAIR_ROUNDS, true);
        }
        if (written.base() != null) {
            // Nothing needed writing: the read made in the write's slot is what Graph holds.
            return CompletableFuture.completedFuture(written.base());
        }
        return calls.list(policy.tenantId(), policy.policyId(), policy.deadline());
    }

    /**
     * Reads the set back and compares it with what the write rested on: {@code expected} (what was there, by
     * subject) plus {@code added}. What was there and is gone or changed is written back at once.
     */
    private CompletableFuture<Listing> confirm(Target policy, Map<String, Assigned> expected, Set<String> added,
                                               int repairs, boolean countForeign) {
        return calls.list(policy.tenantId(), policy.policyId(), policy.deadline()).thenCompose(after -> {
            Map<String, Assigned> now = after.bySubject();
            Map<String, Assigned> lost = new LinkedHashMap<>();
            expected.forEach((subject, then) -> {
                Assigned found = now.get(subject);
                if (found == null || !sameTarget(found, then)) {
                    lost.put(subject, then);
                }
            });
            if (countForeign) {
                int foreign = (int) now.keySet().stream()
                        .filter(subject -> !expected.containsKey(subject) && !added.contains(subject)).count();
                if (foreign > 0) {
                    metrics.assignForeignKept(foreign);
                }
            }
            if (lost.isEmpty()) {
                return CompletableFuture.completedFuture(after);
            }
            if (repairs == 0) {
                metrics.assignUnrepaired(lost.size());
                log.error("Policy {} of tenant {} still lacks {} assignments it had before this worker's /assign "
                        + "after {} repairs: {}", policy.policyId(), policy.tenantId(), lost.size(), REPAIR_ROUNDS,
                        ids(lost));
                return CompletableFuture.completedFuture(after);
            }
            metrics.assignRepaired(lost.size());
            log.warn("Policy {} of tenant {} lost or changed {} assignments it had before this worker's /assign; "
                    + "writing them back: {}", policy.policyId(), policy.tenantId(), lost.size(), ids(lost));
            return repair(policy, lost).thenCompose(restored -> confirm(policy, restored, added, repairs - 1, false));
        });
    }

    /**
     * Writes {@code lost} back as it was, into the set as Graph holds it now (read in the write's slot).
     *
     * @return what the repair expects Graph to hold, by subject
     */
    private CompletableFuture<Map<String, Assigned>> repair(Target policy, Map<String, Assigned> lost) {
        return calls.assignFromFreshRead(policy.tenantId(), policy.policyId(), policy.deadline(), policy.veto(),
                current -> {
                    Map<String, Assigned> now = current.bySubject();
                    if (lost.entrySet().stream().allMatch(entry -> now.containsKey(entry.getKey())
                            && sameTarget(now.get(entry.getKey()), entry.getValue()))) {
                        return null;
                    }
                    Map<String, Assigned> next = new LinkedHashMap<>(now);
                    next.putAll(lost);
                    List<JsonNode> entries = new ArrayList<>(next.size());
                    next.values().forEach(entry -> entries.add(writable(entry.assignment())));
                    return entries;
                })
                .thenApply(fresh -> {
                    Map<String, Assigned> expected = new LinkedHashMap<>(fresh.read().bySubject());
                    expected.putAll(lost);
                    return expected;
                });
    }

    /** Whether two listings of one subject's assignment say the same: type, group or collection, and filter. */
    private static boolean sameTarget(Assigned a, Assigned b) {
        return a.assignment().path("target").equals(b.assignment().path("target"));
    }

    private static List<String> ids(Map<String, Assigned> assignments) {
        return assignments.values().stream().map(Assigned::id).toList();
    }

    private static List<AssignResult> answers(List<AssignmentRequest> requests, Written written,
                                              Map<String, Assigned> after, Set<String> writtenEarlier) {
        List<AssignResult> results = new ArrayList<>(requests.size());
        Set<String> answered = new HashSet<>();
        for (AssignmentRequest request : requests) {
            String subject = request.target().subjectKey();
            Assigned found = after.get(subject);
            GraphError refused = written.refused().get(subject);
            if (refused != null && (found == null || SubjectConflict.between(found, request))) {
                results.add(AssignResult.refused(refused));
                continue;
            }
            if (found == null) {
                // Written, yet not there when read back: someone replaced the set meanwhile. Try the batch again.
                throw new GraphException(new GraphError(ErrorCategory.GRAPH_ERROR, null, "AssignNotConfirmed",
                        "the written assignment was missing when the policy was read back (changed concurrently?)",
                        true, true, null, null));
            }
            if (SubjectConflict.between(found, request)) {
                results.add(AssignResult.refused(SubjectConflict.error(found)));
                continue;
            }
            boolean writtenHere = written.added().containsKey(subject) || writtenEarlier.contains(subject);
            boolean alreadyExisted = !writtenHere || !answered.add(subject);
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
}
