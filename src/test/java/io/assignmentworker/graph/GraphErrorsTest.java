package io.assignmentworker.graph;

import static org.assertj.core.api.Assertions.assertThat;

import io.assignmentworker.outcome.ErrorCategory;
import java.io.IOException;
import java.net.ConnectException;
import java.net.http.HttpTimeoutException;
import java.time.Clock;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import tools.jackson.databind.json.JsonMapper;

class GraphErrorsTest {

    private final GraphErrors errors = new GraphErrors(JsonMapper.builder().build(), Clock.systemUTC());

    private static String graphError(String code) {
        return """
                {"error":{"code":"%s","message":"something","innerError":{"request-id":"rid-1",
                "date":"2026-11-28T12:00:00","client-request-id":"cid-1"}}}""".formatted(code);
    }

    @ParameterizedTest(name = "{0} {1} on {2} -> {3}, transient={4}, ambiguous={5}")
    @CsvSource({
            "429, TooManyRequests, WRITE, THROTTLED, true, false",
            "503, ServiceUnavailable, WRITE, UNAVAILABLE, true, true",
            "504, GatewayTimeout, WRITE, UNAVAILABLE, true, true",
            "500, InternalServerError, WRITE, UNAVAILABLE, true, true",
            "503, ServiceUnavailable, READ, UNAVAILABLE, true, false",
            "400, BadRequest, WRITE, BAD_REQUEST, false, false",
            "400, No method match route template, WRITE, ROUTE_REFUSED, false, false",
            "401, InvalidAuthenticationToken, WRITE, AUTHENTICATION, false, false",
            "403, Forbidden, WRITE, FORBIDDEN, false, false",
            "404, ResourceNotFound, WRITE, NOT_FOUND, false, false",
            "409, Conflict, WRITE, GRAPH_ERROR, false, false"})
    void classifiesByStatusAndCode(int status, String code, CallKind kind, ErrorCategory category,
                                   boolean transientError, boolean ambiguous) {
        GraphError error = errors.fromResponse(status, graphError(code), null, "header-rid", kind);

        assertThat(error.category()).isEqualTo(category);
        assertThat(error.transientError()).isEqualTo(transientError);
        assertThat(error.ambiguous()).isEqualTo(ambiguous);
        assertThat(error.code()).isEqualTo(code);
        assertThat(error.graphRequestId()).isEqualTo("rid-1");
    }

    @Test
    void decidesOnTheCodeNotTheMessage() {
        String body = "{\"error\":{\"code\":\"BadRequest\",\"message\":\"No OData route exists that match template\"}}";

        assertThat(errors.fromResponse(400, body, null, null, CallKind.WRITE).category())
                .isEqualTo(ErrorCategory.BAD_REQUEST);
    }

    @Test
    void carriesNoMoreOfAHugeErrorThanAResultCanHold() {
        String body = "{\"error\":{\"code\":\"" + "C".repeat(5_000) + "\",\"message\":\"" + "m".repeat(2_000_000)
                + "\",\"innerError\":{\"request-id\":\"" + "r".repeat(5_000) + "\"}}}";

        GraphError error = errors.fromResponse(400, body, null, null, CallKind.WRITE);

        assertThat(error.message()).hasSizeLessThan(2_100).startsWith("mmm");
        assertThat(error.code()).hasSizeLessThan(300);
        assertThat(error.graphRequestId()).hasSizeLessThan(300);
    }

    @Test
    void keepsRetryAfterOfA429() {
        GraphError error = errors.fromResponse(429, graphError("TooManyRequests"), "2.5", null, CallKind.WRITE);

        assertThat(error.retryAfter()).isEqualTo(Duration.ofMillis(2500));
    }

    @Test
    void namesTheMissingPermissionOn403() {
        GraphError error = errors.fromResponse(403, graphError("Forbidden"), null, null, CallKind.WRITE);

        assertThat(error.message()).contains("DeviceManagementConfiguration.ReadWrite.All");
        assertThat(error.toOutcomeError().retryable()).isTrue();
    }

    @Test
    void describesANonGraphBodyAndFallsBackToTheRequestIdHeader() {
        GraphError error = errors.fromResponse(502, "<html>Bad gateway</html>", null, "header-rid", CallKind.READ);

        assertThat(error.code()).isEqualTo("HTTP502");
        assertThat(error.message()).contains("Bad gateway");
        assertThat(error.graphRequestId()).isEqualTo("header-rid");
    }

    @Test
    void aWriteThatTimedOutMayHaveHappenedButOneNeverConnectedHasNot() {
        assertThat(errors.fromException(new HttpTimeoutException("request timed out"), CallKind.WRITE).ambiguous())
                .isTrue();
        assertThat(errors.fromException(new IOException("connection reset"), CallKind.WRITE).ambiguous()).isTrue();
        assertThat(errors.fromException(new ConnectException("refused"), CallKind.WRITE).ambiguous()).isFalse();
        assertThat(errors.fromException(new IOException("reset"), CallKind.WRITE).transientError()).isTrue();
    }
}
