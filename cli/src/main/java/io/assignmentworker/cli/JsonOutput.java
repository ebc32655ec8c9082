package io.assignmentworker.cli;

import java.io.PrintStream;
import java.math.BigDecimal;
import java.time.Instant;
import tools.jackson.databind.SerializationFeature;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * The {@code -o json} documents, one per command run, as {@code schemas/iaw-output.schema.json} describes them.
 * Every document has a {@code kind}; fields are only ever added, so pipelines that ignore what they do not know
 * keep working.
 */
final class JsonOutput {

    private static final JsonMapper MAPPER = JsonMapper.builder().enable(SerializationFeature.INDENT_OUTPUT).build();

    private JsonOutput() {
    }

    /** A new document of {@code kind}. */
    static ObjectNode document(String kind) {
        ObjectNode document = MAPPER.createObjectNode();
        document.put("kind", kind);
        return document;
    }

    static ArrayNode array() {
        return MAPPER.createArrayNode();
    }

    /** Prints the document on {@code out}, alone: stdout then carries nothing but JSON. */
    static void print(PrintStream out, ObjectNode document) {
        out.println(MAPPER.writeValueAsString(document));
        out.flush();
    }

    /** A rollout's counts into {@code node}: the fields of {@code status}, {@code submit --wait} and {@code list}. */
    static ObjectNode rollout(ObjectNode node, RolloutView view) {
        node.put("rolloutId", view.rolloutId());
        node.put("description", view.description());
        if (view.expectedCount() == null) {
            node.putNull("expectedCount");
        } else {
            node.put("expectedCount", view.expectedCount());
        }
        node.put("total", view.total());
        node.put("created", view.created());
        node.put("alreadyExisted", view.alreadyExisted());
        node.put("failed", view.failed());
        node.put("removed", view.removed());
        node.put("updated", view.updated());
        node.put("unchanged", view.unchanged());
        ObjectNode categories = node.putObject("failedByCategory");
        view.failedByCategory().forEach(categories::put);
        if (view.duration() == null) {
            node.putNull("durationSeconds");
        } else {
            node.put("durationSeconds", BigDecimal.valueOf(view.duration().toMillis(), 3));
        }
        node.put("complete", view.complete());
        node.put("state", state(view));
        node.put("countedBy", view.counted() ? "iaw" : "worker");
        return node;
    }

    /** {@code succeeded}, {@code failed} (complete, some failed), {@code inProgress}, {@code unknownSize}. */
    static String state(RolloutView view) {
        if (view.complete()) {
            return view.failed() == 0 ? "succeeded" : "failed";
        }
        return view.expectedCount() == null ? "unknownSize" : "inProgress";
    }

    static void instant(ObjectNode node, String field, Instant instant) {
        if (instant == null) {
            node.putNull(field);
        } else {
            node.put(field, instant.toString());
        }
    }
}
