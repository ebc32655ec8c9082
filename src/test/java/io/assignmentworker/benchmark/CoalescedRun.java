package io.assignmentworker.benchmark;

import java.time.Duration;
import java.util.Locale;

/**
 * One measured run of the coalescing scenarios (issues 5 and 17): the table's row plus what Graph saw, what
 * became of the pre-existing assignments, and, for a run stopped at its limit, its rate extrapolated.
 *
 * @param scenario            e.g. {@code coalesced}, {@code coalesced-large}, {@code unthrottled-20}
 * @param label               the run within it, e.g. {@code auto, route refused}
 * @param requests            requests published
 * @param preExisting         assignments seeded before the run
 * @param preExistingLost     of those, no longer held under their id or changed
 * @param intendedMissing     requests answered whose group their policy does not hold
 * @param extrapolatedSeconds {@code requests ÷ rate}: the measured seconds when complete
 * @param complete            every request answered within {@code limit}
 * @param inFlightAtEnd       the worker's {@code intune_worker_in_flight} when the run ended
 * @param limit               how long the run was allowed
 */
record CoalescedRun(String scenario, String label, Row row, GraphFigures graph, int requests, int preExisting,
                    int preExistingLost, int intendedMissing, double extrapolatedSeconds, boolean complete,
                    int inFlightAtEnd, Duration limit) {

    /** Measured when complete, else extrapolated from the rate so far (infinite when nothing was answered). */
    double seconds() {
        return complete ? row.seconds() : extrapolatedSeconds;
    }

    /** Nothing twice, nothing lost, everything CREATED, no window over the budget. */
    boolean correct() {
        return row.duplicates() == 0 && row.duplicateOutcomes() == 0 && row.missing() == 0 && row.notCreated() == 0
                && intendedMissing == 0 && preExistingLost == 0 && graph.withinBudget();
    }

    /** The console's line. */
    String line() {
        String extrapolated = complete ? "" : row.requests() == 0
                ? String.format(Locale.ROOT, ", none answered in %d s; %d in flight in the worker", limit.toSeconds(),
                inFlightAtEnd)
                : String.format(Locale.ROOT, ", stopped at %d s → %d would take %.0f s at this rate", limit.toSeconds(),
                requests, extrapolatedSeconds);
        return String.format(Locale.ROOT, "%s %s: %d of %d answered in %.1f s (%.1f results/s)%s; /assign %d, "
                        + "create %d (%d refused), list %d, %s requests per write; most writes in any 20 s: %s; 429s %d "
                        + "of %d calls (%.2f%%); duplicates %d, duplicate outcomes %d, missing %d, not CREATED %d, "
                        + "intended assignments missing %d, pre-existing lost or changed %d of %d; worker CPU %s ms/req",
                scenario, label, row.requests(), requests, row.seconds(), row.rate(), extrapolated, graph.assigns(),
                graph.creates(), graph.refusedCreates(), graph.lists(), perWrite(), graph.windowFigure(),
                row.throttled(), row.graphCalls(), 100 * row.throttledRatio(), row.duplicates(),
                row.duplicateOutcomes(), row.missing(), row.notCreated(), intendedMissing, preExistingLost,
                preExisting, number(row.cpuMsPerRequest(), "%.2f"));
    }

    static String tableHeader() {
        return "| scenario | run | answered | seconds | results/s | `/assign` writes | requests per write | creates "
                + "(refused) | lists | Graph calls | 429s (ratio) | most writes in any 20 s (admitted / sent) | dup. "
                + "assignments | dup. outcomes | missing | not CREATED | pre-existing lost | worker CPU ms/req |\n"
                + "|---|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|";
    }

    String tableLine() {
        String seconds = complete ? String.format(Locale.ROOT, "%.1f", row.seconds())
                : String.format(Locale.ROOT, "%.1f (stopped; → %.0f extrapolated)", row.seconds(), extrapolatedSeconds);
        return String.format(Locale.ROOT, "| %s | %s | %d of %d | %s | %.1f | %d | %s | %d (%d) | %d | %d | %d "
                        + "(%.2f%%) | %d / %s%s | %d | %d | %d | %d | %d of %d | %s |", scenario, label,
                row.requests(), requests, seconds, row.rate(), graph.assigns(), perWrite(), graph.creates(),
                graph.refusedCreates(), graph.lists(), row.graphCalls(), row.throttled(), 100 * row.throttledRatio(),
                graph.maxAdmitted(), graph.maxArrived() < 0 ? "?" : Integer.toString(graph.maxArrived()),
                graph.writeBudget() == 0 ? " (no budget)" : "", row.duplicates(), row.duplicateOutcomes(),
                row.missing(), row.notCreated(), preExistingLost, preExisting, number(row.cpuMsPerRequest(), "%.2f"));
    }

    /** The naive baseline's row in the same table: it only creates, one call at a time, and is not budgeted. */
    static String baselineTableLine(Row baseline) {
        return String.format(Locale.ROOT, "| %s | baseline | %d | %.1f | %.1f | 0 | 1 | %d (—) | 0 | %d | %d (%.2f%%) "
                        + "| — | %d | — | %d | %d | — | — |", baseline.scenario(), baseline.requests(),
                baseline.seconds(), baseline.rate(), baseline.graphCalls() - baseline.throttled(),
                baseline.graphCalls(), baseline.throttled(), 100 * baseline.throttledRatio(), baseline.duplicates(),
                baseline.missing(), baseline.notCreated());
    }

    private String perWrite() {
        return number(graph.requestsPerWrite(row.requests()), "%.1f");
    }

    private static String number(double value, String format) {
        return value < 0 || Double.isNaN(value) ? "—" : String.format(Locale.ROOT, format, value);
    }
}
