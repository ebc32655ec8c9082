package io.assignmentworker.scheduling;

import static org.assertj.core.api.Assertions.assertThat;

import io.assignmentworker.graph.CallKind;
import io.assignmentworker.graph.GraphProperties;
import io.assignmentworker.graph.Strategy;
import io.assignmentworker.graph.TenantDirectory;
import io.assignmentworker.graph.TenantStrategies;
import io.assignmentworker.metrics.WorkerMetrics;
import io.github.resilience4j.circuitbreaker.CircuitBreakerRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The timer's work while many calls wait for a tenant's write budget. */
class TenantPacerWakeUpTest {

    private static final String TENANT = "8f1c7e2a-1b2c-4d5e-8f90-0a1b2c3d4e5f";

    private final ScheduledThreadPoolExecutor timer = new ScheduledThreadPoolExecutor(1);

    @AfterEach
    void stopTimer() {
        timer.shutdownNow();
    }

    @Test
    void manyQueuedWritesWakeTheTimerAboutOncePerWriteNotOncePerQueuedWrite() throws Exception {
        timer.setRemoveOnCancelPolicy(true);
        WorkerMetrics metrics = new WorkerMetrics(new SimpleMeterRegistry());
        GraphProperties graph = new GraphProperties(URI.create("https://graph.example/beta"), Duration.ofSeconds(5),
                Duration.ofSeconds(5), Duration.ofMinutes(5), 100, Strategy.CREATE, null, 128,
                Duration.ofSeconds(2));
        TenantPacer pacer = new TenantPacer(GraphStackFixture.fastScheduling(20, Duration.ofSeconds(1)), timer,
                metrics, CircuitBreakerRegistry.ofDefaults(), new BudgetShare(true),
                new TenantStrategies(graph, new TenantDirectory(List.of(TENANT)), metrics));
        List<CompletableFuture<Integer>> writes = new ArrayList<>();
        Instant deadline = Instant.now().plusSeconds(60);

        for (int i = 0; i < 2_000; i++) {
            int n = i;
            writes.add(pacer.pass(TENANT, CallKind.WRITE, deadline, () -> null, () -> CompletableFuture.completedFuture(n)));
        }
        long tasksBefore = timer.getCompletedTaskCount();
        Thread.sleep(1_000);

        long done = writes.stream().filter(CompletableFuture::isDone).count();
        long timerTasks = timer.getCompletedTaskCount() - tasksBefore;
        assertThat(done).as("writes started in the first second at 20 per second").isBetween(15L, 30L);
        assertThat(timerTasks).as("timer runs in one second").isLessThan(100);
        assertThat(timer.getQueue()).as("wake-ups pending").hasSizeLessThanOrEqualTo(1);
        assertThat(writes.subList(0, (int) done)).allMatch(CompletableFuture::isDone); // in arrival order
    }
}
