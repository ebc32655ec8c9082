package io.assignmentworker.scheduling;

import static io.assignmentworker.scheduling.AssignmentSchedulerTest.CLIENT;
import static io.assignmentworker.scheduling.AssignmentSchedulerTest.SECRET;
import static io.assignmentworker.scheduling.AssignmentSchedulerTest.TENANT;
import static org.assertj.core.api.Assertions.assertThat;

import io.assignmentworker.emulator.EmulatorSettings;
import io.assignmentworker.emulator.EmulatorStats.InjectedFault;
import io.assignmentworker.emulator.EmulatorStats.Operation;
import io.assignmentworker.emulator.GraphEmulator;
import io.assignmentworker.graph.Strategy;
import io.assignmentworker.outcome.ErrorCategory;
import io.assignmentworker.outcome.Outcome;
import io.assignmentworker.outcome.RecordSource;
import io.assignmentworker.request.AssignmentRequest;
import io.assignmentworker.request.AssignmentSource;
import io.assignmentworker.request.AssignmentTarget;
import io.assignmentworker.request.FilterType;
import io.assignmentworker.request.TargetType;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * The write path's trust rules against the emulator over https, both strategies: one assignment per subject
 * (CONFLICT, never a second one), an "it exists" answer only from a fresh read, lists that are complete or no
 * read at all, and {@code /assign} writes checked and repaired by their read-back.
 */
class WriteSafetyTest {

    private static final JsonMapper JSON = JsonMapper.builder().build();

    private final MovableClock clock = new MovableClock();
    private GraphEmulator emulator;
    private GraphStackFixture stack;

    private void start(Strategy strategy, EmulatorSettings settings) {
        emulator = GraphEmulator.start(settings.withWriteBudget(100_000).withRequestBudget(1_000_000));
        emulator.registerApp(TENANT, CLIENT, SECRET);
        stack = new GraphStackFixture(emulator, TENANT, CLIENT, SECRET,
                GraphStackFixture.fastScheduling(100_000, Duration.ofSeconds(20)), strategy, clock);
    }

    @AfterEach
    void stop() {
        stack.close();
        emulator.close();
    }

    @Test
    void answersConflictForAGroupAssignedWithAnotherFilterAndCreatesNothing() throws Exception {
        start(Strategy.CREATE, EmulatorSettings.defaults());
        String policy = policy();
        String group = UUID.randomUUID().toString();
        String existingId = emulator.addAssignment(TENANT, policy, assignment(target(TargetType.GROUP, group)));

        Outcome outcome = create(policy, filtered(target(TargetType.GROUP, group)));

        Outcome.Failed failed = (Outcome.Failed) outcome;
        assertThat(failed.error().category()).isEqualTo(ErrorCategory.CONFLICT);
        assertThat(failed.error().message()).contains(existingId).contains("include").contains("no filter");
        assertThat(failed.error().retryable()).isFalse();
        assertThat(emulator.stats().count(Operation.CREATE)).isZero();
        assertThat(emulator.assignments(TENANT, policy)).hasSize(1);
    }

    @Test
    void answersConflictForAnIncludedGroupRequestedAsExclusion() throws Exception {
        start(Strategy.CREATE, EmulatorSettings.defaults());
        String policy = policy();
        String group = UUID.randomUUID().toString();
        emulator.addAssignment(TENANT, policy, assignment(target(TargetType.GROUP, group)));

        Outcome outcome = create(policy, target(TargetType.EXCLUSION_GROUP, group));

        assertThat(((Outcome.Failed) outcome).error().category()).isEqualTo(ErrorCategory.CONFLICT);
        assertThat(emulator.stats().count(Operation.CREATE)).isZero();
    }

    @Test
    void coalescedBatchAnswersConflictsAloneAndWritesTheRest() throws Exception {
        start(Strategy.ASSIGN, EmulatorSettings.defaults());
        String policy = policy();
        String group = UUID.randomUUID().toString();
        String existingId = emulator.addAssignment(TENANT, policy, assignment(target(TargetType.GROUP, group)));
        String twice = UUID.randomUUID().toString();
        List<CompletableFuture<Outcome>> futures = new ArrayList<>();
        futures.add(stack.scheduler.assignCoalesced(request(policy, filtered(target(TargetType.GROUP, group)))));
        futures.add(stack.scheduler.assignCoalesced(request(policy, target(TargetType.GROUP, twice))));
        futures.add(stack.scheduler.assignCoalesced(request(policy, filtered(target(TargetType.GROUP, twice)))));
        for (int i = 0; i < 5; i++) {
            futures.add(stack.scheduler.assignCoalesced(request(policy,
                    target(TargetType.GROUP, UUID.randomUUID().toString()))));
        }

        List<Outcome> outcomes = awaitAll(futures);

        assertThat(((Outcome.Failed) outcomes.get(0)).error().message()).contains(existingId);
        assertThat(((Outcome.Created) outcomes.get(1)).alreadyExisted()).isFalse();
        assertThat(((Outcome.Failed) outcomes.get(2)).error().category())
                .as("the same group with another filter, in the same batch").isEqualTo(ErrorCategory.CONFLICT);
        assertThat(outcomes.subList(3, 8)).allSatisfy(o -> assertThat(o).isInstanceOf(Outcome.Created.class));
        assertThat(emulator.assignments(TENANT, policy)).hasSize(7);
        assertThat(emulator.duplicateAssignments(TENANT)).as("sets sent with a group twice").isZero();
    }

    @Test
    void createsAgainWhatWasRemovedAfterTheWorkersLastRead() throws Exception {
        start(Strategy.CREATE, EmulatorSettings.defaults());
        String policy = policy();
        AssignmentTarget target = target(TargetType.GROUP, UUID.randomUUID().toString());
        Outcome.Created first = (Outcome.Created) create(policy, target);
        assertThat(emulator.removeAssignment(TENANT, policy, first.assignmentId())).isTrue();
        clock.advance(Duration.ofSeconds(3));

        Outcome.Created again = (Outcome.Created) create(policy, target);

        assertThat(again.alreadyExisted()).isFalse();
        assertThat(emulator.assignments(TENANT, policy)).extracting(a -> a.path("id").asString())
                .containsExactly(again.assignmentId());
    }

    @Test
    void answersAlreadyExistedFromAnOlderCopyOnlyOnceARead() throws Exception {
        start(Strategy.CREATE, EmulatorSettings.defaults());
        String policy = policy();
        AssignmentTarget target = target(TargetType.GROUP, UUID.randomUUID().toString());
        Outcome.Created first = (Outcome.Created) create(policy, target);
        clock.advance(Duration.ofSeconds(3));
        long readsBefore = emulator.stats().graphCalls();

        Outcome.Created again = (Outcome.Created) create(policy, target);

        assertThat(again.alreadyExisted()).isTrue();
        assertThat(again.assignmentId()).isEqualTo(first.assignmentId());
        assertThat(emulator.stats().graphCalls() - readsBefore).as("one GET of the assignment").isEqualTo(1);
    }

    @Test
    void answersFromAFreshReadWhenGraphRefusesACreateForAGroupAssignedMeanwhile() throws Exception {
        start(Strategy.CREATE, EmulatorSettings.defaults());
        String policy = policy();
        create(policy, target(TargetType.GROUP, UUID.randomUUID().toString()));
        AssignmentTarget target = target(TargetType.GROUP, UUID.randomUUID().toString());
        // Another instance (or an administrator) assigns the group after this worker read the policy.
        String theirs = emulator.addAssignment(TENANT, policy, assignment(target));

        Outcome.Created answered = (Outcome.Created) create(policy, target);

        assertThat(emulator.stats().count(Operation.CREATE, 400)).as("the create Graph refused").isEqualTo(1);
        assertThat(answered.alreadyExisted()).isTrue();
        assertThat(answered.assignmentId()).isEqualTo(theirs);
        assertThat(emulator.assignments(TENANT, policy)).hasSize(2);
    }

    @Test
    void aListWithoutItsValueArrayIsReadAgainAndNothingIsDeleted() throws Exception {
        start(Strategy.ASSIGN, EmulatorSettings.defaults().withPageSize(2));
        String policy = policy();
        List<String> seeded = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            seeded.add(emulator.addAssignment(TENANT, policy,
                    assignment(target(TargetType.GROUP, UUID.randomUUID().toString()))));
        }
        emulator.tenant(TENANT).listWithoutValue(1).failNextPage(1).brokenNextLink(1);

        Outcome outcome = stack.scheduler.assignCoalesced(request(policy,
                target(TargetType.GROUP, UUID.randomUUID().toString()))).get(30, TimeUnit.SECONDS);

        assertThat(outcome).isInstanceOf(Outcome.Created.class);
        assertThat(emulator.stats().injected()).containsEntry(InjectedFault.LIST_WITHOUT_VALUE, 1L)
                .containsEntry(InjectedFault.FAILED_NEXT_PAGE, 1L).containsEntry(InjectedFault.BROKEN_NEXT_LINK, 1L);
        assertThat(emulator.assignments(TENANT, policy)).extracting(a -> a.path("id").asString())
                .containsAll(seeded).hasSize(6);
    }

    @Test
    void writesBackAnAssignmentTheAssignLostAndCountsTheRepair() throws Exception {
        start(Strategy.ASSIGN, EmulatorSettings.defaults());
        String policy = policy();
        String seeded = emulator.addAssignment(TENANT, policy,
                assignment(target(TargetType.GROUP, UUID.randomUUID().toString())));
        emulator.tenant(TENANT).assignDropsExisting(1);

        Outcome outcome = stack.scheduler.assignCoalesced(request(policy,
                target(TargetType.GROUP, UUID.randomUUID().toString()))).get(30, TimeUnit.SECONDS);

        assertThat(outcome).isInstanceOf(Outcome.Created.class);
        assertThat(emulator.assignments(TENANT, policy)).extracting(a -> a.path("id").asString()).contains(seeded)
                .hasSize(2);
        assertThat(stack.meters.get("intune.worker.assign.repairs").counter().count()).isEqualTo(1.0);
        assertThat(emulator.stats().count(Operation.ASSIGN, 200)).as("the write and its repair").isEqualTo(2);
    }

    @Test
    void confirmsAnAssignAnsweredWithoutABodyByReadingItBack() throws Exception {
        start(Strategy.ASSIGN, EmulatorSettings.defaults());
        String policy = policy();
        emulator.tenant(TENANT).assignWithoutBody(1);

        Outcome outcome = stack.scheduler.assignCoalesced(request(policy,
                target(TargetType.GROUP, UUID.randomUUID().toString()))).get(30, TimeUnit.SECONDS);

        assertThat(outcome).as("an /assign answered without a body is confirmed by its read-back")
                .isInstanceOf(Outcome.Created.class);
        assertThat(emulator.assignments(TENANT, policy)).hasSize(1);
    }

    private Outcome create(String policy, AssignmentTarget target) throws Exception {
        return stack.scheduler.schedule(request(policy, target)).get(30, TimeUnit.SECONDS);
    }

    private String policy() {
        String id = UUID.randomUUID().toString();
        emulator.addPolicy(TENANT, id, "policy");
        return id;
    }

    private static ReceivedRequest request(String policyId, AssignmentTarget target) {
        AssignmentRequest request = new AssignmentRequest("r-" + UUID.randomUUID(), TENANT, policyId, "test",
                target, AssignmentSource.DIRECT, null);
        return new ReceivedRequest(request, new RecordSource("t", 0, 0), Instant.now());
    }

    private static AssignmentTarget target(TargetType type, String groupId) {
        return new AssignmentTarget(type, groupId, null, null, FilterType.NONE);
    }

    private static AssignmentTarget filtered(AssignmentTarget target) {
        return new AssignmentTarget(target.type(), target.groupId(), target.collectionId(),
                UUID.randomUUID().toString(), FilterType.INCLUDE);
    }

    private static JsonNode assignment(AssignmentTarget target) {
        return JSON.readTree("{\"@odata.type\":\"#microsoft.graph.deviceCompliancePolicyAssignment\",\"target\":"
                + "{\"@odata.type\":\"" + target.type().odataType() + "\",\"groupId\":\"" + target.groupId()
                + "\"},\"source\":\"direct\"}");
    }

    private static List<Outcome> awaitAll(List<CompletableFuture<Outcome>> futures) throws Exception {
        List<Outcome> outcomes = new ArrayList<>();
        for (CompletableFuture<Outcome> future : futures) {
            outcomes.add(future.get(30, TimeUnit.SECONDS));
        }
        return outcomes;
    }

    /** The wall clock plus an offset a test moves forward: reads made now look as old as the test says. */
    private static final class MovableClock extends Clock {
        private volatile Duration offset = Duration.ZERO;

        void advance(Duration by) {
            offset = offset.plus(by);
        }

        @Override
        public ZoneId getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(ZoneId zone) {
            return this;
        }

        @Override
        public Instant instant() {
            return Instant.now().plus(offset);
        }
    }
}
