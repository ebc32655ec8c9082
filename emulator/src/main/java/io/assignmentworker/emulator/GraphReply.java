package io.assignmentworker.emulator;

import java.util.Map;
import tools.jackson.databind.JsonNode;

/** A Graph reply before correlation headers are added; {@code body} is null for a reply without a body. */
record GraphReply(int status, JsonNode body, Map<String, String> headers) {

    static GraphReply ok(JsonNode body) {
        return new GraphReply(200, body, Map.of());
    }

    /** 200 with a {@code text/plain} body, as Graph answers {@code $count}. */
    static GraphReply text(String text) {
        return new GraphReply(200, Json.MAPPER.getNodeFactory().stringNode(text), Map.of("Content-Type",
                "text/plain"));
    }

    /** 200 with no body at all, as Graph has been seen to answer {@code /assign}. */
    static GraphReply okWithoutBody() {
        return new GraphReply(200, null, Map.of());
    }

    boolean succeeded() {
        return status >= 200 && status < 300;
    }
}
