package io.assignmentworker.metrics;

import static io.assignmentworker.metrics.WorkerMetrics.GRAPH_THROTTLED;
import static io.assignmentworker.metrics.WorkerMetrics.STRATEGY_SWITCHES;
import static io.assignmentworker.metrics.WorkerMetrics.TENANT_BUDGET_SHARE;
import static io.assignmentworker.metrics.WorkerMetrics.TENANT_COOL_DOWN;
import static io.assignmentworker.metrics.WorkerMetrics.TENANT_PACE;
import static io.assignmentworker.metrics.WorkerMetrics.TENANT_STRATEGY;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.function.Supplier;

/** How each tenant is paced and written: 429s, cool-down, pace, budget share, write strategy. */
final class TenantMeters {

    private final MeterRegistry registry;

    TenantMeters(MeterRegistry registry) {
        this.registry = registry;
    }

    void throttled(String tenantId) {
        Counter.builder(GRAPH_THROTTLED).description("429 answers from Graph, by tenant")
                .tag("tenant", tenantId).register(registry).increment();
    }

    void coolDown(String tenantId, Supplier<Number> seconds) {
        Gauge.builder(TENANT_COOL_DOWN, seconds).description("Seconds left in the tenant's cool-down after a 429")
                .tag("tenant", tenantId).register(registry);
    }

    void pace(String tenantId, Supplier<Number> share) {
        Gauge.builder(TENANT_PACE, share).description("Share of the tenant's write budget in use (1 = all; lowered by 429s)")
                .tag("tenant", tenantId).register(registry);
    }

    void budgetShare(String tenantId, Supplier<Number> share) {
        Gauge.builder(TENANT_BUDGET_SHARE, share)
                .description("This instance's share of the tenant's Graph budget (its share of the partitions)")
                .tag("tenant", tenantId).register(registry);
    }

    void strategy(String tenantId, String strategy, Supplier<Number> active) {
        Gauge.builder(TENANT_STRATEGY, active).description("The strategy a tenant's assignments are written with now")
                .tag("tenant", tenantId).tag("strategy", strategy).register(registry);
    }

    void strategySwitched(String tenantId) {
        Counter.builder(STRATEGY_SWITCHES).description("Tenants switched from create to assign after a route refusal")
                .tag("tenant", tenantId).register(registry).increment();
    }
}
