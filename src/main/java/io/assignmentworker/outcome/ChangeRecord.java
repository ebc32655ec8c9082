package io.assignmentworker.outcome;

import io.assignmentworker.request.AssignmentTarget;
import io.assignmentworker.request.TargetJson;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.Optional;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * One change the worker made to a policy's assignments, for the ownership ledger (see
 * {@code schemas/ledger-entry.schema.json}): published with the outcome that reports it, in the same transaction,
 * on a compacted topic keyed by tenant, policy and subject. So the latest entry of a subject says which rollout
 * and request last changed it, from what to what: what {@code iaw rollback} undoes. Outcomes that changed
 * nothing (already there, UNCHANGED, FAILED) have no entry.
 */
public final class ChangeRecord {

    private ChangeRecord() {
    }

    /** The ledger's key for a subject of a policy: {@code tenant/policy/subject}, in lower case. */
    public static String key(String tenantId, String policyId, String subjectKey) {
        return (tenantId + "/" + policyId + "/" + subjectKey).toLowerCase(Locale.ROOT);
    }

    /** The outcome's ledger entry (key and value), or empty when it changed nothing in Graph. */
    static Optional<Entry> of(Outcome outcome, JsonMapper mapper) {
        return outcome.map(created -> created.alreadyExisted() ? Optional.empty()
                        : entry(outcome, "CREATED", null, created.assignment(), created.assignmentJson(),
                        created.assignmentId(), mapper),
                changed -> changed.status() == Outcome.Changed.Status.UNCHANGED ? Optional.empty()
                        : entry(outcome, changed.status().name(), changed.previous(), changed.assignment(), null,
                        changed.assignmentId(), mapper),
                failed -> Optional.empty());
    }

    /** A ledger record: its key and its JSON value, in UTF-8. */
    record Entry(byte[] key, byte[] value) {
    }

    /** @param afterJson the JSON text {@code after} was read from, or {@code null} */
    private static Optional<Entry> entry(Outcome outcome, String status, JsonNode before, JsonNode after,
                                         String afterJson, String assignmentId, JsonMapper mapper) {
        JsonNode either = after != null ? after : before;
        Optional<AssignmentTarget> target = either == null ? Optional.empty() : TargetJson.ofAssignment(either);
        if (target.isEmpty() || outcome.tenantId() == null) {
            return Optional.empty();
        }
        String subject = target.get().subjectKey();
        byte[] value = JsonBytes.write(mapper, json -> {
            json.writeStartObject();
            json.writeStringProperty("tenantId", outcome.tenantId().toLowerCase(Locale.ROOT));
            json.writeStringProperty("policyId", outcome.policyId().toLowerCase(Locale.ROOT));
            json.writeStringProperty("subject", subject);
            json.writeStringProperty("rolloutId", outcome.rolloutId());
            json.writeStringProperty("requestId", outcome.requestId());
            json.writeStringProperty("operation", outcome.operation().wireName());
            json.writeStringProperty("status", status);
            json.writeStringProperty("assignmentId", assignmentId);
            json.writeName("before");
            json.writeTree(before);
            json.writeName("after");
            JsonBytes.tree(json, after, afterJson);
            json.writeStringProperty("at", IsoInstant.format(outcome.completedAt()));
            json.writeEndObject();
        });
        return Optional.of(new Entry(key(outcome.tenantId(), outcome.policyId(), subject)
                .getBytes(StandardCharsets.UTF_8), value));
    }
}
