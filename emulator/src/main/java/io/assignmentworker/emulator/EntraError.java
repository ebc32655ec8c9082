package io.assignmentworker.emulator;

import java.time.Clock;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import tools.jackson.databind.node.ObjectNode;

/**
 * An OAuth error reply of the Entra ID token endpoint, rendered in Entra's shape: {@code error},
 * {@code error_description} (AADSTS text followed by trace, correlation and timestamp), {@code error_codes},
 * {@code timestamp}, {@code trace_id}, {@code correlation_id}, {@code error_uri}.
 */
final class EntraError extends RuntimeException {
    private static final DateTimeFormatter TIMESTAMP = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss'Z'");

    private final int status;
    private final String error;
    private final int aadsts;

    EntraError(int status, String error, int aadsts, String description) {
        super(description, null, false, false);
        this.status = status;
        this.error = error;
        this.aadsts = aadsts;
    }

    static EntraError missingParameter(String name) {
        return new EntraError(400, "invalid_request", 900144,
                "The request body must contain the following parameter: '" + name + "'.");
    }

    int status() {
        return status;
    }

    ObjectNode render(String traceId, String correlationId, Clock clock) {
        String timestamp = TIMESTAMP.format(clock.instant().truncatedTo(ChronoUnit.SECONDS).atOffset(ZoneOffset.UTC));
        ObjectNode body = Json.MAPPER.createObjectNode();
        body.put("error", error);
        body.put("error_description", "AADSTS" + aadsts + ": " + getMessage() + " Trace ID: " + traceId
                + " Correlation ID: " + correlationId + " Timestamp: " + timestamp);
        body.putArray("error_codes").add(aadsts);
        body.put("timestamp", timestamp);
        body.put("trace_id", traceId);
        body.put("correlation_id", correlationId);
        body.put("error_uri", "https://login.microsoftonline.com/error?code=" + aadsts);
        return body;
    }
}
