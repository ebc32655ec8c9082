package io.assignmentworker.outcome;

import static org.assertj.core.api.Assertions.assertThat;

import com.networknt.schema.Error;
import com.networknt.schema.Schema;
import com.networknt.schema.SchemaRegistry;
import com.networknt.schema.SpecificationVersion;
import io.assignmentworker.support.Schemas;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Consumers written before operations existed know only CREATED and FAILED: every result of today still carries
 * what the result schema of that time required, with the same types, so they read it; only the status value is
 * new to them (and the schema said to expect new fields). The old schema is kept as it was published.
 */
class ResultCompatibilityTest {

    private static final Schema V1 = v1();

    private static Schema v1() {
        try (InputStream schema = ResultCompatibilityTest.class.getResourceAsStream(
                "/compat/assignment-result.v1.schema.json")) {
            return SchemaRegistry.withDefaultDialect(SpecificationVersion.DRAFT_2020_12)
                    .getSchema(JsonMapper.builder().build().readTree(schema));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static Stream<Path> results() throws IOException {
        return Files.list(Path.of("schemas", "examples")).filter(p -> p.getFileName().toString().startsWith("result"))
                .sorted();
    }

    @ParameterizedTest
    @MethodSource("results")
    void everyResultReadsWithTheSchemaOfBeforeOperationsButForItsNewStatus(Path example) {
        JsonNode result = Schemas.read(example);

        List<String> violations = V1.validate(result).stream().map(Error::toString)
                .filter(violation -> !violation.contains("/status")).toList();

        assertThat(violations).isEmpty();
        assertThat(Schemas.violations(Schemas.RESULT, result)).isEmpty();
    }
}
