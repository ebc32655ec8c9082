package io.assignmentworker.cli;

import com.networknt.schema.Error;
import com.networknt.schema.Schema;
import com.networknt.schema.SchemaRegistry;
import com.networknt.schema.SpecificationVersion;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * {@code schemas/iaw-output.schema.json}, as a pipeline would check {@code iaw … -o json} against it. Tests run
 * from the top level, where {@code schemas/} is.
 */
final class OutputSchema {

    static final Path FILE = Path.of("schemas", "iaw-output.schema.json");
    static final Path EXAMPLES = Path.of("schemas", "iaw-examples");
    private static final JsonMapper MAPPER = JsonMapper.builder().build();
    private static final Schema SCHEMA = SchemaRegistry.withDefaultDialect(SpecificationVersion.DRAFT_2020_12)
            .getSchema(read(FILE));

    private OutputSchema() {
    }

    /** The violations of a document; empty when it is valid. */
    static List<String> violations(JsonNode document) {
        return SCHEMA.validate(document).stream().map(Error::toString).toList();
    }

    /**
     * Stdout of a {@code -o json} run: exactly one JSON document, nothing else.
     *
     * @throws AssertionError when stdout is not one JSON document
     */
    static JsonNode document(CliRun run) {
        try {
            JsonNode document = MAPPER.readTree(run.out());
            if (document == null || !document.isObject()) {
                throw new AssertionError("stdout is not one JSON object:\n" + run.transcript());
            }
            return document;
        } catch (RuntimeException e) {
            throw new AssertionError("stdout is not JSON (" + e.getMessage() + "):\n" + run.transcript(), e);
        }
    }

    static JsonNode read(Path path) {
        try {
            return MAPPER.readTree(Files.readString(path));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
