package io.assignmentworker.cli;

import java.nio.file.Path;
import java.util.List;
import java.util.Locale;

/** The two file formats: CSV with a header row, and JSON Lines. */
enum InputFormat {
    CSV, JSONL;

    /** The columns of the CSV header and the fields of a flat JSON line, in the order files are written. */
    static final List<String> COLUMNS = List.of("tenantId", "policyId", "targetType", "groupId", "collectionId",
            "filterId", "filterType", "source", "sourceId", "operation");

    /** The column {@code failures} adds with the reason; {@code submit} ignores it. */
    static final String ERROR_COLUMN = "error";

    /** From the file name: {@code .jsonl}, {@code .ndjson} and {@code .json} are JSON Lines, the rest CSV. */
    static InputFormat of(Path file) {
        String name = file.getFileName().toString().toLowerCase(Locale.ROOT);
        return name.endsWith(".jsonl") || name.endsWith(".ndjson") || name.endsWith(".json") ? JSONL : CSV;
    }

    static InputFormat parse(String value) {
        return switch (value.toLowerCase(Locale.ROOT)) {
            case "csv" -> CSV;
            case "jsonl", "ndjson", "json" -> JSONL;
            default -> throw CliException.usage("--format must be csv or jsonl, got '" + value + "'");
        };
    }
}
