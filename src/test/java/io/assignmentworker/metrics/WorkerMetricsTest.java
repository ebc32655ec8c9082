package io.assignmentworker.metrics;

import static org.assertj.core.api.Assertions.assertThat;

import io.assignmentworker.outcome.ErrorCategory;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** Names and tags the dashboard, the alerts and docs/operations.md rely on. */
class WorkerMetricsTest {

    private final SimpleMeterRegistry registry = new SimpleMeterRegistry();
    private final WorkerMetrics metrics = new WorkerMetrics(registry);

    @Test
    void registersEveryKnownCounterAtZeroSoTheFirstEventCounts() {
        assertThat(registry.get(WorkerMetrics.OUTCOMES).tag("status", "FAILED")
                .tag("category", ErrorCategory.NOT_FOUND.name()).counter().count()).isZero();
        assertThat(registry.get(WorkerMetrics.GRAPH_RETRIES).tag("reason", ErrorCategory.UNAVAILABLE.name())
                .counter().count()).isZero();
        assertThat(registry.get(WorkerMetrics.TOKEN_REQUESTS).tag("result", "failure").tag("trigger", "rejected")
                .counter().count()).isZero();
        assertThat(registry.get(WorkerMetrics.BY_POLICY_MISROUTED).tag("reason", "partition").counter().count())
                .isZero();
        assertThat(registry.get(WorkerMetrics.DEAD_LETTERS).counter().count()).isZero();
        assertThat(registry.get(WorkerMetrics.ASSIGN_REPAIRS).counter().count()).isZero();
        assertThat(registry.get(WorkerMetrics.ROLLOUTS_EVICTED).counter().count()).isZero();
        assertThat(registry.get(WorkerMetrics.BATCH_SIZE).summary().count()).isZero();
    }

    @Test
    void countsTokenRequestsByResultAndTrigger() {
        metrics.tokenRequest(true, false);

        assertThat(registry.get(WorkerMetrics.TOKEN_REQUESTS).tag("result", "success").tag("trigger", "expiry")
                .counter().count()).isEqualTo(1);
    }

    @Test
    void offersARetryCounterOnlyForReasonsTheWorkerRetries() {
        assertThat(registry.find(WorkerMetrics.GRAPH_RETRIES).counters())
                .extracting(counter -> counter.getId().getTag("reason"))
                .containsExactlyInAnyOrder("THROTTLED", "UNAVAILABLE", "GRAPH_ERROR");
    }

    @Test
    void keepsGraphLatencyToTheBucketsTheDashboardReads() {
        metrics.graphCall("create", "201", 80_000_000L);

        var buckets = registry.get(WorkerMetrics.GRAPH_CALLS).timer().takeSnapshot().histogramCounts();
        assertThat(buckets).hasSize(12);
        assertThat(buckets[2].bucket(TimeUnit.MILLISECONDS)).isEqualTo(100);
        assertThat(buckets[2].count()).isEqualTo(1);
        assertThat(buckets[1].count()).isZero();
    }
}
