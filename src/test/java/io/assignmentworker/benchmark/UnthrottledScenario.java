package io.assignmentworker.benchmark;

import io.assignmentworker.benchmark.CoalescedRunner.Budget;
import io.assignmentworker.benchmark.CoalescedRunner.Setup;
import io.assignmentworker.benchmark.CoalescedRunner.Warmup;
import io.assignmentworker.emulator.EmulatorSettings;
import io.assignmentworker.process.KafkaBrokerProcess;
import java.time.Duration;

/**
 * Issue 17's D: the latency-bound scenario with 20 policies instead of 1,000. Graph without budgets, the worker
 * told budgets that never bind, the default strategy in a tenant that accepts creates, 3,000 requests over 20
 * policies with pre-existing assignments, measured warm. One policy's requests used to go one at a time (~10 a
 * second at 100 ms a call), so 20 policies capped a rollout near 200 results/s; the target is ≥ 1,000/s and
 * ≥ 15× the naive baseline, which {@link WorkerThroughputBenchmark} runs over 20 policies in the same run.
 */
final class UnthrottledScenario {

    static final String SCENARIO = "unthrottled-20";
    static final int POLICIES = 20;
    /**
     * The warm-up's own policies: 60,000 warm-up requests on the 20 measured ones would leave each with 3,000
     * assignments, and every {@code /assign} carries its policy's whole set. 100 keep them near the measured
     * scale (600 each at full warm-up), and the measured phase reads its 20 policies once, as a new rollout does.
     */
    static final int WARMUP_POLICIES = 100;
    static final double TARGET_RATE = 1_000;
    static final double TARGET_RATIO = 15;

    private final CoalescedRunner runner;

    UnthrottledScenario(KafkaBrokerProcess broker) {
        this.runner = new CoalescedRunner(broker);
    }

    /** 3,000 scaled by {@code benchmark.scale}, never fewer (the short run measures the same). */
    static int requests() {
        return Bench.scaled(3_000, 3_000);
    }

    /** Graph as in the latency-bound scenario: no budgets, 100 ms ± 30 ms. */
    static EmulatorSettings emulator() {
        return EmulatorSettings.builder().writeBudget(EmulatorSettings.UNLIMITED)
                .requestBudget(EmulatorSettings.UNLIMITED).budgetWindow(Duration.ofSeconds(1))
                .latency(Duration.ofMillis(100)).latencyJitter(Duration.ofMillis(30)).threads(400).build();
    }

    /** The worker's run after {@code warmup} requests; the limit as the latency-bound scenario's. */
    CoalescedRun run(int count, int warmup) throws Exception {
        return runner.run(new Setup(SCENARIO, "auto", "auto, creates accepted", null, false, POLICIES, count,
                emulator(), Budget.NEVER_BINDING, new Warmup(warmup, WARMUP_POLICIES),
                Duration.ofSeconds(Math.max(180, count / 20)), false));
    }
}
