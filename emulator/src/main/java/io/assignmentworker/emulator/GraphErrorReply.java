package io.assignmentworker.emulator;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A Graph error reply, thrown from anywhere in the request pipeline and rendered once by {@link GraphHandler}.
 * Stack traces are not captured: these are expected outcomes, not bugs.
 */
final class GraphErrorReply extends RuntimeException {
    private final int status;
    private final String code;
    private final Map<String, String> headers;

    GraphErrorReply(int status, String code, String message) {
        this(status, code, message, Map.of());
    }

    GraphErrorReply(int status, String code, String message, Map<String, String> headers) {
        super(message, null, false, false);
        this.status = status;
        this.code = code;
        this.headers = Map.copyOf(new LinkedHashMap<>(headers));
    }

    static GraphErrorReply badRequest(String message) {
        return new GraphErrorReply(400, "BadRequest", message);
    }

    static GraphErrorReply notFound(String message) {
        return new GraphErrorReply(404, "ResourceNotFound", message);
    }

    /** The error Graph uses for a status when nothing more specific applies (used by fault injection). */
    static GraphErrorReply forStatus(int status, String message) {
        return new GraphErrorReply(status, defaultCode(status), message);
    }

    static String defaultCode(int status) {
        return switch (status) {
            case 400 -> "BadRequest";
            case 401 -> "InvalidAuthenticationToken";
            case 403 -> "Forbidden";
            case 404 -> "ResourceNotFound";
            case 405 -> "MethodNotAllowed";
            case 409 -> "Conflict";
            case 412 -> "PreconditionFailed";
            case 413 -> "RequestEntityTooLarge";
            case 429 -> "TooManyRequests";
            case 500 -> "InternalServerError";
            case 501 -> "NotImplemented";
            case 502 -> "BadGateway";
            case 503 -> "ServiceUnavailable";
            case 504 -> "GatewayTimeout";
            default -> status < 500 ? "BadRequest" : "InternalServerError";
        };
    }

    int status() {
        return status;
    }

    String code() {
        return code;
    }

    Map<String, String> headers() {
        return headers;
    }
}
