package io.assignmentworker.intake;

import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.HealthIndicator;
import org.springframework.stereotype.Component;

/** {@code /actuator/health/intake}: the Kafka side of the worker (part of readiness). */
@Component("intake")
class IntakeHealthIndicator implements HealthIndicator {

    private final Intake intake;

    IntakeHealthIndicator(Intake intake) {
        this.intake = intake;
    }

    @Override
    public Health health() {
        return intake.health();
    }
}
