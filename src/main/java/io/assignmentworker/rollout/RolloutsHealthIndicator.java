package io.assignmentworker.rollout;

import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.HealthIndicator;
import org.springframework.stereotype.Component;

/** {@code /actuator/health/rollouts}: rollout tracking (not part of readiness: requests are answered without it). */
@Component("rollouts")
class RolloutsHealthIndicator implements HealthIndicator {

    private final RolloutTracker tracker;

    RolloutsHealthIndicator(RolloutTracker tracker) {
        this.tracker = tracker;
    }

    @Override
    public Health health() {
        return tracker.health();
    }
}
