package io.assignmentworker.outcome;

import tools.jackson.core.JsonGenerator;
import tools.jackson.databind.json.JsonMapper;

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
        return JsonBytes.write(mapper, json -> write(outcome, json));
    }

    private static void write(Outcome outcome, JsonGenerator json) {
        json.writeStartObject();
        json.writeStringProperty("requestId", outcome.requestId());
        json.writeStringProperty("rolloutId", outcome.rolloutId());
        json.writeStringProperty("tenantId", outcome.tenantId());
        json.writeStringProperty("policyId", outcome.policyId());
        json.writeStringProperty("operation", outcome.operation() == null ? null : outcome.operation().wireName());
        json.writeStringProperty("status", outcome.statusName());
        outcome.map(created -> {
            json.writeStringProperty("assignmentId", created.assignmentId());
            json.writeBooleanProperty("alreadyExisted", created.alreadyExisted());
            json.writeName("assignment");
            return JsonBytes.tree(json, created.assignment(), created.assignmentJson());
        }, changed -> {
            // Absent rather than null: consumers of before operations read assignmentId as a string and
            // assignment as an object whenever they are there.
            if (changed.assignmentId() != null) {
                json.writeStringProperty("assignmentId", changed.assignmentId());
            }
            if (changed.assignment() != null) {
                json.writeName("assignment");
                json.writeTree(changed.assignment());
            }
            if (changed.previous() != null) {
                json.writeName("previous");
                json.writeTree(changed.previous());
            }
            return json;
        }, failed -> {
            json.writeName("error");
            return error(failed.error(), json);
        });
        json.writeNumberProperty("attempts", outcome.attempts());
        json.writeStringProperty("receivedAt", IsoInstant.format(outcome.receivedAt()));
        json.writeStringProperty("completedAt", IsoInstant.format(outcome.completedAt()));
        json.writeName("source");
        json.writeStartObject();
        json.writeStringProperty("topic", outcome.source().topic());
        json.writeNumberProperty("partition", outcome.source().partition());
        json.writeNumberProperty("offset", outcome.source().offset());
        json.writeEndObject();
        json.writeEndObject();
    }

    private static JsonGenerator error(OutcomeError error, JsonGenerator json) {
        json.writeStartObject();
        json.writeStringProperty("category", error.category().name());
        JsonBytes.numberOrNull(json, "httpStatus", error.httpStatus());
        json.writeStringProperty("code", error.code());
        json.writeStringProperty("message", error.message());
        json.writeBooleanProperty("retryable", error.retryable());
        json.writeStringProperty("graphRequestId", error.graphRequestId());
        return json.writeEndObject();
    }
}
