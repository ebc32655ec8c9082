package io.assignmentworker.emulator;

import java.util.Map;
import tools.jackson.databind.JsonNode;

/** A successful Graph reply before correlation headers are added. */
record GraphReply(int status, JsonNode body, Map<String, String> headers) {

    static GraphReply ok(JsonNode body) {
        return new GraphReply(200, body, Map.of());
    }

    boolean succeeded() {
        return status >= 200 && status < 300;
    }
}
