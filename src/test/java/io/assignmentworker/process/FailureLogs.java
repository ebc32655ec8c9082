package io.assignmentworker.process;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Supplier;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.TestWatcher;

/**
 * Prints the end of every watched process log when a test fails, and stays silent otherwise: the logs are on
 * disk under {@code target/process-it}, but the reason a worker or broker misbehaved belongs in the report.
 */
final class FailureLogs implements BeforeEachCallback, TestWatcher {

    private static final int LINES = 60;
    private final Map<String, Supplier<Path>> forClass = new LinkedHashMap<>();
    private final Map<String, Supplier<Path>> forTest = new LinkedHashMap<>();

    /** Watches a log for every test of the class, e.g. a broker's, started in {@code @BeforeAll}. */
    synchronized void watchForClass(String name, Supplier<Path> log) {
        forClass.put(name, log);
    }

    /** Watches a log until the next test starts, e.g. a worker's. */
    synchronized void watch(String name, Supplier<Path> log) {
        forTest.put(name, log);
    }

    @Override
    public synchronized void beforeEach(ExtensionContext context) {
        forTest.clear();
    }

    @Override
    public synchronized void testFailed(ExtensionContext context, Throwable cause) {
        StringBuilder report = new StringBuilder("\n#### " + context.getDisplayName() + " failed; process logs:\n");
        Map<String, Supplier<Path>> watched = new LinkedHashMap<>(forClass);
        watched.putAll(forTest);
        watched.forEach((name, log) -> {
            Path path = log.get();
            report.append("## ").append(name).append('\n')
                    .append(path == null ? "(not started)" : ProcessLogs.tail(path, LINES)).append('\n');
        });
        System.err.println(report);
    }
}
