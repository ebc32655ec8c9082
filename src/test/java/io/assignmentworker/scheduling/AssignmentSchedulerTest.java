package io.assignmentworker.scheduling;

import static org.assertj.core.api.Assertions.assertThat;

import io.assignmentworker.emulator.EmulatorSettings;
import io.assignmentworker.emulator.GraphEmulator;
import io.assignmentworker.outcome.Outcome;
import io.assignmentworker.outcome.RecordSource;
import io.assignmentworker.request.AssignmentRequest;
import io.assignmentworker.request.AssignmentSource;
import io.assignmentworker.request.AssignmentTarget;
import io.assignmentworker.request.FilterType;
import io.assignmentworker.request.TargetType;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Scheduling and Graph stages against the emulator over https: pacing, retries, order, idempotency. */
class AssignmentSchedulerTest {

    static final String TENANT = "8f1c7e2a-1b2c-4d5e-8f90-0a1b2c3d4e5f";
    static final String CLIENT = "3c1f6a7e-0000-4000-8000-00000000c1d1";
    static final String SECRET = "scheduler-test-secret";

    GraphEmulator emulator;
    GraphStackFixture stack;

    void start(EmulatorSettings settings, SchedulingProperties scheduling) {
        emulator = GraphEmulator.start(settings);
        emulator.registerApp(TENANT, CLIENT, SECRET);
        stack = new GraphStackFixture(emulator, TENANT, CLIENT, SECRET, scheduling);
    }

    @BeforeEach
    void defaults() {
        start(EmulatorSettings.defaults().withWriteBudget(100_000).withRequestBudget(1_000_000),
                GraphStackFixture.fastScheduling(100_000, Duration.ofSeconds(20)));
    }

    @AfterEach
    void stop() {
        stack.close();
        emulator.close();
    }

    String policy() {
        String id = UUID.randomUUID().toString();
        emulator.addPolicy(TENANT, id, "policy");
        return id;
    }

    static ReceivedRequest request(String policyId, String groupId) {
        AssignmentRequest request = new AssignmentRequest("r-" + UUID.randomUUID(), TENANT, policyId, "test",
                new AssignmentTarget(TargetType.GROUP, groupId, null, null, FilterType.NONE), AssignmentSource.DIRECT,
                null);
        return new ReceivedRequest(request, new RecordSource("t", 0, 0), Instant.now());
    }

    static Outcome await(CompletableFuture<Outcome> future) throws Exception {
        return future.get(30, TimeUnit.SECONDS);
    }

    @Test
    void createsSequentialRequestsQuickly() throws Exception {
        String policy = policy();
        await(stack.scheduler.schedule(request(policy, UUID.randomUUID().toString())));
        long started = System.nanoTime();
        for (int i = 1; i < 20; i++) {
            assertThat(await(stack.scheduler.schedule(request(policy, UUID.randomUUID().toString()))))
                    .isInstanceOf(Outcome.Created.class);
        }
        System.out.printf("19 sequential creates took %d ms%n", (System.nanoTime() - started) / 1_000_000);
        assertThat(emulator.assignments(TENANT, policy)).hasSize(20);
    }

    @Test
    void renewsTheTokenOnceWhenGraphSaysItExpired() throws Exception {
        String policy = policy();
        await(stack.scheduler.schedule(request(policy, UUID.randomUUID().toString())));
        long issued = emulator.stats().tokensIssued();
        emulator.expireAllTokens();
        long started = System.nanoTime();

        List<CompletableFuture<Outcome>> outcomes = new ArrayList<>();
        for (int i = 0; i < 10; i++) {
            outcomes.add(stack.scheduler.schedule(request(policy(), UUID.randomUUID().toString())));
        }

        for (CompletableFuture<Outcome> outcome : outcomes) {
            assertThat(await(outcome)).isInstanceOf(Outcome.Created.class);
        }
        System.out.printf("renewal took %d ms%n", (System.nanoTime() - started) / 1_000_000);
        assertThat(emulator.stats().tokensIssued()).isEqualTo(issued + 1);
    }
}
