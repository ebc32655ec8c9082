package io.assignmentworker.graph;

import io.assignmentworker.outcome.ErrorCategory;
import java.net.ConnectException;
import java.net.http.HttpConnectTimeoutException;
import java.net.http.HttpTimeoutException;
import java.time.Clock;
import java.time.Duration;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * The one place that decides what a Graph failure means: transient (429, 5xx, I/O — try again, honour
 * Retry-After), permanent (other 4xx — fail at once) and whether a failed write may have happened anyway.
 * Decisions use the HTTP status and {@code error.code}, never the message text.
 */
public final class GraphErrors {

    /** The code Intune answers with in tenants that refuse the documented create route. */
    static final String ROUTE_REFUSED_CODE = "No method match route template";
    static final String PERMISSION = "DeviceManagementConfiguration.ReadWrite.All";

    private final JsonMapper mapper;
    private final Clock clock;

    public GraphErrors(JsonMapper mapper, Clock clock) {
        this.mapper = mapper;
        this.clock = clock;
    }

    /** Classifies an HTTP answer that was not a success. */
    public GraphError fromResponse(int status, String body, String retryAfterHeader, String requestIdHeader,
                                   CallKind kind) {
        ErrorBody parsed = parse(body, status);
        String requestId = parsed.requestId() != null ? parsed.requestId() : requestIdHeader;
        Duration retryAfter = RetryAfter.parse(retryAfterHeader, clock).orElse(null);
        boolean write = kind == CallKind.WRITE;
        String message = parsed.message();
        ErrorCategory category;
        boolean transientError = false;
        boolean ambiguous = false;
        if (status == 429) {
            category = ErrorCategory.THROTTLED;
            transientError = true;
        } else if (status >= 500) {
            category = ErrorCategory.UNAVAILABLE;
            transientError = true;
            ambiguous = write;
        } else if (status == 401) {
            category = ErrorCategory.AUTHENTICATION;
        } else if (status == 403) {
            category = ErrorCategory.FORBIDDEN;
            message = "Graph refused the app (" + message + "). Grant the application permission " + PERMISSION
                    + " with admin consent.";
        } else if (status == 404) {
            category = ErrorCategory.NOT_FOUND;
        } else if (status == 400 && ROUTE_REFUSED_CODE.equals(parsed.code())) {
            category = ErrorCategory.ROUTE_REFUSED;
        } else if (status == 400) {
            category = ErrorCategory.BAD_REQUEST;
        } else {
            category = ErrorCategory.GRAPH_ERROR;
        }
        return new GraphError(category, status, parsed.code(), message, transientError, ambiguous, retryAfter,
                requestId);
    }

    /** Classifies a call that got no HTTP answer. */
    public GraphError fromException(Throwable failure, CallKind kind) {
        boolean neverSent = failure instanceof ConnectException || failure instanceof HttpConnectTimeoutException;
        String code = failure instanceof HttpTimeoutException ? "Timeout" : "IOError";
        String detail = failure.getMessage() == null ? failure.getClass().getSimpleName() : failure.getMessage();
        return new GraphError(ErrorCategory.UNAVAILABLE, null, code, "no answer from Graph: " + detail, true,
                kind == CallKind.WRITE && !neverSent, null, null);
    }

    private record ErrorBody(String code, String message, String requestId) {
    }

    /**
     * What of Graph's error is carried into an outcome: enough for a person and for Microsoft support, and never so
     * much that the result record could not be published.
     */
    private static final int MAX_MESSAGE = 2_000;
    private static final int MAX_CODE = 200;

    private static String cut(String value, int max) {
        return value == null || value.length() <= max ? value : value.substring(0, max) + "…";
    }

    private ErrorBody parse(String body, int status) {
        try {
            JsonNode error = mapper.readTree(body).path("error");
            if (error.isObject()) {
                JsonNode inner = error.path("innerError").isObject() ? error.path("innerError")
                        : error.path("innererror");
                return new ErrorBody(cut(error.path("code").asString("HTTP" + status), MAX_CODE),
                        cut(error.path("message").asString(""), MAX_MESSAGE),
                        cut(inner.path("request-id").asString(null), MAX_CODE));
            }
        } catch (RuntimeException notGraphJson) {
            // A proxy or gateway answered; fall through to a generic description.
        }
        String excerpt = body == null ? "" : body.strip();
        excerpt = excerpt.length() > 200 ? excerpt.substring(0, 200) + "…" : excerpt;
        return new ErrorBody("HTTP" + status, excerpt.isEmpty() ? "HTTP " + status : excerpt, null);
    }
}
