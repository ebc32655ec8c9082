package io.assignmentworker.emulator;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;
import tools.jackson.databind.node.ObjectNode;

class AssignmentValidatorTest {
    private static final String GUID = "9a8b7c6d-5e4f-4a3b-8c2d-1e0f9a8b7c6d";

    @Test
    void fillsGraphDefaultsAndQualifiesTypeNames() {
        ObjectNode out = AssignmentValidator.normalize(EmulatorTestClient.JSON.readTree("""
                {"target":{"@odata.type":"microsoft.graph.exclusionGroupAssignmentTarget","groupId":"%s"}}"""
                .formatted(GUID)), "");

        assertThat(out.get("@odata.type").stringValue()).isEqualTo("#microsoft.graph.deviceCompliancePolicyAssignment");
        assertThat(out.get("source").stringValue()).isEqualTo("direct");
        assertThat(out.get("sourceId").isNull()).isTrue();
        assertThat(out.get("target").get("@odata.type").stringValue())
                .isEqualTo("#microsoft.graph.exclusionGroupAssignmentTarget");
        assertThat(out.get("target").get("deviceAndAppManagementAssignmentFilterType").stringValue()).isEqualTo("none");
    }

    @Test
    void acceptsEveryDocumentedTargetType() {
        for (String target : new String[] {
                "{\"@odata.type\":\"#microsoft.graph.allLicensedUsersAssignmentTarget\"}",
                "{\"@odata.type\":\"#microsoft.graph.allDevicesAssignmentTarget\","
                        + "\"deviceAndAppManagementAssignmentFilterType\":\"exclude\","
                        + "\"deviceAndAppManagementAssignmentFilterId\":\"" + GUID + "\"}",
                "{\"@odata.type\":\"#microsoft.graph.configurationManagerCollectionAssignmentTarget\","
                        + "\"collectionId\":\"SMS00001\"}",
                "{\"@odata.type\":\"#microsoft.graph.groupAssignmentTarget\",\"groupId\":\"" + GUID + "\"}"}) {
            ObjectNode out = AssignmentValidator.normalize(
                    EmulatorTestClient.JSON.readTree("{\"source\":\"policySets\",\"target\":" + target + "}"), "");
            assertThat(out.get("source").stringValue()).isEqualTo("policySets");
        }
    }

    @Test
    void refusesCollectionTargetWithoutCollectionIdAndBadEnums() {
        assertThatThrownBy(() -> AssignmentValidator.normalize(EmulatorTestClient.JSON.readTree(
                "{\"target\":{\"@odata.type\":\"#microsoft.graph.configurationManagerCollectionAssignmentTarget\"}}"),
                "assignments[0]: "))
                .isInstanceOf(GraphErrorReply.class).hasMessageStartingWith("assignments[0]: ").hasMessageContaining("collectionId");
        assertThatThrownBy(() -> AssignmentValidator.normalize(EmulatorTestClient.JSON.readTree(
                "{\"source\":\"inherited\",\"target\":{\"@odata.type\":\"#microsoft.graph.allDevicesAssignmentTarget\"}}"),
                "")).isInstanceOf(GraphErrorReply.class).hasMessageContaining("source");
    }
}
