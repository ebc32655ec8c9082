package io.assignmentworker.support;

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

/** The published JSON Schemas in {@code schemas/}, as upstream and downstream systems would use them. */
public final class Schemas {

    private static final JsonMapper MAPPER = JsonMapper.builder().build();
    public static final Schema REQUEST = load("assignment-request.schema.json");
    public static final Schema RESULT = load("assignment-result.schema.json");
    public static final Schema ROLLOUT_STATUS = load("rollout-status.schema.json");
    public static final Schema ROLLOUT_MANIFEST = load("rollout-manifest.schema.json");
    public static final Schema LEDGER_ENTRY = load("ledger-entry.schema.json");

    private Schemas() {
    }

    public static List<String> violations(Schema schema, JsonNode json) {
        return schema.validate(json).stream().map(Error::toString).toList();
    }

    public static JsonNode read(Path path) {
        try {
            return MAPPER.readTree(Files.readString(path));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static Schema load(String name) {
        SchemaRegistry registry = SchemaRegistry.withDefaultDialect(SpecificationVersion.DRAFT_2020_12);
        return registry.getSchema(read(Path.of("schemas", name)));
    }
}
