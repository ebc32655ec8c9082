package io.assignmentworker.metrics;

import static io.assignmentworker.metrics.WorkerMetrics.ASSIGN_FOREIGN;
import static io.assignmentworker.metrics.WorkerMetrics.ASSIGN_REPAIRS;
import static io.assignmentworker.metrics.WorkerMetrics.ASSIGN_UNREPAIRED;
import static io.assignmentworker.metrics.WorkerMetrics.BATCH_SIZE;
import static io.assignmentworker.metrics.WorkerMetrics.BY_POLICY_MISROUTED;
import static io.assignmentworker.metrics.WorkerMetrics.BY_POLICY_MISROUTED_REASONS;
import static io.assignmentworker.metrics.WorkerMetrics.READ_TO_WRITE;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

/** Coalesced {@code /assign} writes: batches, the read-to-write gap, repairs, and misrouted by-policy records. */
final class AssignMeters {

    private final MeterRegistry registry;

    AssignMeters(MeterRegistry registry) {
        this.registry = registry;
        batchSummary();
        repairsCounter();
        foreignCounter();
        unrepairedCounter();
        BY_POLICY_MISROUTED_REASONS.forEach(this::misroutedCounter);
    }

    void batch(int requests) {
        batchSummary().record(requests);
    }

    private DistributionSummary batchSummary() {
        return DistributionSummary.builder(BATCH_SIZE)
                .description("Requests per coalesced /assign batch").baseUnit("requests").register(registry);
    }

    /** Buckets at the values the dashboard and alerts use. */
    void readToWriteGap(long nanos) {
        Timer.builder(READ_TO_WRITE).description("Age of the read an /assign write was planned from, when it left")
                .serviceLevelObjectives(Duration.ofMillis(10), Duration.ofMillis(50), Duration.ofMillis(250),
                        Duration.ofSeconds(1), Duration.ofSeconds(2))
                .register(registry).record(nanos, TimeUnit.NANOSECONDS);
    }

    void repaired(int assignments) {
        repairsCounter().increment(assignments);
    }

    void foreignKept(int assignments) {
        foreignCounter().increment(assignments);
    }

    void unrepaired(int assignments) {
        unrepairedCounter().increment(assignments);
    }

    private Counter repairsCounter() {
        return Counter.builder(ASSIGN_REPAIRS)
                .description("Assignments an /assign lost or changed, written back at once").register(registry);
    }

    private Counter foreignCounter() {
        return Counter.builder(ASSIGN_FOREIGN)
                .description("Assignments another writer added while an /assign was under way, kept")
                .register(registry);
    }

    private Counter unrepairedCounter() {
        return Counter.builder(ASSIGN_UNREPAIRED)
                .description("Assignments an /assign lost that could not be written back").register(registry);
    }

    void misrouted(String reason) {
        misroutedCounter(reason).increment();
    }

    private Counter misroutedCounter(String reason) {
        return Counter.builder(BY_POLICY_MISROUTED)
                .description("By-policy records not written from where they were read, by reason")
                .tag("reason", reason).register(registry);
    }
}
