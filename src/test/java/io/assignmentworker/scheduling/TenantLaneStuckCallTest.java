package io.assignmentworker.scheduling;

import static org.assertj.core.api.Assertions.assertThat;

import io.assignmentworker.graph.CallKind;
import io.assignmentworker.metrics.WorkerMetrics;
import io.github.resilience4j.circuitbreaker.CircuitBreaker;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** A call whose answer never comes must not keep its tenant's window full for good. */
class TenantLaneStuckCallTest {

    private final ScheduledThreadPoolExecutor timer = new ScheduledThreadPoolExecutor(1);

    @AfterEach
    void stopTimer() {
        timer.shutdownNow();
    }

    @Test
    void aCallThatIsNeverAnsweredGivesItsPlaceInTheWindowBack() throws Exception {
        timer.setRemoveOnCancelPolicy(true);
        long now = System.nanoTime();
        // One write per 200 ms window: the write that never answers fills it.
        TenantPace pace = new TenantPace(1, 100, Duration.ofMillis(200), Duration.ofSeconds(1), () -> 1.0, now);
        CoolDown coolDown = new CoolDown(new Backoff(Duration.ofMillis(50), Duration.ofMillis(400)),
                Duration.ofSeconds(30), now);
        TenantLane lane = new TenantLane("tenant", CircuitBreaker.ofDefaults("tenant"), coolDown, pace, timer,
                new WorkerMetrics(new SimpleMeterRegistry()), Duration.ofMillis(300));
        Instant deadline = Instant.now().plusSeconds(60);

        CompletableFuture<Integer> never = lane.pass(CallKind.WRITE, deadline, () -> null, CompletableFuture::new);
        CompletableFuture<Integer> next = lane.pass(CallKind.WRITE, deadline, () -> null,
                () -> CompletableFuture.completedFuture(2));

        assertThat(next.get(10, TimeUnit.SECONDS)).as("the next write goes once the stuck one no longer counts")
                .isEqualTo(2);
        assertThat(never).as("the stuck call itself is left to its own timeouts").isNotDone();
    }
}
