package io.assignmentworker.rollout;

import io.assignmentworker.request.AssignmentRequest;
import io.assignmentworker.request.Decoded;
import io.assignmentworker.request.RequestDecoder;
import io.assignmentworker.request.TargetJson;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

/**
 * What undoing a rollout takes, read from the ownership ledger ({@code schemas/ledger-entry.schema.json}): for each
 * assignment the rollout changed (the ledger's key: tenant, policy, subject), the request that puts back what was
 * there before.
 * <ul>
 * <li>it created an assignment: remove it, exactly as created (an assignment that was already there has no
 *     entry, so it is never removed);</li>
 * <li>it removed one: create it again as it was;</li>
 * <li>it updated one: update it back, {@code expected} to be as the rollout left it.</li>
 * </ul>
 * A rollout that changed one subject more than once is undone to what the subject held before its first change
 * still on the ledger (compaction keeps only the latest entry of a subject for good; the worker creates the ledger
 * keeping every entry 30 days first). A subject changed since by
 * another rollout is a conflict, left as it is. A subject an earlier rollback of the same rollout already put back
 * is already undone: nothing is sent for it, so rolling back twice changes nothing the second time (sending that
 * rollback's request again could only take away what someone did outside the worker since). What someone changed
 * outside the worker is caught when the request is written: a remove or an update that does not find the
 * assignment as the rollout left it is answered CONFLICT, and nothing is written.
 */
public final class RollbackPlan {

    /** The worker's defaults ({@code worker.intake.max-record-size}, {@code max-nesting-depth}). */
    private static final RequestDecoder DECODER = new RequestDecoder(64 * 1024, 32);
    private static final JsonMapper MAPPER = JsonMapper.builder().build();

    /**
     * A request of the rollback, as the worker reads it.
     *
     * @param number  its place in the rollback (its requestId is {@code <rollbackId>/<number>})
     * @param request the request
     * @param json    the bytes to publish, keyed by {@code request.requestId()}
     */
    public record Undo(int number, AssignmentRequest request, byte[] json) {
    }

    /** One change to undo, as the request that undoes it. */
    public record Change(String key, String tenantId, String policyId, String subject, String undo, Undo request,
                         JsonNode entry) {
    }

    /** A subject the rollout changed that someone changed again since: left alone. */
    public record Conflict(String key, String tenantId, String policyId, String subject, JsonNode ours, JsonNode since) {
    }

    private final String rolloutId;
    private final String rollbackId;
    private final List<Change> changes;
    private final List<Conflict> conflicts;
    private final List<Done> alreadyUndone;
    private final List<String> problems;
    private final int entriesRead;

    /** A subject an earlier rollback of the same rollout already put back, and nobody changed since. */
    public record Done(String key, String tenantId, String policyId, String subject, String by) {
    }

    private RollbackPlan(String rolloutId, String rollbackId, List<Change> changes, List<Conflict> conflicts,
                         List<Done> alreadyUndone, List<String> problems, int entriesRead) {
        this.rolloutId = rolloutId;
        this.rollbackId = rollbackId;
        this.changes = changes;
        this.conflicts = conflicts;
        this.alreadyUndone = alreadyUndone;
        this.problems = problems;
        this.entriesRead = entriesRead;
    }

    /** The rolloutIds of {@code rolloutId}'s rollbacks start with this. */
    public static String rollbackPrefix(String rolloutId) {
        return rolloutId + ".rollback-";
    }

    /**
     * Whether {@code candidate} is a rollback of {@code rolloutId} itself ({@code <rolloutId>.rollback-<…>}), not
     * a rollback of one of its rollbacks.
     */
    public static boolean isRollbackOf(String candidate, String rolloutId) {
        String prefix = rollbackPrefix(rolloutId);
        return candidate != null && candidate.startsWith(prefix)
                && !candidate.substring(prefix.length()).contains(".rollback-");
    }

    /**
     * @param entries    the ledger's records as read, in offset order within each key (key, value)
     * @param rollbackId the rolloutId the rollback's requests carry
     */
    public static RollbackPlan of(String rolloutId, String rollbackId, List<Map.Entry<String, JsonNode>> entries) {
        Map<String, List<JsonNode>> byKey = new TreeMap<>();
        for (Map.Entry<String, JsonNode> entry : entries) {
            if (entry.getValue() != null && entry.getValue().isObject()) {
                byKey.computeIfAbsent(entry.getKey(), k -> new ArrayList<>()).add(entry.getValue());
            }
        }
        List<Change> changes = new ArrayList<>();
        List<Conflict> conflicts = new ArrayList<>();
        List<Done> undone = new ArrayList<>();
        List<String> problems = new ArrayList<>();
        for (Map.Entry<String, List<JsonNode>> key : byKey.entrySet()) {
            List<JsonNode> history = key.getValue();
            int ours = -1;
            for (int i = history.size() - 1; i >= 0 && ours < 0; i--) {
                String by = history.get(i).path("rolloutId").asString("");
                if (by.equals(rolloutId) || isRollbackOf(by, rolloutId)) {
                    ours = i;
                }
            }
            if (ours < 0) {
                continue;
            }
            JsonNode entry = history.get(ours);
            JsonNode latest = history.get(history.size() - 1);
            if (latest != entry) {
                conflicts.add(new Conflict(key.getKey(), text(entry, "tenantId"), text(entry, "policyId"),
                        text(entry, "subject"), entry, latest));
                continue;
            }
            if (!entry.path("rolloutId").asString("").equals(rolloutId)) {
                // Put back by an earlier rollback, and nobody changed it since as far as the ledger knows. Sending
                // that rollback's request again could only take away what someone did outside the worker since.
                undone.add(new Done(key.getKey(), text(entry, "tenantId"), text(entry, "policyId"),
                        text(entry, "subject"), text(entry, "rolloutId")));
                continue;
            }
            // The rollout may have changed the subject more than once: undo its net change, from what the subject
            // held before the first of its entries still on the ledger.
            int first = ours;
            while (first > 0 && rolloutId.equals(history.get(first - 1).path("rolloutId").asString(""))) {
                first--;
            }
            ObjectNode request = undo(history.get(first).path("before"), entry.path("after"));
            if (request == null) {
                continue;
            }
            int number = changes.size() + 1;
            request.put("requestId", rollbackId + "/" + number);
            request.put("rolloutId", rollbackId);
            request.put("tenantId", text(entry, "tenantId"));
            request.put("policyId", text(entry, "policyId"));
            byte[] json = MAPPER.writeValueAsString(request).getBytes(StandardCharsets.UTF_8);
            Decoded decoded = DECODER.decode(json);
            if (decoded instanceof Decoded.Valid valid) {
                changes.add(new Change(key.getKey(), text(entry, "tenantId"), text(entry, "policyId"),
                        text(entry, "subject"), undoName(request), new Undo(number, valid.request(), json),
                        entry));
            } else if (decoded instanceof Decoded.Rejected rejected) {
                problems.add(key.getKey() + ": " + String.join("; ", rejected.violations()));
            } else {
                problems.add(key.getKey() + ": the undo request could not be read");
            }
        }
        return new RollbackPlan(rolloutId, rollbackId, changes, conflicts, undone, problems, entries.size());
    }

    /**
     * The request that puts back {@code before} where the rollout left {@code after} (either may be absent: JSON
     * null or missing), or null when they are the same.
     */
    private static ObjectNode undo(JsonNode before, JsonNode after) {
        boolean had = before.isObject();
        boolean left = after.isObject();
        if (!had && left) {
            return request("remove", after, null);
        }
        if (had && !left) {
            return request("create", before, null);
        }
        if (had && !before.path("target").equals(after.path("target"))) {
            return request("update", before, after);
        }
        return null;
    }

    /** A request for {@code assignment} (as Graph listed it), with {@code expected} the target it must have now. */
    private static ObjectNode request(String operation, JsonNode assignment, JsonNode expected) {
        if (!assignment.isObject() || TargetJson.ofAssignment(assignment).isEmpty()) {
            return null;
        }
        ObjectNode request = MAPPER.createObjectNode();
        request.put("operation", operation);
        ObjectNode body = request.putObject("assignment");
        body.put("@odata.type", "#microsoft.graph.deviceCompliancePolicyAssignment");
        body.set("target", target(assignment.path("target")));
        body.put("source", assignment.path("source").asString("direct"));
        JsonNode sourceId = assignment.path("sourceId");
        if (sourceId.isString()) {
            body.put("sourceId", sourceId.stringValue());
        }
        if (expected != null && expected.isObject()) {
            request.putObject("expected").set("target", target(expected.path("target")));
        }
        return request;
    }

    /** Only the target fields a request takes: Graph's listing may carry more. */
    private static ObjectNode target(JsonNode listed) {
        ObjectNode target = MAPPER.createObjectNode();
        for (String field : List.of("@odata.type", "groupId", "collectionId", TargetJson.FILTER_ID,
                TargetJson.FILTER_TYPE)) {
            JsonNode value = listed.get(field);
            if (value != null && value.isString()) {
                target.put(field, value.stringValue());
            }
        }
        return target;
    }

    private static String undoName(ObjectNode request) {
        return switch (request.path("operation").asString()) {
            case "remove" -> "remove";
            case "create" -> "restore";
            default -> "revert";
        };
    }

    private static String text(JsonNode node, String field) {
        return node.path(field).asString(null);
    }

    public String rolloutId() {
        return rolloutId;
    }

    public String rollbackId() {
        return rollbackId;
    }

    public List<Change> changes() {
        return changes;
    }

    public List<Conflict> conflicts() {
        return conflicts;
    }

    public int entriesRead() {
        return entriesRead;
    }

    /** Whether the ledger shows the rollout (or a rollback of it) changed anything at all. */
    public boolean knowsTheRollout() {
        return !changes.isEmpty() || !conflicts.isEmpty() || !alreadyUndone.isEmpty() || !problems.isEmpty();
    }

    /** Subjects an earlier rollback already put back: nothing is sent for them. */
    public List<Done> alreadyUndone() {
        return alreadyUndone;
    }

    /** Undo requests that could not be made (e.g. a rollbackId too long for its requestIds). */
    public List<String> problems() {
        return problems;
    }

    public List<Undo> requests() {
        return changes.stream().map(Change::request).toList();
    }

    /** Changes by tenant and policy, then by what undoes them: remove, restore, revert. */
    public Map<String, Map<String, Integer>> byPolicy() {
        Map<String, Map<String, Integer>> counts = new LinkedHashMap<>();
        for (Change change : changes) {
            counts.computeIfAbsent(change.tenantId() + " / " + change.policyId(), k -> new TreeMap<>())
                    .merge(change.undo(), 1, Integer::sum);
        }
        return counts;
    }
}
