package io.assignmentworker.scheduling;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.assignmentworker.emulator.EmulatorSettings;
import io.assignmentworker.emulator.EmulatorStats;
import io.assignmentworker.emulator.GraphEmulator;
import io.assignmentworker.outcome.Outcome;
import java.time.Duration;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * A tenant-wide outage is about Graph, not about the request: the probes it fails while the circuit is half-open
 * use none of the request's tries, however many there are. Only {@code max-request-age} ends such a wait.
 */
class OutageTriesTest {

    private static final String TENANT = AssignmentSchedulerTest.TENANT;
    private static final int MAX_ATTEMPTS = 3;

    private final GraphEmulator emulator = GraphEmulator.start(EmulatorSettings.defaults());
    private final GraphStackFixture stack;

    OutageTriesTest() {
        emulator.registerApp(TENANT, AssignmentSchedulerTest.CLIENT, AssignmentSchedulerTest.SECRET);
        // A circuit over the last 2 calls, open for 200 ms: one request opens it and probes it often.
        stack = new GraphStackFixture(emulator, TENANT, AssignmentSchedulerTest.CLIENT, AssignmentSchedulerTest.SECRET,
                new SchedulingProperties(100, 1000, Duration.ofSeconds(20), MAX_ATTEMPTS, Duration.ofHours(1),
                        Duration.ofMillis(50), Duration.ofMillis(200), Duration.ofSeconds(30), 50, 2,
                        Duration.ofMillis(200), null, Duration.ofMillis(100), Duration.ofSeconds(1), 200, true, null));
    }

    @AfterEach
    void stop() {
        stack.close();
        emulator.close();
    }

    @Test
    void failedProbesDuringAnOutageUseNoneOfTheRequestsTries() throws Exception {
        String policy = UUID.randomUUID().toString();
        emulator.addPolicy(TENANT, policy, "policy");
        emulator.tenant(TENANT).outage(true);

        CompletableFuture<Outcome> outcome = stack.scheduler.schedule(
                AssignmentSchedulerTest.request(policy, UUID.randomUUID().toString()));

        // Twice as many refused calls as the request has tries, every one of them its own.
        await().atMost(Duration.ofSeconds(30))
                .failFast("the request was answered during the outage", outcome::isDone)
                .until(() -> refusedCalls() >= 2L * MAX_ATTEMPTS);
        emulator.tenant(TENANT).outage(false);

        assertThat(outcome.get(30, TimeUnit.SECONDS)).isInstanceOf(Outcome.Created.class);
        assertThat(emulator.duplicateAssignments(TENANT)).isZero();
    }

    private long refusedCalls() {
        return emulator.stats().count(EmulatorStats.Operation.LIST, 503)
                + emulator.stats().count(EmulatorStats.Operation.CREATE, 503);
    }
}
