package io.assignmentworker.benchmark;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.List;
import java.util.Locale;

/**
 * The coalescing scenarios' section of the report (issues 5 and 17): each run's line, a table, the comparisons
 * with today's strategy and the naive baseline, and the targets. Timing targets get a verdict, never an assertion;
 * correctness is asserted by {@link #assertCorrect}.
 */
final class CoalescedReport {

    private CoalescedReport() {
    }

    /** Correctness, whatever the speed: nothing twice, nothing lost, all CREATED, no window over the budget. */
    static void assertCorrect(List<CoalescedRun> runs) {
        for (CoalescedRun run : runs) {
            String what = run.scenario() + " " + run.label();
            assertThat(run.row().duplicates()).as("%s: duplicate assignments", what).isZero();
            assertThat(run.row().duplicateOutcomes()).as("%s: duplicate outcomes", what).isZero();
            assertThat(run.row().missing()).as("%s: missing outcomes", what).isZero();
            assertThat(run.row().notCreated()).as("%s: outcomes other than CREATED", what).isZero();
            assertThat(run.intendedMissing()).as("%s: CREATED but not in Graph", what).isZero();
            assertThat(run.preExistingLost()).as("%s: pre-existing assignments lost or changed", what).isZero();
            assertThat(run.graph().withinBudget()).as("%s: %s writes admitted in one 20 s window, budget %d", what,
                    run.graph().maxAdmitted(), run.graph().writeBudget()).isTrue();
        }
    }

    /** @param baseline the naive baseline's row over the unthrottled scenario's 20 policies, or null */
    static void report(StringBuilder out, List<CoalescedRun> runs, Row baseline) {
        if (runs.isEmpty()) {
            return;
        }
        out.append(String.format(Locale.ROOT, "%nCoalescing (issues 5 and 17; Intune's budget: %d writes and %d "
                        + "calls per 20 s; %d pre-existing assignments per policy):%n",
                CoalescedRunner.Budget.INTUNE.writes(), CoalescedRunner.Budget.INTUNE.calls(), PreExisting.PER_POLICY));
        runs.forEach(run -> out.append("  ").append(run.line()).append('\n'));
        out.append('\n').append(CoalescedRun.tableHeader()).append('\n');
        runs.forEach(run -> out.append(run.tableLine()).append('\n'));
        if (baseline != null) {
            out.append(CoalescedRun.baselineTableLine(baseline)).append('\n');
        }
        out.append('\n');
        CoalescedRun create = find(runs, CoalescedScenario.SCENARIO, "create");
        compare(out, find(runs, CoalescedScenario.SCENARIO, "assign"), create);
        compare(out, find(runs, CoalescedScenario.SCENARIO, "auto, route refused"), create);
        compare(out, find(runs, CoalescedScenario.SCENARIO, "auto, creates accepted"), create);
        out.append("Targets (issues 5 and 17):\n");
        bulkTargets(out, runs);
        CoalescedRun unthrottled = find(runs, UnthrottledScenario.SCENARIO, "auto");
        if (unthrottled != null) {
            WorkerThroughputBenchmark.target(out, "unthrottled-20 ≥ 1,000 results/s (issue 17 D)",
                    unthrottled.requests() / unthrottled.seconds(), UnthrottledScenario.TARGET_RATE, true,
                    "%.0f results/s");
            if (baseline != null) {
                double rate = unthrottled.requests() / unthrottled.seconds(); // extrapolated when stopped
                WorkerThroughputBenchmark.target(out, String.format(Locale.ROOT, "unthrottled-20 ≥ 15× baseline "
                                + "(issue 17 D; %.0f vs %.0f results/s)", rate, baseline.rate()),
                        rate / baseline.rate(), UnthrottledScenario.TARGET_RATIO, true, "%.1f×");
            }
        }
        for (CoalescedRun run : runs) {
            out.append(String.format(Locale.ROOT, "  %-7s %s %s: duplicates %d, duplicate outcomes %d, missing %d, "
                            + "not CREATED %d, pre-existing lost %d, most writes in any 20 s %s%n",
                    run.correct() ? "MET" : "MISSED", run.scenario(), run.label(), run.row().duplicates(),
                    run.row().duplicateOutcomes(), run.row().missing(), run.row().notCreated(),
                    run.preExistingLost(), run.graph().windowFigure()));
        }
    }

    /** Issue 5's target for {@code assign}, issue 17's A, B (10,000 over 20 policies) and C (100,000 over 200). */
    private static void bulkTargets(StringBuilder out, List<CoalescedRun> runs) {
        String full = String.format(Locale.ROOT, "%,d", CoalescedScenario.TARGET_REQUESTS);
        seconds(out, find(runs, CoalescedScenario.SCENARIO, "assign"), "coalesced assign ≤ 60 s for " + full
                + " (issue 5)", CoalescedScenario.TARGET, CoalescedScenario.TARGET_REQUESTS);
        seconds(out, find(runs, CoalescedScenario.SCENARIO, "auto, route refused"), "coalesced auto, route refused "
                + "≤ 8 s for " + full + " (issue 17 A; aim 5 s)", CoalescedScenario.BULK_TARGET,
                CoalescedScenario.TARGET_REQUESTS);
        seconds(out, find(runs, CoalescedScenario.SCENARIO, "auto, creates accepted"), "coalesced auto, creates "
                + "accepted ≤ 8 s for " + full + " (issue 17 B)", CoalescedScenario.BULK_TARGET,
                CoalescedScenario.TARGET_REQUESTS);
        seconds(out, find(runs, CoalescedScenario.LARGE, "auto, route refused"), String.format(Locale.ROOT,
                "coalesced-large ≤ 60 s for %,d over %d policies (issue 17 C)", CoalescedScenario.LARGE_TARGET_REQUESTS,
                CoalescedScenario.LARGE_POLICIES), CoalescedScenario.LARGE_TARGET,
                CoalescedScenario.LARGE_TARGET_REQUESTS);
    }

    /**
     * A time target, judged on the full run's count only: a smaller run is dominated by its first batches and
     * fixed costs, so it does not scale linearly. A run stopped at its limit is judged on its extrapolation.
     */
    private static void seconds(StringBuilder out, CoalescedRun run, String name, Duration target, int fullCount) {
        if (run == null) {
            return;
        }
        String how = run.complete() ? "" : " (stopped at " + run.limit().toSeconds() + " s, extrapolated)";
        if (run.requests() != fullCount) {
            out.append(String.format(Locale.ROOT, "  %-7s %s: applies to the full run only (this one: %d in %.1f s%s)"
                    + "%n", "N/A", name, run.requests(), run.seconds(), how));
            return;
        }
        WorkerThroughputBenchmark.target(out, name + how, run.seconds(), target.toSeconds(), false, "%.1f s");
    }

    /** {@code run} against today's {@code create} strategy, whose figure is an extrapolation. */
    private static void compare(StringBuilder out, CoalescedRun run, CoalescedRun create) {
        if (run == null || create == null || !Double.isFinite(create.seconds())) {
            return;
        }
        out.append(String.format(Locale.ROOT, "  %s ÷ create = %.0f× (%.1f s%s vs %.0f s extrapolated from %d results "
                        + "in %.0f s)%n", run.label(), create.seconds() / run.seconds(), run.seconds(),
                run.complete() ? "" : " extrapolated", create.seconds(), create.row().requests(),
                create.row().seconds()));
    }

    private static CoalescedRun find(List<CoalescedRun> runs, String scenario, String labelStart) {
        return runs.stream().filter(run -> run.scenario().equals(scenario) && run.label().startsWith(labelStart))
                .findFirst().orElse(null);
    }
}
