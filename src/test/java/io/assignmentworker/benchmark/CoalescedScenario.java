package io.assignmentworker.benchmark;

import io.assignmentworker.benchmark.CoalescedRunner.Budget;
import io.assignmentworker.benchmark.CoalescedRunner.Setup;
import io.assignmentworker.benchmark.CoalescedRunner.Warmup;
import io.assignmentworker.emulator.EmulatorSettings;
import io.assignmentworker.process.KafkaBrokerProcess;
import java.time.Duration;
import java.util.function.Consumer;

/**
 * Issues 5 and 17: rollouts over a few policies at Intune's real budget, 100 writes and 1,000 calls per 20 s per
 * tenant (the emulator enforces it; the worker is told the same budget and window). Every run is on a fresh
 * emulator, topics and group, with pre-existing assignments of every target type that must survive. No warm-up:
 * it would spend the budget these runs are about.
 *
 * <p>{@code coalesced}, 10,000 requests over 20 policies:
 * <ul>
 *   <li>{@code assign}: coalesced {@code /assign} writes, run until every request is answered;</li>
 *   <li>{@code create} (today's strategy in a tenant that accepts creates): one create per request, run for
 *       {@link #CREATE_WINDOW} and its rate extrapolated (at 5 writes/s the whole run would take half an hour);</li>
 *   <li>the default strategy, {@code auto}, in a tenant that refuses the create route (as Intune does for
 *       compliance policies), and in one that accepts it: issue 17's A and B, run to completion or
 *       {@link #limit()}, then extrapolated.</li>
 * </ul>
 * {@code coalesced-large}, issue 17's C: 100,000 requests over 200 policies, route refused, {@code auto}.
 */
final class CoalescedScenario {

    static final String SCENARIO = "coalesced";
    static final String LARGE = "coalesced-large";
    static final int POLICIES = 20;
    static final int LARGE_POLICIES = 200;
    static final int TARGET_REQUESTS = 10_000;
    static final int LARGE_TARGET_REQUESTS = 100_000;
    /** Issue 5's target for {@code assign}, 10,000 requests. */
    static final Duration TARGET = Duration.ofSeconds(60);
    /** Issue 17's target for {@code auto}, 10,000 requests, whether the tenant accepts creates or not (aim: 5 s). */
    static final Duration BULK_TARGET = Duration.ofSeconds(8);
    static final Duration BULK_AIM = Duration.ofSeconds(5);
    /** Issue 17's target for {@code coalesced-large}, 100,000 requests over 200 policies. */
    static final Duration LARGE_TARGET = Duration.ofSeconds(60);
    /** How long the create strategy runs; its rate is then extrapolated (at 5 writes/s it would take ~30 min). */
    static final Duration CREATE_WINDOW = Duration.ofSeconds(30);

    private final CoalescedRunner runner;

    CoalescedScenario(KafkaBrokerProcess broker) {
        this.runner = new CoalescedRunner(broker);
    }

    /** 10,000 scaled by {@code benchmark.scale}, at least 2,000. */
    static int requests() {
        return Bench.scaled(TARGET_REQUESTS, 2_000);
    }

    /** 100,000 scaled by {@code benchmark.scale}, at least 20,000 (100 per policy). */
    static int largeRequests() {
        return Bench.scaled(LARGE_TARGET_REQUESTS, 20_000);
    }

    /**
     * How long a run to completion may take before it is stopped and extrapolated: {@code -Dbenchmark.capSeconds},
     * default 10 min. Generous: today's {@code auto} in a tenant that accepts creates spends a write per request
     * (10,000 would take ~35 min); a short run against such a worker may lower it.
     */
    static Duration limit() {
        return Duration.ofSeconds(Long.getLong("benchmark.capSeconds", 600));
    }

    /**
     * {@code assign} until done, {@code create} for {@link #CREATE_WINDOW}, then {@code auto} with the route
     * refused and accepted; each run handed to {@code measured} as soon as it is over.
     */
    void runAll(int count, Consumer<CoalescedRun> measured) throws Exception {
        measured.accept(runner.run(intune(SCENARIO, "assign", "assign", "assign", true, POLICIES, count,
                Duration.ofSeconds(Math.max(600, count / 10)), true)));
        measured.accept(runner.run(intune(SCENARIO, "create", "create, for " + CREATE_WINDOW.toSeconds() + " s",
                "create", false, POLICIES, count, CREATE_WINDOW, false)));
        measured.accept(runner.run(intune(SCENARIO, "auto-refused", "auto, route refused", null, true, POLICIES,
                count, limit(), false)));
        measured.accept(runner.run(intune(SCENARIO, "auto-accepted", "auto, creates accepted", null, false,
                POLICIES, count, limit(), false)));
    }

    /** Issue 17's C: {@code auto}, route refused, {@code count} requests over 200 policies. */
    void runLarge(int count, Consumer<CoalescedRun> measured) throws Exception {
        measured.accept(runner.run(intune(LARGE, "auto-refused", "auto, route refused", null, true, LARGE_POLICIES,
                count, limit(), false)));
    }

    /** A run at Intune's budget; {@code strategy} null runs the worker's default ({@code auto}). */
    private static Setup intune(String scenario, String key, String label, String strategy, boolean routeRefused,
                                int policies, int count, Duration limit, boolean mustComplete) {
        return new Setup(scenario, key, label, strategy, routeRefused, policies, count, intune(), Budget.INTUNE,
                Warmup.NONE, limit, mustComplete);
    }

    /** The emulator at Intune's budget, with the latency the other scenarios use. */
    static EmulatorSettings intune() {
        return EmulatorSettings.builder().writeBudget(Budget.INTUNE.writes()).requestBudget(Budget.INTUNE.calls())
                .budgetWindow(Budget.INTUNE.window()).latency(Duration.ofMillis(100))
                .latencyJitter(Duration.ofMillis(30)).threads(400).build();
    }
}
