package io.assignmentworker.request;

import static org.assertj.core.api.Assertions.assertThat;

import io.assignmentworker.support.Schemas;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/** The published schemas and the worker agree: what one accepts, the other accepts. */
class RequestSchemaAgreementTest {

    private static final JsonMapper MAPPER = JsonMapper.builder().build();
    private final RequestDecoder decoder = new RequestDecoder(64 * 1024, 32);

    static Stream<Path> examples() throws IOException {
        return Files.list(Path.of("schemas", "examples")).sorted();
    }

    @ParameterizedTest
    @MethodSource("examples")
    void publishedExamplesMatchTheirSchema(Path example) {
        JsonNode json = Schemas.read(example);
        boolean request = example.getFileName().toString().startsWith("request");

        assertThat(Schemas.violations(request ? Schemas.REQUEST : Schemas.RESULT, json)).isEmpty();
        if (request) {
            assertThat(decoder.decode(json.toString().getBytes(StandardCharsets.UTF_8)))
                    .isInstanceOf(Decoded.Valid.class);
        }
    }

    @ParameterizedTest
    @MethodSource("io.assignmentworker.request.RequestDecoderTest#validTargets")
    void requestsTheWorkerAcceptsMatchTheSchema(String target, TargetType ignored) {
        String json = RequestDecoderTest.request("\"r-1\"", "\"5d1b2c3a-6e7f-4a8b-9c0d-1e2f3a4b5c6d\"", target);

        assertThat(Schemas.violations(Schemas.REQUEST, MAPPER.readTree(json))).isEmpty();
    }

    @ParameterizedTest
    @MethodSource("io.assignmentworker.request.RequestDecoderTest#invalidRequests")
    void requestsTheWorkerRejectsBreakTheSchema(String json, String violation) {
        List<String> violations = Schemas.violations(Schemas.REQUEST, MAPPER.readTree(json));

        assertThat(violations).as("schema should refuse a request the worker rejects with '%s'", violation)
                .isNotEmpty();
    }

    @Test
    void theResultSchemaListsEveryErrorCategory() {
        String schema = Schemas.read(Path.of("schemas", "assignment-result.schema.json")).toString();

        for (io.assignmentworker.outcome.ErrorCategory category : io.assignmentworker.outcome.ErrorCategory.values()) {
            assertThat(schema).contains("\"" + category.name() + "\"");
        }
    }
}
