package io.assignmentworker.cli;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * Writes failed requests in the input formats, so the file can be fixed and submitted again. Each line also
 * carries why it failed: the {@code error} column (CSV) or field (JSON Lines), which {@code submit} ignores.
 */
final class FailureFile {

    /** A failed request: the request as it was published and the error of its result. */
    record Failure(JsonNode request, JsonNode error) {
    }

    private FailureFile() {
    }

    static void write(Path file, InputFormat format, List<Failure> failures) {
        write(file, format, failures, null);
    }

    /** @param stdout where {@code -} writes */
    static void write(Path file, InputFormat format, List<Failure> failures, PrintStream stdout) {
        List<String> lines = new ArrayList<>();
        if (format == InputFormat.CSV) {
            List<String> header = new ArrayList<>(InputFormat.COLUMNS);
            header.add(InputFormat.ERROR_COLUMN);
            lines.add(String.join(",", header));
            failures.forEach(f -> lines.add(csvLine(f)));
        } else {
            failures.forEach(f -> lines.add(jsonLine(f)));
        }
        if (RolloutFile.isStdin(file)) {
            lines.forEach(stdout::println);
            stdout.flush();
            return;
        }
        try {
            Files.write(file, lines, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw CliException.usage("--out: cannot write " + file + " (" + e.getMessage() + ")");
        }
    }

    private static String csvLine(Failure failure) {
        Map<String, String> columns = RequestJson.toColumns(failure.request());
        List<String> cells = new ArrayList<>();
        InputFormat.COLUMNS.forEach(c -> cells.add(columns.get(c)));
        cells.add(reason(failure.error()));
        return CsvCodec.format(cells);
    }

    private static String jsonLine(Failure failure) {
        ObjectNode request = RequestJson.MAPPER.createObjectNode();
        failure.request().properties().forEach(e -> {
            if (!e.getKey().equals("requestId") && !e.getKey().equals("rolloutId")) {
                request.set(e.getKey(), e.getValue());
            }
        });
        request.put(InputFormat.ERROR_COLUMN, reason(failure.error()));
        return RequestJson.MAPPER.writeValueAsString(request);
    }

    /** {@code NOT_FOUND 404 ResourceNotFound: Resource not found: no deviceCompliancePolicy with id …}. */
    static String reason(JsonNode error) {
        StringBuilder text = new StringBuilder(error.path("category").asString("FAILED"));
        if (error.path("httpStatus").isNumber()) {
            text.append(' ').append(error.path("httpStatus").asInt());
        }
        String code = error.path("code").asString(null);
        if (code != null && !code.isBlank()) {
            text.append(' ').append(code);
        }
        String message = readable(error.path("message").asString(""));
        if (!message.isBlank()) {
            text.append(": ").append(message);
        }
        return text.length() > 500 ? text.substring(0, 500) + "…" : text.toString();
    }

    /** Intune puts a serialized document into {@code message}; its {@code Message}, without the support ids, reads. */
    private static String readable(String message) {
        String text = message;
        if (message.startsWith("{")) {
            JsonNode document = RolloutLookup.json(message.getBytes(StandardCharsets.UTF_8));
            text = document == null ? message : document.path("Message").asString(message);
        }
        int supportIds = text.indexOf(" - Operation ID");
        return (supportIds > 0 ? text.substring(0, supportIds) : text).replaceAll("\\s+", " ").strip();
    }
}
