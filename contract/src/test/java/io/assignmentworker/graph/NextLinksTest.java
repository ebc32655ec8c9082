package io.assignmentworker.graph;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.NullSource;
import org.junit.jupiter.params.provider.ValueSource;

/** A next link carries the bearer token wherever it points: only Graph's own origin is followed. */
class NextLinksTest {

    private static final URI GRAPH = URI.create("https://graph.microsoft.com/beta");

    @ParameterizedTest
    @ValueSource(strings = {
            "https://graph.microsoft.com/beta/deviceManagement/deviceCompliancePolicies/p/assignments?$skiptoken=2",
            "https://GRAPH.microsoft.com/beta/x"})
    void followsALinkOnGraphsOrigin(String link) {
        assertThat(NextLinks.followable(GRAPH, link)).contains(URI.create(link));
    }

    @ParameterizedTest
    @NullSource
    @ValueSource(strings = {
            "https://evil.example/beta/x", "http://graph.microsoft.com/beta/x", "https://graph.microsoft.com:8443/x",
            "/beta/x?$skiptoken=2", "https://graph.microsoft.com.evil.example/x", "not a url", "https://"})
    void followsNothingElse(String link) {
        assertThat(NextLinks.followable(GRAPH, link)).isEmpty();
    }
}
