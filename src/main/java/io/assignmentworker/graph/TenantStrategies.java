package io.assignmentworker.graph;

import io.assignmentworker.metrics.WorkerMetrics;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Which way each tenant's assignments are written now: the configured {@link Strategy}, with {@code auto}
 * tenants moving from create to assign (once, for the life of the process) when they refuse the create route.
 */
public final class TenantStrategies {

    private static final Logger log = LoggerFactory.getLogger(TenantStrategies.class);

    private final GraphProperties properties;
    private final WorkerMetrics metrics;
    private final Map<String, Boolean> switched = new ConcurrentHashMap<>();

    public TenantStrategies(GraphProperties properties, TenantDirectory tenants, WorkerMetrics metrics) {
        this.properties = properties;
        this.metrics = metrics;
        for (String tenantId : tenants.tenantIds()) {
            metrics.tenantStrategy(tenantId, "create", () -> coalesces(tenantId) ? 0 : 1);
            metrics.tenantStrategy(tenantId, "assign", () -> coalesces(tenantId) ? 1 : 0);
        }
    }

    /** Whether the tenant's requests go to coalesced {@code /assign} writes rather than one create each. */
    public boolean coalesces(String tenantId) {
        Strategy configured = properties.strategyOf(tenantId);
        return configured == Strategy.ASSIGN
                || configured == Strategy.AUTO && !switched.isEmpty()
                        && switched.containsKey(tenantId.toLowerCase(Locale.ROOT));
    }

    /**
     * The tenant refused the create route. An {@code auto} tenant switches to assign (and the request is
     * answered by the assign path); for a {@code create} tenant the refusal is the request's outcome.
     *
     * @return whether the request should be written by the assign path instead
     */
    public boolean createRefused(String tenantId) {
        if (properties.strategyOf(tenantId) != Strategy.AUTO) {
            return false;
        }
        if (switched.putIfAbsent(tenantId.toLowerCase(Locale.ROOT), Boolean.TRUE) == null) {
            log.warn("Tenant {} refuses POST …/deviceCompliancePolicies/{id}/assignments (No OData route); "
                    + "its assignments are written from now on by coalesced POST …/{id}/assign calls, which keep "
                    + "every existing assignment", tenantId);
            metrics.strategySwitched(tenantId);
        }
        return true;
    }
}
