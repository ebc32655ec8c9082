package io.assignmentworker.request;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import tools.jackson.databind.json.JsonMapper;

/** What a policy holds, read from Graph's list the one way worker and dry run share. */
class TargetJsonTest {

    private static final JsonMapper JSON = JsonMapper.builder().build();
    private static final String GROUP = "5d1b2c3a-6e7f-4a8b-9c0d-1e2f3a4b5c6d";
    private static final String FILTER = "0f1e2d3c-4b5a-4968-8776-a5b4c3d2e1f0";

    @Test
    void readsAnExclusionWithItsFilter() {
        var target = TargetJson.ofAssignment(JSON.readTree("""
                {"id":"a_1","target":{"@odata.type":"#microsoft.graph.exclusionGroupAssignmentTarget",
                 "groupId":"%s","deviceAndAppManagementAssignmentFilterId":"%s",
                 "deviceAndAppManagementAssignmentFilterType":"include"}}""".formatted(GROUP, FILTER)));

        assertThat(target).contains(new AssignmentTarget(TargetType.EXCLUSION_GROUP, GROUP, null, FILTER,
                FilterType.INCLUDE));
    }

    @Test
    void readsAnEmptyFilterIdAsNoFilter() {
        var target = TargetJson.ofAssignment(JSON.readTree("""
                {"target":{"@odata.type":"#microsoft.graph.allDevicesAssignmentTarget",
                 "deviceAndAppManagementAssignmentFilterId":"","deviceAndAppManagementAssignmentFilterType":"none"}}"""));

        assertThat(target).contains(new AssignmentTarget(TargetType.ALL_DEVICES, null, null, null, FilterType.NONE));
    }

    @Test
    void skipsTargetTypesARequestCannotName() {
        assertThat(TargetJson.ofAssignment(JSON.readTree("""
                {"target":{"@odata.type":"#microsoft.graph.someFutureAssignmentTarget"}}"""))).isEmpty();
        assertThat(TargetJson.ofAssignment(JSON.readTree("{}"))).isEmpty();
    }
}
