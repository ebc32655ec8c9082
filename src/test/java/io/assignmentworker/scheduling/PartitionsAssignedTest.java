package io.assignmentworker.scheduling;

import static org.assertj.core.api.Assertions.assertThat;

import io.assignmentworker.emulator.EmulatorSettings;
import io.assignmentworker.emulator.EmulatorStats.Operation;
import io.assignmentworker.emulator.GraphEmulator;
import io.assignmentworker.graph.Strategy;
import io.assignmentworker.outcome.Outcome;
import io.assignmentworker.outcome.RecordSource;
import io.assignmentworker.request.AssignmentRequest;
import io.assignmentworker.request.AssignmentSource;
import io.assignmentworker.request.AssignmentTarget;
import io.assignmentworker.request.FilterType;
import io.assignmentworker.request.TargetType;
import java.time.Duration;
import java.time.Instant;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** What the worker knows of a policy's assignments does not outlive a rebalance (see KnownAssignments). */
class PartitionsAssignedTest {

    private static final String TENANT = "8f1c7e2a-1b2c-4d5e-8f90-0a1b2c3d4e5f";
    private static final String CLIENT = "3c1f6a7e-0000-4000-8000-00000000e1e1";
    private static final String SECRET = "partitions-assigned-test-secret";

    private final GraphEmulator emulator = GraphEmulator.start(EmulatorSettings.defaults()
            .withWriteBudget(100_000).withRequestBudget(1_000_000));
    private final GraphStackFixture stack;

    PartitionsAssignedTest() {
        emulator.registerApp(TENANT, CLIENT, SECRET);
        stack = new GraphStackFixture(emulator, TENANT, CLIENT, SECRET,
                GraphStackFixture.fastScheduling(100_000, Duration.ofSeconds(20)), Strategy.CREATE);
    }

    @AfterEach
    void stop() {
        stack.close();
        emulator.close();
    }

    @Test
    void aWorkerGivenPartitionsReadsEachPolicyAgainBeforeItsNextCreate() throws Exception {
        String policy = UUID.randomUUID().toString();
        emulator.addPolicy(TENANT, policy, "policy");
        create(policy);
        create(policy);
        long lists = emulator.stats().count(Operation.LIST);

        // Another worker owned these partitions until now, and may have written to any policy meanwhile.
        stack.scheduler.partitionsAssigned();
        create(policy);
        create(policy);

        assertThat(emulator.stats().count(Operation.LIST) - lists).as("one read again, then kept current")
                .isEqualTo(1);
        assertThat(emulator.assignments(TENANT, policy)).hasSize(4);
    }

    private void create(String policy) throws Exception {
        AssignmentRequest request = new AssignmentRequest("r-" + UUID.randomUUID(), TENANT, policy, "test",
                new AssignmentTarget(TargetType.GROUP, UUID.randomUUID().toString(), null, null, FilterType.NONE),
                AssignmentSource.DIRECT, null);
        Outcome outcome = stack.scheduler.schedule(new ReceivedRequest(request, new RecordSource("t", 0, 0),
                Instant.now())).get(30, TimeUnit.SECONDS);
        assertThat(outcome).isInstanceOf(Outcome.Created.class);
    }
}
