package io.assignmentworker.rollout;

import static org.assertj.core.api.Assertions.assertThat;

import io.assignmentworker.request.AssignmentRequest;
import io.assignmentworker.request.FilterType;
import io.assignmentworker.request.Operation;
import io.assignmentworker.request.TargetType;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/** What undoing a rollout takes, from ledger entries alone. */
class RollbackPlanTest {

    private static final JsonMapper JSON = JsonMapper.builder().build();
    private static final String TENANT = "8f1c7e2a-1b2c-4d5e-8f90-0a1b2c3d4e5f";
    private static final String POLICY = "5d1b2c3a-6e7f-4a8b-9c0d-1e2f3a4b5c6d";
    private static final String FILTER = "3c2b1a09-8f7e-4d6c-9b5a-4e3d2c1b0a99";

    private final List<Map.Entry<String, JsonNode>> ledger = new ArrayList<>();

    @Test
    void undoesEachKindOfChangeWithTheRequestThatPutsBackWhatWasThere() {
        String created = "11111111-1111-4111-8111-111111111111";
        String removed = "22222222-2222-4222-8222-222222222222";
        String updated = "33333333-3333-4333-8333-333333333333";
        entry("wave", "CREATED", null, group("groupAssignmentTarget", created, null));
        entry("wave", "REMOVED", group("exclusionGroupAssignmentTarget", removed, null), null);
        entry("wave", "UPDATED", group("groupAssignmentTarget", updated, null),
                group("groupAssignmentTarget", updated, FILTER));

        RollbackPlan plan = RollbackPlan.of("wave", "wave.rollback-1", ledger);

        assertThat(plan.conflicts()).isEmpty();
        Map<String, AssignmentRequest> bySubject = new java.util.HashMap<>();
        plan.changes().forEach(c -> bySubject.put(c.subject(), c.request().request()));
        AssignmentRequest remove = bySubject.get("group|" + created);
        assertThat(remove.operation()).isEqualTo(Operation.REMOVE);
        assertThat(remove.target().groupId()).isEqualTo(created);
        AssignmentRequest restore = bySubject.get("group|" + removed);
        assertThat(restore.operation()).isEqualTo(Operation.CREATE);
        assertThat(restore.target().type()).isEqualTo(TargetType.EXCLUSION_GROUP);
        AssignmentRequest revert = bySubject.get("group|" + updated);
        assertThat(revert.operation()).isEqualTo(Operation.UPDATE);
        assertThat(revert.target().filterType()).isEqualTo(FilterType.NONE);
        assertThat(revert.expected().filterId()).isEqualTo(FILTER);
        assertThat(plan.requests()).allSatisfy(line -> {
            assertThat(line.request().rolloutId()).isEqualTo("wave.rollback-1");
            assertThat(line.request().requestId()).startsWith("wave.rollback-1/");
            assertThat(line.request().tenantId()).isEqualTo(TENANT);
        });
        assertThat(plan.changes()).extracting(RollbackPlan.Change::undo)
                .containsExactlyInAnyOrder("remove", "restore", "revert");
    }

    @Test
    void leavesAloneWhatAnotherRolloutChangedSinceAndReportsIt() {
        String group = "44444444-4444-4444-8444-444444444444";
        entry("wave", "CREATED", null, group("groupAssignmentTarget", group, null));
        entry("filters", "UPDATED", group("groupAssignmentTarget", group, null),
                group("groupAssignmentTarget", group, FILTER));

        RollbackPlan plan = RollbackPlan.of("wave", "wave.rollback-1", ledger);

        assertThat(plan.changes()).isEmpty();
        assertThat(plan.conflicts()).singleElement().satisfies(conflict ->
                assertThat(conflict.since().path("rolloutId").asString()).isEqualTo("filters"));
        assertThat(plan.knowsTheRollout()).isTrue();
    }

    /**
     * After a first rollback the ledger's latest entries are the rollback's: already undone, nothing sent. (Sending
     * the first rollback's remove again would take away an assignment an administrator created since.)
     */
    @Test
    void aSecondRollbackFindsItAlreadyUndoneAndSendsNothing() {
        String group = "55555555-5555-4555-8555-555555555555";
        entry("wave", "CREATED", null, group("groupAssignmentTarget", group, null));
        entry("wave.rollback-1", "REMOVED", group("groupAssignmentTarget", group, null), null);

        RollbackPlan second = RollbackPlan.of("wave", "wave.rollback-2", ledger);

        assertThat(second.changes()).isEmpty();
        assertThat(second.conflicts()).isEmpty();
        assertThat(second.alreadyUndone()).singleElement().satisfies(done ->
                assertThat(done.by()).isEqualTo("wave.rollback-1"));
        assertThat(second.knowsTheRollout()).isTrue();
    }

    /** A rollback of a rollback is that rollback's business: undoing the rollout itself is not "already done". */
    @Test
    void aRollbackOfARollbackIsAnotherRolloutsChange() {
        String group = "77777777-7777-4777-8777-777777777777";
        entry("wave", "CREATED", null, group("groupAssignmentTarget", group, null));
        entry("wave.rollback-1", "REMOVED", group("groupAssignmentTarget", group, null), null);
        entry("wave.rollback-1.rollback-2", "CREATED", null, group("groupAssignmentTarget", group, null));

        RollbackPlan plan = RollbackPlan.of("wave", "wave.rollback-3", ledger);

        assertThat(plan.alreadyUndone()).isEmpty();
        assertThat(plan.conflicts()).singleElement().satisfies(conflict ->
                assertThat(conflict.since().path("rolloutId").asString()).isEqualTo("wave.rollback-1.rollback-2"));
    }

    /** A rollout that removed a group's assignment, then created it otherwise: put back as it was before both. */
    @Test
    void undoesTheNetChangeOfARolloutThatChangedASubjectTwice() {
        String group = "88888888-8888-4888-8888-888888888888";
        entry("wave", "REMOVED", group("exclusionGroupAssignmentTarget", group, null), null);
        entry("wave", "CREATED", null, group("groupAssignmentTarget", group, FILTER));

        RollbackPlan plan = RollbackPlan.of("wave", "wave.rollback-1", ledger);

        assertThat(plan.changes()).singleElement().satisfies(change -> {
            AssignmentRequest request = change.request().request();
            assertThat(request.operation()).isEqualTo(Operation.UPDATE);
            assertThat(request.target().type()).isEqualTo(TargetType.EXCLUSION_GROUP);
            assertThat(request.expected().filterId()).isEqualTo(FILTER);
        });
    }

    @Test
    void saysWhichUndoCannotBeMadeRatherThanDroppingIt() {
        entry("wave", "CREATED", null, group("groupAssignmentTarget", "99999999-9999-4999-8999-999999999999", null));

        RollbackPlan plan = RollbackPlan.of("wave", "wave.rollback-" + "x".repeat(190), ledger);

        assertThat(plan.changes()).isEmpty();
        assertThat(plan.problems()).singleElement().asString().contains("requestId: must be 1 to 200 characters");
        assertThat(plan.knowsTheRollout()).isTrue();
    }

    @Test
    void knowsNothingOfARolloutWithoutEntries() {
        entry("other", "CREATED", null, group("groupAssignmentTarget", "66666666-6666-4666-8666-666666666666",
                null));

        RollbackPlan plan = RollbackPlan.of("wave", "wave.rollback-1", ledger);

        assertThat(plan.knowsTheRollout()).isFalse();
        assertThat(plan.entriesRead()).isEqualTo(1);
    }

    private void entry(String rolloutId, String status, JsonNode before, JsonNode after) {
        JsonNode either = after != null ? after : before;
        String subject = "group|" + either.path("target").path("groupId").asString();
        var entry = JSON.createObjectNode();
        entry.put("tenantId", TENANT);
        entry.put("policyId", POLICY);
        entry.put("subject", subject);
        entry.put("rolloutId", rolloutId);
        entry.put("requestId", rolloutId + "/1");
        entry.put("status", status);
        entry.set("before", before);
        entry.set("after", after);
        ledger.add(Map.entry(TENANT + "/" + POLICY + "/" + subject, entry));
    }

    private static JsonNode group(String type, String groupId, String filterId) {
        var assignment = JSON.createObjectNode();
        assignment.put("@odata.type", "#microsoft.graph.deviceCompliancePolicyAssignment");
        assignment.put("id", POLICY + "_" + groupId);
        var target = assignment.putObject("target");
        target.put("@odata.type", "#microsoft.graph." + type);
        target.put("groupId", groupId);
        target.put("deviceAndAppManagementAssignmentFilterId", filterId);
        target.put("deviceAndAppManagementAssignmentFilterType", filterId == null ? "none" : "include");
        assignment.put("source", "direct");
        return assignment;
    }
}
