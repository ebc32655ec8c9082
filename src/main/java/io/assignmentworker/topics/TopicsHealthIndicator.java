package io.assignmentworker.topics;

import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.HealthIndicator;
import org.springframework.stereotype.Component;

/**
 * {@code /actuator/health/topics}: whether all the worker's topics exist. Not part of readiness: requests are read
 * and answered where their own topics exist even if, say, the rollouts topic is missing.
 */
@Component("topics")
class TopicsHealthIndicator implements HealthIndicator {

    private final MissingTopics topics;

    TopicsHealthIndicator(MissingTopics topics) {
        this.topics = topics;
    }

    @Override
    public Health health() {
        TopicsState state = topics.state();
        if (state instanceof TopicsState.Ready ready) {
            return Health.up().withDetail("since", ready.since().toString()).build();
        }
        if (state instanceof TopicsState.Failed failed) {
            return Health.down().withDetail("reason", failed.reason()).withDetail("missing", failed.missing())
                    .withDetail("checkedAt", failed.at().toString()).build();
        }
        return Health.unknown().withDetail("state", "checking").build();
    }
}
