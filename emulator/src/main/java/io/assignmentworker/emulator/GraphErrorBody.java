package io.assignmentworker.emulator;

import java.time.Clock;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import tools.jackson.databind.node.ObjectNode;

/**
 * Renders Graph's error JSON: {@code {"error":{"code","message","innerError":{"request-id","date","client-request-id"}}}}.
 * The date is UTC without fraction or zone letter, exactly as Graph writes it ({@code 2024-06-01T12:00:00}).
 */
final class GraphErrorBody {
    private static final DateTimeFormatter DATE = DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss");

    private GraphErrorBody() {
    }

    static ObjectNode render(String code, String message, RequestIds ids, Clock clock) {
        ObjectNode root = Json.MAPPER.createObjectNode();
        ObjectNode error = root.putObject("error");
        error.put("code", code);
        error.put("message", message);
        ObjectNode inner = error.putObject("innerError");
        inner.put("date", DATE.format(LocalDateTime.now(clock).truncatedTo(ChronoUnit.SECONDS)));
        inner.put("request-id", ids.requestId());
        if (ids.clientRequestIdSent()) {
            inner.put("client-request-id", ids.clientRequestId());
        }
        return root;
    }
}
