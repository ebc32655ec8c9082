package io.assignmentworker.benchmark;

import com.sun.management.OperatingSystemMXBean;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Settings of a benchmark run and small helpers. */
final class Bench {

    private Bench() {
    }

    /** {@code -Dbenchmark.scale}: 1 is the full run; 0.05 the short one. */
    static double scale() {
        return Double.parseDouble(System.getProperty("benchmark.scale", "1"));
    }

    /**
     * {@code -Dbenchmark.scenarios}: a comma-separated list of scenarios to run (latency-bound, budget-bound,
     * faults, backlog, backlog-fat, coalesced, coalesced-large, unthrottled-20, scale-out); all when unset.
     */
    static boolean runs(String scenario) {
        String chosen = System.getProperty("benchmark.scenarios", "").trim();
        return chosen.isEmpty() || Arrays.stream(chosen.split(",")).map(String::trim)
                .anyMatch(scenario::equalsIgnoreCase);
    }

    /**
     * {@code -Dbenchmark.workerEnv=NAME=value,NAME=value}: settings for every worker the benchmark starts, over the
     * benchmark's own, to try a setting (e.g. {@code WORKER_INTAKE_MAX_IN_FLIGHT}) without changing the code.
     */
    static Map<String, String> workerEnvironment() {
        Map<String, String> extra = new LinkedHashMap<>();
        for (String pair : System.getProperty("benchmark.workerEnv", "").split(",")) {
            int equals = pair.indexOf('=');
            if (equals > 0) {
                extra.put(pair.substring(0, equals).trim(), pair.substring(equals + 1).trim());
            }
        }
        return extra;
    }

    /** CPU time of this JVM (the Graph emulator, the load, the result reader, the baseline) in milliseconds. */
    static long selfCpuMillis() {
        return ((OperatingSystemMXBean) ManagementFactory
                .getOperatingSystemMXBean()).getProcessCpuTime() / 1_000_000;
    }

    /** {@code full × scale}, but never below {@code floor} (tiny runs measure start-up, not throughput). */
    static int scaled(int full, int floor) {
        return Math.max(floor, (int) Math.round(full * scale()));
    }

    /** {@code target/benchmark}: worker logs, the trust store and the results table. */
    static Path logDir() {
        Path dir = Path.of("target").toAbsolutePath().resolve("benchmark");
        try {
            Files.createDirectories(dir);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return dir;
    }

    static long percentile(List<Long> values, double p) {
        if (values.isEmpty()) {
            return -1;
        }
        List<Long> sorted = new ArrayList<>(values);
        sorted.sort(null);
        int index = (int) Math.ceil(p / 100.0 * sorted.size()) - 1;
        return sorted.get(Math.max(0, Math.min(sorted.size() - 1, index)));
    }
}
