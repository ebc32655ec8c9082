package io.assignmentworker.benchmark;

import java.util.Locale;

/**
 * One line of the table.
 *
 * @param scenario         latency-bound, budget-bound, faults, backlog
 * @param impl             {@code worker} or {@code baseline}
 * @param requests         requests measured (warm-up excluded)
 * @param seconds          first measured request read → last outcome visible to a read_committed consumer
 * @param p50Millis        request-to-outcome latency ({@code receivedAt → completedAt}), median
 * @param p99Millis        the same, 99th percentile
 * @param cpuMsPerRequest  worker process utime+stime over the measured phase ÷ requests; -1 when not measured
 * @param peakHeapMb       peak of {@code jvm_memory_used_bytes{area="heap"}}; -1 when not measured
 * @param graphCalls       Graph calls the emulator answered during the phase
 * @param throttled        of those, answered 429
 * @param duplicates       assignments the emulator holds more than once ({@code duplicateAssignments})
 * @param duplicateOutcomes outcomes beyond the first per request
 * @param missing          requests without an outcome
 * @param notCreated       outcomes other than CREATED
 * @param budgetPerSecond  the write budget per second for budget-bound rows, else 0
 * @param benchCpuMsPerRequest CPU of the benchmark JVM (Graph emulator, load, result reader) ÷ requests
 * @param brokerCpuMsPerRequest CPU of the broker process ÷ requests
 */
record Row(String scenario, String impl, int requests, double seconds, long p50Millis, long p99Millis,
           double cpuMsPerRequest, double peakHeapMb, long graphCalls, long throttled, int duplicates,
           int duplicateOutcomes, int missing, int notCreated, double budgetPerSecond,
           double benchCpuMsPerRequest, double brokerCpuMsPerRequest) {

    double rate() {
        return requests / seconds;
    }

    double throttledRatio() {
        return graphCalls == 0 ? 0 : (double) throttled / graphCalls;
    }

    /** (requests ÷ budget per second) ÷ elapsed seconds: 1.0 uses the whole budget. */
    double efficiency() {
        return budgetPerSecond == 0 ? Double.NaN : requests / budgetPerSecond / seconds;
    }

    static String header() {
        return "| scenario | impl | requests | seconds | results/s | p50 ms | p99 ms | CPU ms/req | peak heap MB "
                + "| Graph calls | 429 ratio | efficiency | dup. assignments | dup. outcomes | missing | not CREATED | emulator+bench CPU ms/req "
                + "| broker CPU ms/req |\n"
                + "|---|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|";
    }

    String line() {
        return String.format(Locale.ROOT, "| %s | %s | %d | %.1f | %.0f | %s | %s | %s | %s | %d | %.2f%% | %s | %d | %s | %d | %d | %s | %s |",
                scenario, impl, requests, seconds, rate(), known(p50Millis, "%.0f"), known(p99Millis, "%.0f"),
                known(cpuMsPerRequest, "%.3f"), known(peakHeapMb, "%.0f"),
                graphCalls, 100 * throttledRatio(),
                Double.isNaN(efficiency()) ? "—" : String.format(Locale.ROOT, "%.3f", efficiency()),
                duplicates, duplicateOutcomes < 0 ? "—" : Integer.toString(duplicateOutcomes), missing, notCreated,
                known(benchCpuMsPerRequest, "%.3f"), known(brokerCpuMsPerRequest, "%.3f"));
    }

    /** "—" for a figure that was not measured (negative) or is undefined (NaN, e.g. per request of none). */
    private static String known(double value, String format) {
        return value < 0 || Double.isNaN(value) ? "—" : String.format(Locale.ROOT, format, value);
    }
}
