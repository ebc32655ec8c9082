package io.assignmentworker.graph;

import io.assignmentworker.outcome.ErrorCategory;
import java.net.ConnectException;
import java.net.http.HttpConnectTimeoutException;
import java.net.http.HttpTimeoutException;
import java.time.Clock;
import java.time.Duration;
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
        GraphErrorJson parsed = GraphErrorJson.parse(mapper, body, status);
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
}
