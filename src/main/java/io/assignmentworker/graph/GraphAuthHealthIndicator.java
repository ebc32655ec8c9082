package io.assignmentworker.graph;

import java.util.Map;
import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.HealthIndicator;
import org.springframework.stereotype.Component;

/**
 * {@code /actuator/health/graphAuth}: DOWN while Entra ID refuses the worker's credentials for a tenant
 * (part of readiness: requests would only fail). Never shows secrets; shows Entra's error code and message.
 */
@Component("graphAuth")
class GraphAuthHealthIndicator implements HealthIndicator {

    private final AccessTokens tokens;

    GraphAuthHealthIndicator(AccessTokens tokens) {
        this.tokens = tokens;
    }

    @Override
    public Health health() {
        Map<String, GraphError> refused = tokens.refusedTenants();
        if (refused.isEmpty()) {
            return Health.up().build();
        }
        Health.Builder down = Health.down();
        refused.forEach((tenant, error) -> down.withDetail(tenant, error.code() + ": " + error.message()));
        return down.build();
    }
}
