package io.assignmentworker.graph;

import io.assignmentworker.metrics.WorkerMetrics;
import io.assignmentworker.outcome.ErrorCategory;
import io.assignmentworker.request.AssignmentRequest;
import io.assignmentworker.request.Operation;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
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
     * @param requests the batch's requests, asked for once the set has been read in the write's slot (the batch
     *                 may grow until then), and the same on every later call
     * @param memory   what earlier attempts of this batch may have written (their failure was ambiguous); updated
     *                 with this attempt's, so the batch's own changes are reported as its own when found done
     * @param veto     asked before each write is sent (see {@link CallGate}); {@code null} to go ahead
     * @return one result per request, in order; fails as a whole for failures of the policy or the tenant
     */
    CompletableFuture<List<AssignResult>> assign(String tenantId, String policyId,
                                                 Supplier<List<AssignmentRequest>> requests,
                                                 BatchMemory memory, Instant deadline, Supplier<GraphError> veto) {
        Set<String> earlier = memory.subjects();
        Target policy = new Target(tenantId, policyId, deadline, veto);
        return write(policy, requests, memory).thenCompose(written -> settled(policy, written)
                .thenApply(after -> {
                    known.replace(tenantId, policyId, after);
                    return answers(requests.get(), written, after.bySubject(), earlier, memory);
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
     * @param changed the requests written (creates, removes and updates), by subject
     * @param refused why Graph refused a subject, by subject
     * @param written whether any write was accepted
     */
    private record Written(Listing base, Map<String, AssignmentRequest> changed, Map<String, GraphError> refused,
                           boolean written) {

        Written then(Written next) {
            Map<String, AssignmentRequest> allChanged = new LinkedHashMap<>(changed);
            allChanged.putAll(next.changed);
            Map<String, GraphError> allRefused = new HashMap<>(refused);
            allRefused.putAll(next.refused);
            Listing last = next.written || !written && next.base != null ? next.base : base;
            return new Written(last, allChanged, allRefused, written || next.written);
        }
    }

    /**
     * Writes what the requests ask and the policy lacks: creates for subjects it does not have, removals of
     * assignments exactly as named, updates of subjects assigned otherwise (and as expected). Everything else in
     * the set is written back exactly as Graph listed it. On a refusal the changes are halved until the refused
     * are alone.
     */
    private CompletableFuture<Written> write(Target policy, Supplier<List<AssignmentRequest>> requests,
                                             BatchMemory memory) {
        Map<String, AssignmentRequest> planned = new LinkedHashMap<>();
        Map<String, Assigned> held = new HashMap<>();
        return calls.assignFromFreshRead(policy.tenantId(), policy.policyId(), policy.deadline(), policy.veto(),
                        current -> {
                            planned.clear();
                            held.clear();
                            Map<String, Assigned> existing = current.bySubject();
                            List<AssignmentRequest> asked = requests.get();
                            List<Ask> asks = Ask.of(asked);
                            for (int i = 0; i < asked.size(); i++) {
                                AssignmentRequest request = asked.get(i);
                                String subject = request.target().subjectKey();
                                if (asks.get(i) == Ask.FIRST && changes(existing.get(subject), request)) {
                                    planned.put(subject, request);
                                }
                            }
                            if (planned.isEmpty()) {
                                return null;
                            }
                            planned.keySet().forEach(subject -> held.put(subject, existing.get(subject)));
                            List<JsonNode> entries = new ArrayList<>(current.assignments().size() + planned.size());
                            // Every listed entry, as listed, but for the planned subjects: not by subject, so
                            // that nothing Graph listed can be left out by sharing a key with another.
                            for (JsonNode entry : current.assignments()) {
                                AssignmentRequest change = AssignmentJson.target(entry)
                                        .map(target -> planned.get(target.subjectKey())).orElse(null);
                                if (change == null) {
                                    entries.add(writable(entry));
                                } else if (change.operation() == Operation.UPDATE) {
                                    entries.add(updated(entry, change));
                                }
                                // A removal leaves the entry out: the only way /assign removes.
                            }
                            planned.forEach((subject, request) -> {
                                if (request.operation() == Operation.CREATE) {
                                    entries.add(json.body(request));
                                }
                            });
                            return entries;
                        })
                .thenApply(fresh -> {
                    if (fresh.written()) {
                        remember(memory, planned, held);
                    }
                    return new Written(fresh.read(), fresh.written() ? Map.copyOf(planned) : Map.of(), Map.of(),
                            fresh.written());
                })
                .exceptionallyCompose(failure -> {
                    GraphError error = GraphException.errorOf(failure);
                    if (error != null && error.ambiguous()) {
                        // The write may have landed: the next attempt must know these changes may be its own.
                        remember(memory, planned, held);
                    }
                    if (error == null || error.category() != ErrorCategory.BAD_REQUEST || planned.isEmpty()) {
                        return CompletableFuture.failedFuture(failure);
                    }
                    List<AssignmentRequest> changes = List.copyOf(planned.values());
                    if (changes.size() == 1) {
                        return CompletableFuture.completedFuture(new Written(null, Map.of(),
                                Map.of(changes.get(0).target().subjectKey(), error), false));
                    }
                    int half = changes.size() / 2;
                    // Each half reads the set again in its own write slot: the left half's write changed it.
                    return write(policy, () -> changes.subList(0, half), memory).thenCompose(left ->
                            write(policy, () -> changes.subList(half, changes.size()), memory)
                                    .thenApply(left::then));
                });
    }

    /**
     * A write that was sent and accepted, or whose fate is unknown, changed (or may have changed) the planned
     * subjects. Only then: a write refused or never sent (429, 400, a veto, a read gone stale) changed nothing, and
     * what the next attempt finds done was done by someone else.
     */
    private static void remember(BatchMemory memory, Map<String, AssignmentRequest> planned,
                                 Map<String, Assigned> held) {
        planned.keySet().forEach(subject -> memory.changing(subject, held.get(subject)));
    }

    /** Whether the request asks for something the subject's assignment ({@code held}, or none) is not. */
    private static boolean changes(Assigned held, AssignmentRequest request) {
        return switch (request.operation()) {
            case CREATE -> held == null;
            case REMOVE -> held != null && AssignmentJson.matches(held.assignment(), request);
            case UPDATE -> held != null && !AssignmentJson.matches(held.assignment(), request)
                    && (request.expected() == null || AssignmentJson.matches(held.assignment(), request.expected()));
        };
    }

    /** The subject's entry with the request's target (intent and filter): id, source and the rest as Graph has them. */
    private ObjectNode updated(JsonNode listed, AssignmentRequest request) {
        ObjectNode entry = writable(listed);
        entry.set("target", json.body(request).get("target"));
        return entry;
    }

    /**
     * How a batch treats each of its requests: the first for a subject is written; a later one asking exactly the
     * same is answered with it; any other later one, and all that follow it for that subject, wait for the
     * policy's next batch. So a subject's requests take effect in the order they came, and one write never
     * both creates and removes what an outcome would then claim.
     */
    enum Ask {
        FIRST, REPEAT, LATER;

        static List<Ask> of(List<AssignmentRequest> requests) {
            Map<String, AssignmentRequest> first = new HashMap<>();
            Set<String> waiting = new HashSet<>();
            List<Ask> asks = new ArrayList<>(requests.size());
            for (AssignmentRequest request : requests) {
                String subject = request.target().subjectKey();
                AssignmentRequest before = first.putIfAbsent(subject, request);
                if (before == null) {
                    asks.add(FIRST);
                } else if (!waiting.contains(subject) && sameAsk(before, request)) {
                    asks.add(REPEAT);
                } else {
                    waiting.add(subject);
                    asks.add(LATER);
                }
            }
            return asks;
        }

        private static boolean sameAsk(AssignmentRequest a, AssignmentRequest b) {
            return a.operation() == b.operation() && a.target().matchKey().equals(b.target().matchKey())
                    && Objects.equals(a.expected() == null ? null : a.expected().matchKey(),
                    b.expected() == null ? null : b.expected().matchKey());
        }
    }

    /** What Graph holds once the batch's writes are confirmed (and repaired where they lost something). */
    private CompletableFuture<Listing> settled(Target policy, Written written) {
        if (written.written()) {
            // What the batch removed or updated is checked against its requests (answers), not kept as it was.
            Map<String, Assigned> kept = new LinkedHashMap<>(written.base().bySubject());
            kept.keySet().removeAll(written.changed().keySet());
            return confirm(policy, kept, written.changed().keySet(), REPAIR_ROUNDS, true);
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
                                              Map<String, Assigned> after, Set<String> changedEarlier,
                                              BatchMemory memory) {
        List<AssignResult> results = new ArrayList<>(requests.size());
        List<Ask> asks = Ask.of(requests);
        for (int i = 0; i < requests.size(); i++) {
            AssignmentRequest request = requests.get(i);
            if (asks.get(i) == Ask.LATER) {
                results.add(AssignResult.LATER);
                continue;
            }
            String subject = request.target().subjectKey();
            Assigned found = after.get(subject);
            GraphError refused = written.refused().get(subject);
            boolean changedHere = asks.get(i) == Ask.FIRST
                    && (written.changed().containsKey(subject) || changedEarlier.contains(subject));
            if (refused != null && !done(found, request)) {
                results.add(AssignResult.refused(refused));
                continue;
            }
            results.add(switch (request.operation()) {
                case CREATE -> created(request, found, changedHere);
                case REMOVE -> removed(request, found, changedHere, memory.before(subject).orElse(null));
                case UPDATE -> updated(request, found, changedHere, memory.before(subject).orElse(null));
            });
        }
        return results;
    }

    /** Whether Graph now holds what the request asks. */
    private static boolean done(Assigned found, AssignmentRequest request) {
        return request.operation() == Operation.REMOVE
                ? found == null || !AssignmentJson.matches(found.assignment(), request)
                : found != null && AssignmentJson.matches(found.assignment(), request);
    }

    private static AssignResult created(AssignmentRequest request, Assigned found, boolean createdHere) {
        if (found == null) {
            // Written, yet not there when read back: someone replaced the set meanwhile. This request goes with
            // the policy's next write; the rest of the batch is answered as Graph holds it.
            return notConfirmed("the written assignment was missing");
        }
        if (SubjectConflict.between(found, request)) {
            return AssignResult.refused(SubjectConflict.error(found));
        }
        return AssignResult.created(new Assigned(found.id(), found.assignment(), !createdHere,
                found.graphRequestId()));
    }

    private static AssignResult removed(AssignmentRequest request, Assigned found, boolean removedHere,
                                        Assigned before) {
        if (found == null) {
            return removedHere && before != null
                    ? new AssignResult(AssignResult.Kind.REMOVED, null, before, null)
                    : new AssignResult(AssignResult.Kind.UNCHANGED, null, null, null);
        }
        if (SubjectConflict.between(found, request)) {
            return AssignResult.refused(SubjectConflict.notRemoved(found));
        }
        // Still there as named: the removal did not hold (someone wrote the set back meanwhile), or the subject
        // was added after the write's read. Either way, this request goes with the policy's next write.
        return notConfirmed("the removed assignment was still there");
    }

    private static AssignResult updated(AssignmentRequest request, Assigned found, boolean updatedHere,
                                        Assigned before) {
        if (found == null) {
            return updatedHere ? notConfirmed("the updated assignment was missing")
                    : AssignResult.refused(SubjectConflict.notAssigned());
        }
        if (AssignmentJson.matches(found.assignment(), request)) {
            return updatedHere && before != null
                    ? new AssignResult(AssignResult.Kind.UPDATED, found, before, null)
                    : new AssignResult(AssignResult.Kind.UNCHANGED, found, null, null);
        }
        if (request.expected() != null && !AssignmentJson.matches(found.assignment(), request.expected())) {
            // Neither as asked nor as expected, whether or not a write of this batch touched it: someone changed
            // it since. Never written over.
            return AssignResult.refused(SubjectConflict.notAsExpected(found));
        }
        return notConfirmed("the updated assignment did not have the written target");
    }

    /** This request's change did not hold when read back: it goes with the policy's next write. */
    private static AssignResult notConfirmed(String what) {
        return AssignResult.retry(new GraphError(ErrorCategory.GRAPH_ERROR, null, "AssignNotConfirmed",
                what + " when the policy was read back (changed concurrently?)", true, true, null, null));
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
