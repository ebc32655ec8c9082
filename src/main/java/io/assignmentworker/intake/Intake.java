package io.assignmentworker.intake;

import java.util.List;
import java.util.Map;
import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.Status;
import org.springframework.context.SmartLifecycle;

/**
 * Front door of the intake stage: reads requests from Kafka and commits what became of them, with one loop
 * per {@link Feed}: the requests topic, and the by-policy topic through which requests of tenants that write
 * with {@code /assign} reach the one worker that owns their policy.
 */
public final class Intake implements SmartLifecycle {

    private final List<IntakeLoop> loops;

    Intake(List<IntakeLoop> loops) {
        this.loops = List.copyOf(loops);
    }

    @Override
    public void start() {
        loops.forEach(IntakeLoop::start);
    }

    /** Both loops stop together: each finishes its requests under way within the shutdown grace. */
    @Override
    public void stop() {
        loops.forEach(IntakeLoop::signalStop);
        loops.forEach(IntakeLoop::awaitStopped);
    }

    @Override
    public boolean isRunning() {
        return loops.stream().anyMatch(IntakeLoop::isRunning);
    }

    /** Stops early among the lifecycle beans; the executors and clients it needs live until the beans are destroyed. */
    @Override
    public int getPhase() {
        return SmartLifecycle.DEFAULT_PHASE - 100;
    }

    /** Health: UP while every loop's session turns; details per feed. */
    public Health health() {
        Health.Builder health = Health.up();
        for (int i = 0; i < loops.size(); i++) {
            Health feed = loops.get(i).health();
            if (!Status.UP.equals(feed.getStatus())) {
                health.down();
            }
            health.withDetail(i == 0 ? "requests" : "byPolicy", feed.getDetails().isEmpty() ? feed.getStatus()
                    : Map.of("status", feed.getStatus().getCode(), "details", feed.getDetails()));
        }
        return health.build();
    }

    /** Requests read but not yet committed with their outcome (or forwarded). */
    public int inFlight() {
        return loops.stream().mapToInt(IntakeLoop::inFlight).sum();
    }

    /** What the requests under way keep on the heap, estimated. */
    public long inFlightBytes() {
        return loops.stream().mapToLong(IntakeLoop::inFlightBytes).sum();
    }
}
