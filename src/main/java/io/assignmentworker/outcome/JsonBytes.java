package io.assignmentworker.outcome;

import java.io.ByteArrayOutputStream;
import java.util.function.Consumer;
import tools.jackson.core.JsonGenerator;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.ObjectMapper;

/**
 * JSON written straight to bytes by a streaming generator. Every request writes three documents (its result, its
 * ledger entry, the rollout tracker's event) and the tracker one status per event: building a tree of nodes first
 * and walking it again doubled what they cost.
 */
public final class JsonBytes {

    /** A result with its assignment is about 700 bytes: room for it without growing. */
    private static final int INITIAL_BYTES = 1_024;

    private JsonBytes() {
    }

    /** The bytes {@code writer} writes; a {@code null} tree or string it writes is written as JSON null. */
    public static byte[] write(ObjectMapper mapper, Consumer<JsonGenerator> writer) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(INITIAL_BYTES);
        try (JsonGenerator json = mapper.createGenerator(out)) {
            writer.accept(json);
        }
        return out.toByteArray();
    }

    /**
     * A tree, or the JSON text it was read from when there is one: written as it is, a copy, where the tree would
     * be walked and every string escaped again (in a flight recording of the latency-bound benchmark, half of what
     * a result cost to write).
     */
    public static JsonGenerator tree(JsonGenerator json, JsonNode tree, String readFrom) {
        return readFrom != null ? json.writeRawValue(readFrom) : json.writeTree(tree);
    }

    /** {@code name}: {@code value} as a JSON number (integral for Integer and Long), or null. */
    public static void numberOrNull(JsonGenerator json, String name, Number value) {
        json.writeName(name);
        if (value == null) {
            json.writeNull();
        } else if (value instanceof Integer || value instanceof Long) {
            json.writeNumber(value.longValue());
        } else {
            json.writeNumber(value.doubleValue());
        }
    }
}
