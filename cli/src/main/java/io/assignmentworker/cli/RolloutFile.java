package io.assignmentworker.cli;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.MalformedInputException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import tools.jackson.core.JacksonException;
import tools.jackson.core.StreamReadFeature;
import tools.jackson.core.json.JsonFactory;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

/**
 * Reads a rollout file, CSV or JSON Lines, into one request per line (without requestId and rolloutId yet).
 * Blank lines, and in CSV lines starting with {@code #}, are skipped but counted, so every line number is the
 * number an editor shows.
 */
final class RolloutFile {

    private static final JsonMapper STRICT = JsonMapper.builder(JsonFactory.builder()
            .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION).build()).build();

    /**
     * One line of the file.
     *
     * @param number   the line number, 1-based
     * @param request  the request built from it, or null when the line could not be read at all
     * @param columns  whether it was given as columns (CSV, flat JSON) rather than as request JSON
     * @param problems what is wrong before the worker's validation looks at it
     */
    record Line(int number, ObjectNode request, boolean columns, List<String> problems) {
    }

    /** A file read: its format and its lines. */
    record Parsed(InputFormat format, List<Line> lines) {
    }

    private RolloutFile() {
    }

    /** {@code -}: the requests come on stdin, as with {@code kubectl apply -f -}. */
    static final String STDIN = "-";

    /** @param stdin read instead of the file when it is {@code -} */
    static Parsed read(Path file, InputStream stdin) {
        List<String> text = lines(file, stdin);
        InputFormat format = detect(file, text);
        List<Line> lines = format == InputFormat.CSV ? csv(text) : jsonLines(text);
        if (lines.isEmpty()) {
            throw CliException.usage(shown(file) + ": no requests in the file");
        }
        return new Parsed(format, lines);
    }

    static boolean isStdin(Path file) {
        return file.toString().equals(STDIN);
    }

    /** The file's name, for rollout ids and descriptions; {@code stdin} for {@code -}. */
    static String name(Path file) {
        return isStdin(file) ? "stdin" : file.getFileName().toString();
    }

    /** The file as messages show it; {@code stdin} for {@code -}. */
    static String shown(Path file) {
        return isStdin(file) ? "stdin" : file.toString();
    }

    private static List<String> lines(Path file, InputStream stdin) {
        try {
            List<String> lines = new ArrayList<>(isStdin(file) ? readAll(stdin) : Files.readAllLines(file,
                    StandardCharsets.UTF_8));
            if (!lines.isEmpty() && lines.get(0).startsWith("\uFEFF")) {
                lines.set(0, lines.get(0).substring(1));
            }
            return lines;
        } catch (NoSuchFileException e) {
            throw CliException.usage(file + ": no such file");
        } catch (MalformedInputException e) {
            throw CliException.usage(shown(file) + ": not UTF-8 text");
        } catch (IOException e) {
            throw CliException.usage(shown(file) + ": cannot read it (" + e.getMessage() + ")");
        }
    }

    /** Strict UTF-8, as {@link Files#readAllLines} reads a file. */
    private static List<String> readAll(InputStream stdin) throws IOException {
        var decoder = StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                .onUnmappableCharacter(CodingErrorAction.REPORT);
        try (BufferedReader reader = new BufferedReader(new InputStreamReader(stdin, decoder))) {
            return reader.lines().toList();
        } catch (UncheckedIOException e) {
            throw e.getCause();
        }
    }

    private static InputFormat detect(Path file, List<String> lines) {
        if (isStdin(file)) {
            return sniff(lines);
        }
        String name = file.getFileName().toString().toLowerCase(Locale.ROOT);
        if (name.endsWith(".csv")) {
            return InputFormat.CSV;
        }
        if (InputFormat.of(file) == InputFormat.JSONL) {
            return InputFormat.JSONL;
        }
        return sniff(lines);
    }

    /** JSON Lines when the first line that is not blank starts with {@code {}, else CSV. */
    private static InputFormat sniff(List<String> lines) {
        return lines.stream().filter(l -> !l.isBlank()).findFirst().filter(l -> l.strip().startsWith("{"))
                .map(l -> InputFormat.JSONL).orElse(InputFormat.CSV);
    }

    private static List<Line> csv(List<String> text) {
        int headerIndex = 0;
        while (headerIndex < text.size() && skipped(text.get(headerIndex))) {
            headerIndex++;
        }
        if (headerIndex == text.size()) {
            return List.of();
        }
        List<String> header = header(text.get(headerIndex), headerIndex + 1);
        List<Line> lines = new ArrayList<>();
        for (int i = headerIndex + 1; i < text.size(); i++) {
            if (!skipped(text.get(i))) {
                lines.add(csvLine(i + 1, header, text.get(i)));
            }
        }
        return lines;
    }

    private static boolean skipped(String line) {
        return line.isBlank() || line.stripLeading().startsWith("#");
    }

    private static List<String> header(String line, int number) {
        List<String> header = CsvCodec.parse(line).stream().map(String::strip).toList();
        Set<String> seen = new HashSet<>();
        for (String column : header) {
            if (!InputFormat.COLUMNS.contains(column) && !InputFormat.ERROR_COLUMN.equals(column)) {
                throw CliException.usage("line " + number + ": unknown column '" + column + "' in the header; the "
                        + "columns are " + String.join(",", InputFormat.COLUMNS) + " (policyId and targetType "
                        + "required, the others optional, any order)");
            }
            if (!seen.add(column)) {
                throw CliException.usage("line " + number + ": column '" + column + "' appears twice in the header");
            }
        }
        if (!seen.contains("policyId") || !seen.contains("targetType")) {
            throw CliException.usage("line " + number + ": the header needs the columns policyId and targetType; "
                    + "got " + String.join(",", header));
        }
        return header;
    }

    private static Line csvLine(int number, List<String> header, String text) {
        List<String> cells;
        try {
            cells = CsvCodec.parse(text);
        } catch (IllegalArgumentException e) {
            return new Line(number, null, true, List.of(e.getMessage()));
        }
        if (cells.size() > header.size()) {
            return new Line(number, null, true, List.of(cells.size() + " fields, but the header has "
                    + header.size() + " columns"));
        }
        Map<String, String> columns = new HashMap<>();
        for (int i = 0; i < cells.size(); i++) {
            String value = cells.get(i).strip();
            if (!value.isEmpty() && !InputFormat.ERROR_COLUMN.equals(header.get(i))) {
                columns.put(header.get(i), value);
            }
        }
        List<String> problems = new ArrayList<>();
        ObjectNode request = RequestJson.fromColumns(columns, problems);
        return new Line(number, request, true, problems);
    }

    private static List<Line> jsonLines(List<String> text) {
        List<Line> lines = new ArrayList<>();
        for (int i = 0; i < text.size(); i++) {
            if (!text.get(i).isBlank()) {
                lines.add(jsonLine(i + 1, text.get(i)));
            }
        }
        return lines;
    }

    private static Line jsonLine(int number, String text) {
        JsonNode node;
        try {
            node = STRICT.readTree(text);
        } catch (JacksonException e) {
            return new Line(number, null, false, List.of("not valid JSON: " + e.getOriginalMessage()));
        }
        if (node == null || !node.isObject()) {
            return new Line(number, null, false, List.of("not a JSON object"));
        }
        ObjectNode object = (ObjectNode) node;
        object.remove(InputFormat.ERROR_COLUMN);
        return object.has("assignment") ? requestLike(number, object) : flat(number, object);
    }

    private static Line requestLike(int number, ObjectNode object) {
        List<String> problems = new ArrayList<>();
        for (String field : List.of("requestId", "rolloutId")) {
            if (object.has(field) && !object.get(field).isNull()) {
                problems.add(field + ": is set by the tool (<rolloutId>/<line number>, --rollout-id); remove it");
            }
            object.remove(field);
        }
        return new Line(number, object, false, problems);
    }

    private static Line flat(int number, ObjectNode object) {
        List<String> problems = new ArrayList<>();
        Map<String, String> columns = new HashMap<>();
        for (String field : object.propertyNames()) {
            JsonNode value = object.get(field);
            if (!InputFormat.COLUMNS.contains(field)) {
                problems.add(field + ": unknown field; a line is a request with \"assignment\", or the fields "
                        + String.join(", ", InputFormat.COLUMNS));
            } else if (value.isString() && !value.stringValue().isBlank()) {
                columns.put(field, value.stringValue().strip());
            } else if (!value.isNull() && !value.isString()) {
                problems.add(field + ": must be a string");
            }
        }
        ObjectNode request = RequestJson.fromColumns(columns, problems);
        return new Line(number, request, true, problems);
    }
}
