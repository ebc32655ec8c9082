package io.assignmentworker.process;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.List;

/** Where child processes write their output (under {@code target/}, never the console) and how to show it. */
final class ProcessLogs {

    private static final DateTimeFormatter STAMP = DateTimeFormatter.ofPattern("HHmmss-SSS");

    private ProcessLogs() {
    }

    /** {@code target/process-it}, at the top level (failsafe runs there). */
    static Path root() {
        return Path.of("target").toAbsolutePath().resolve("process-it");
    }

    /** A new, unique log file name such as {@code target/process-it/worker-1-193012-123.log}. */
    static Path newLog(String name) {
        try {
            Files.createDirectories(root());
            return root().resolve(name + "-" + LocalDateTime.now().format(STAMP) + ".log");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The last {@code lines} lines of a log, for failure messages; never throws. */
    static String tail(Path log, int lines) {
        try {
            if (!Files.exists(log)) {
                return "(no log at " + log + ")";
            }
            // Decoding leniently: a process killed mid-write can leave half a character behind.
            List<String> all = List.of(new String(Files.readAllBytes(log), StandardCharsets.UTF_8)
                    .split("\n"));
            List<String> last = all.subList(Math.max(0, all.size() - lines), all.size());
            return "---- last " + last.size() + " lines of " + log + " ----\n" + String.join("\n", last);
        } catch (IOException | RuntimeException e) {
            return "(could not read " + log + ": " + e + ")";
        }
    }
}
