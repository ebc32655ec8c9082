package io.assignmentworker.graph;

import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Graph's error reply, {@code {"error":{"code","message","innerError":{"request-id",…}}}}, read the one way the
 * worker and the command-line tool both need. A reply that is not Graph's JSON (a proxy or gateway answered) gives
 * {@code HTTP<status>} and an excerpt. What is kept is cut to fit a result record: enough for a person and for
 * Microsoft support.
 *
 * @param code      Graph's {@code error.code}, or {@code HTTP<status>}
 * @param message   Graph's {@code error.message}, or an excerpt of the body
 * @param requestId Graph's {@code request-id}, or {@code null}
 */
public record GraphErrorJson(String code, String message, String requestId) {

    static final int MAX_MESSAGE = 2_000;
    static final int MAX_CODE = 200;
    private static final int MAX_EXCERPT = 200;

    public static GraphErrorJson parse(JsonMapper mapper, String body, int status) {
        try {
            JsonNode error = mapper.readTree(body).path("error");
            if (error.isObject()) {
                JsonNode inner = error.path("innerError").isObject() ? error.path("innerError")
                        : error.path("innererror");
                return new GraphErrorJson(cut(error.path("code").asString("HTTP" + status), MAX_CODE),
                        cut(error.path("message").asString(""), MAX_MESSAGE),
                        cut(inner.path("request-id").asString(null), MAX_CODE));
            }
        } catch (RuntimeException notGraphJson) {
            // A proxy or gateway answered; fall through to a generic description.
        }
        String excerpt = body == null ? "" : body.strip();
        excerpt = excerpt.length() > MAX_EXCERPT ? excerpt.substring(0, MAX_EXCERPT) + "…" : excerpt;
        return new GraphErrorJson("HTTP" + status, excerpt.isEmpty() ? "HTTP " + status : excerpt, null);
    }

    /** {@code value} cut to {@code max} characters, marked with an ellipsis where it was cut. */
    public static String cut(String value, int max) {
        return value == null || value.length() <= max ? value : value.substring(0, max) + "…";
    }
}
