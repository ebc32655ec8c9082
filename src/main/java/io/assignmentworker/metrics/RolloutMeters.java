package io.assignmentworker.metrics;

import static io.assignmentworker.metrics.WorkerMetrics.ROLLOUTS_ACTIVE;
import static io.assignmentworker.metrics.WorkerMetrics.ROLLOUTS_COMPLETED;
import static io.assignmentworker.metrics.WorkerMetrics.ROLLOUTS_EVICTED;
import static io.assignmentworker.metrics.WorkerMetrics.ROLLOUTS_PENDING;
import static io.assignmentworker.metrics.WorkerMetrics.ROLLOUTS_TRACKED;
import static io.assignmentworker.metrics.WorkerMetrics.ROLLOUTS_UNTRACKED;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.function.Supplier;

/** Rollouts this instance aggregates: in progress, pending, completed, and those it could not keep. */
final class RolloutMeters {

    private final MeterRegistry registry;

    RolloutMeters(MeterRegistry registry) {
        this.registry = registry;
        completedCounter();
        evictedCounter();
        untrackedCounter();
    }

    void active(Supplier<Number> count) {
        Gauge.builder(ROLLOUTS_ACTIVE, count).description("Rollouts in progress (aggregated on this instance)")
                .register(registry);
    }

    void pendingRequests(Supplier<Number> count) {
        Gauge.builder(ROLLOUTS_PENDING, count)
                .description("Requests of rollouts in progress still without an outcome (rollouts with a manifest)")
                .register(registry);
    }

    void tracked(Supplier<Number> count) {
        Gauge.builder(ROLLOUTS_TRACKED, count).description("Rollouts held by this instance, complete or not")
                .register(registry);
    }

    void completed() {
        completedCounter().increment();
    }

    void evicted() {
        evictedCounter().increment();
    }

    void untracked() {
        untrackedCounter().increment();
    }

    private Counter completedCounter() {
        return Counter.builder(ROLLOUTS_COMPLETED).description("Rollouts that received all their outcomes")
                .register(registry);
    }

    private Counter evictedCounter() {
        return Counter.builder(ROLLOUTS_EVICTED)
                .description("Complete rollouts forgotten early to make room (worker.rollouts.max-tracked)")
                .register(registry);
    }

    private Counter untrackedCounter() {
        return Counter.builder(ROLLOUTS_UNTRACKED)
                .description("Outcomes and manifests not counted: their rollout did not fit in "
                        + "worker.rollouts.max-tracked")
                .register(registry);
    }
}
