package io.assignmentworker.outcome;

import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

/** Writes an {@link Outcome} as the published result JSON (see {@code schemas/assignment-result.schema.json}). */
public final class OutcomeJson {

    private final JsonMapper mapper;

    public OutcomeJson(JsonMapper mapper) {
        this.mapper = mapper;
    }

    /** The ownership ledger's record of what the outcome changed in Graph, if it changed anything. */
    java.util.Optional<ChangeRecord.Entry> ledgerEntry(Outcome outcome) {
        return ChangeRecord.of(outcome, mapper);
    }

    public byte[] toBytes(Outcome outcome) {
        return mapper.writeValueAsBytes(toJson(outcome));
    }

    public ObjectNode toJson(Outcome outcome) {
        ObjectNode json = mapper.createObjectNode();
        json.put("requestId", outcome.requestId());
        json.put("rolloutId", outcome.rolloutId());
        json.put("tenantId", outcome.tenantId());
        json.put("policyId", outcome.policyId());
        json.put("operation", outcome.operation() == null ? null : outcome.operation().wireName());
        json.put("status", outcome.statusName());
        outcome.map(created -> {
            json.put("assignmentId", created.assignmentId());
            json.put("alreadyExisted", created.alreadyExisted());
            return json.set("assignment", created.assignment());
        }, changed -> {
            // Absent rather than null: consumers of before operations read assignmentId as a string and
            // assignment as an object whenever they are there.
            if (changed.assignmentId() != null) {
                json.put("assignmentId", changed.assignmentId());
            }
            if (changed.assignment() != null) {
                json.set("assignment", changed.assignment());
            }
            if (changed.previous() != null) {
                json.set("previous", changed.previous());
            }
            return json;
        }, failed -> json.set("error", error(failed.error())));
        json.put("attempts", outcome.attempts());
        json.put("receivedAt", outcome.receivedAt().toString());
        json.put("completedAt", outcome.completedAt().toString());
        ObjectNode source = json.putObject("source");
        source.put("topic", outcome.source().topic());
        source.put("partition", outcome.source().partition());
        source.put("offset", outcome.source().offset());
        return json;
    }

    private ObjectNode error(OutcomeError error) {
        ObjectNode json = mapper.createObjectNode();
        json.put("category", error.category().name());
        json.put("httpStatus", error.httpStatus());
        json.put("code", error.code());
        json.put("message", error.message());
        json.put("retryable", error.retryable());
        json.put("graphRequestId", error.graphRequestId());
        return json;
    }
}
