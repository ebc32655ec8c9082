package io.assignmentworker.cli;

import java.util.ArrayList;
import java.util.List;

/**
 * One line of CSV as RFC 4180 writes it: comma-separated, fields with commas, quotes or leading/trailing
 * spaces in double quotes, a quote inside doubled. A field may not span lines, so line numbers stay line numbers.
 */
final class CsvCodec {

    private CsvCodec() {
    }

    /** @throws IllegalArgumentException when a quoted field is not closed or text follows its closing quote */
    static List<String> parse(String line) {
        List<String> cells = new ArrayList<>();
        StringBuilder cell = new StringBuilder();
        int i = 0;
        while (true) {
            if (i < line.length() && line.charAt(i) == '"') {
                i = quoted(line, i + 1, cell);
            } else {
                while (i < line.length() && line.charAt(i) != ',') {
                    cell.append(line.charAt(i++));
                }
            }
            cells.add(cell.toString());
            cell.setLength(0);
            if (i >= line.length()) {
                return cells;
            }
            i++; // the comma
        }
    }

    /** Reads a quoted field from {@code i} (after the opening quote); returns the index after its closing quote. */
    private static int quoted(String line, int i, StringBuilder cell) {
        while (true) {
            if (i >= line.length()) {
                throw new IllegalArgumentException("a quoted field is not closed (fields cannot span lines)");
            }
            char c = line.charAt(i++);
            if (c != '"') {
                cell.append(c);
            } else if (i < line.length() && line.charAt(i) == '"') {
                cell.append('"');
                i++;
            } else {
                if (i < line.length() && line.charAt(i) != ',') {
                    throw new IllegalArgumentException("unexpected text after a closing quote");
                }
                return i;
            }
        }
    }

    static String format(List<String> cells) {
        List<String> quoted = new ArrayList<>(cells.size());
        for (String cell : cells) {
            String value = cell == null ? "" : cell.replace('\n', ' ').replace('\r', ' ');
            boolean quote = value.contains(",") || value.contains("\"") || !value.equals(value.strip());
            quoted.add(quote ? "\"" + value.replace("\"", "\"\"") + "\"" : value);
        }
        return String.join(",", quoted);
    }
}
