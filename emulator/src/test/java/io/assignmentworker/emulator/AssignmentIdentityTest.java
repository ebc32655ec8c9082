package io.assignmentworker.emulator;

import static io.assignmentworker.emulator.EmulatorTestClient.GROUP;
import static io.assignmentworker.emulator.EmulatorTestClient.JSON;
import static io.assignmentworker.emulator.EmulatorTestClient.POLICY;
import static io.assignmentworker.emulator.EmulatorTestClient.TENANT;
import static io.assignmentworker.emulator.EmulatorTestClient.assignmentsPath;
import static io.assignmentworker.emulator.EmulatorTestClient.json;
import static io.assignmentworker.emulator.EmulatorTestClient.policyPath;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.http.HttpResponse;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import tools.jackson.databind.JsonNode;

/** Graph's identity of a compliance-policy assignment, {@code {policyId}_{subject}}, and what follows from it. */
class AssignmentIdentityTest extends StandardEmulatorTest {

    private static final String OTHER_GROUP = "1b2c3d4e-5f60-4718-8293-a4b5c6d7e8f9";
    private static final String FILTER = "7e6d5c4b-3a29-4817-9605-f4e3d2c1b0a9";
    private static final String ALL_DEVICES = "adadadad-808e-44e2-905a-0b7873a8a531";
    private static final String ALL_USERS = "acacacac-9df4-4c7d-9d50-4ef0226f57a9";

    /** Each target type with the id suffix Graph gives its assignment. */
    static Stream<Arguments> targets() {
        return Stream.of(
                Arguments.of("group", target("groupAssignmentTarget", "\"groupId\":\"" + GROUP + "\""), GROUP),
                Arguments.of("group sent in upper case",
                        target("groupAssignmentTarget", "\"groupId\":\"" + GROUP.toUpperCase() + "\""), GROUP),
                Arguments.of("exclusion group",
                        target("exclusionGroupAssignmentTarget", "\"groupId\":\"" + GROUP + "\""), GROUP),
                Arguments.of("all devices", target("allDevicesAssignmentTarget", null), ALL_DEVICES),
                Arguments.of("all licensed users", target("allLicensedUsersAssignmentTarget", null), ALL_USERS),
                Arguments.of("Configuration Manager collection",
                        target("configurationManagerCollectionAssignmentTarget", "\"collectionId\":\"SMS00042\""),
                        "SMS00042"),
                Arguments.of("filtered group", target("groupAssignmentTarget", "\"groupId\":\"" + GROUP
                        + "\",\"deviceAndAppManagementAssignmentFilterId\":\"" + FILTER
                        + "\",\"deviceAndAppManagementAssignmentFilterType\":\"include\""), GROUP));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("targets")
    void createStoresGraphsIdWhateverIdWasSent(String name, String target, String suffix) {
        HttpResponse<String> created = client.post(assignmentsPath(POLICY), token, assignment("my-own-id", target));

        assertThat(created.statusCode()).isEqualTo(201);
        assertThat(json(created).get("id").stringValue()).isEqualTo(POLICY + "_" + suffix);
        assertThat(created.headers().firstValue("Location")).hasValueSatisfying(
                location -> assertThat(location).endsWith("/assignments/" + POLICY + "_" + suffix));
        assertThat(onlyId()).isEqualTo(POLICY + "_" + suffix);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("targets")
    void assignStoresGraphsIdWhateverIdWasSent(String name, String target, String suffix) {
        HttpResponse<String> assigned = assign(assignment("my-own-id", target));

        assertThat(assigned.statusCode()).isEqualTo(200);
        assertThat(json(assigned).get("value").get(0).get("id").stringValue()).isEqualTo(POLICY + "_" + suffix);
        assertThat(onlyId()).isEqualTo(POLICY + "_" + suffix);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("targets")
    void seedingStoresGraphsIdWhateverIdWasSent(String name, String target, String suffix) {
        String id = emulator.addAssignment(TENANT, POLICY, JSON.readTree(assignment(POLICY + "_seeded", target)));

        assertThat(id).isEqualTo(POLICY + "_" + suffix);
        assertThat(onlyId()).isEqualTo(POLICY + "_" + suffix);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("targets")
    void readsOneAssignmentByItsGraphIdInAnyCase(String name, String target, String suffix) {
        emulator.addAssignment(TENANT, POLICY, JSON.readTree(assignment(null, target)));

        HttpResponse<String> exact = client.get(assignmentsPath(POLICY) + "/" + POLICY + "_" + suffix, token);
        HttpResponse<String> upper = client.get(assignmentsPath(POLICY) + "/" + (POLICY + "_" + suffix).toUpperCase(),
                token);
        HttpResponse<String> keySyntax = client.get(assignmentsPath(POLICY) + "('" + POLICY + "_" + suffix + "')",
                token);

        assertThat(exact.statusCode()).isEqualTo(200);
        assertThat(json(exact).get("id").stringValue()).isEqualTo(POLICY + "_" + suffix);
        assertThat(upper.statusCode()).isEqualTo(200);
        assertThat(keySyntax.statusCode()).isEqualTo(200);
    }

    @Test
    void assignRefusesASetHoldingOneGroupTwiceAndLeavesTheSetUnchanged() {
        emulator.addAssignment(TENANT, POLICY, JSON.readTree(assignment(null,
                target("groupAssignmentTarget", "\"groupId\":\"" + OTHER_GROUP + "\""))));
        List<JsonNode> before = emulator.assignments(TENANT, POLICY);

        HttpResponse<String> refused = assign(
                assignment(null, target("groupAssignmentTarget", "\"groupId\":\"" + GROUP + "\"")),
                assignment(null, target("allDevicesAssignmentTarget", null)),
                assignment(null, target("exclusionGroupAssignmentTarget", "\"groupId\":\"" + GROUP.toUpperCase()
                        + "\"")));

        assertThat(refused.statusCode()).isEqualTo(400);
        JsonNode error = json(refused).get("error");
        assertThat(error.get("code").stringValue()).isEqualTo("BadRequest");
        String message = error.get("message").stringValue();
        assertThat(message).contains("a group should be unique in an assignment set")
                .contains("assignments[0] and assignments[2]");
        assertThat(JSON.readTree(message).get("Message").stringValue()).as("Intune's message document")
                .contains("Activity ID: " + refused.headers().firstValue("request-id").orElseThrow());
        assertThat(emulator.assignments(TENANT, POLICY)).isEqualTo(before);
        assertThat(emulator.stats().writesPerformed()).isZero();
    }

    @Test
    void assignRefusesOneSubjectTwiceWhateverItsFilters() {
        HttpResponse<String> sameGroupTwoFilters = assign(
                assignment(null, target("groupAssignmentTarget", "\"groupId\":\"" + GROUP + "\"")),
                assignment(null, target("groupAssignmentTarget", "\"groupId\":\"" + GROUP
                        + "\",\"deviceAndAppManagementAssignmentFilterId\":\"" + FILTER
                        + "\",\"deviceAndAppManagementAssignmentFilterType\":\"exclude\"")));
        HttpResponse<String> allDevicesTwice = assign(
                assignment(null, target("allDevicesAssignmentTarget", null)),
                assignment(null, target("allDevicesAssignmentTarget", "\"deviceAndAppManagementAssignmentFilterId\":\""
                        + FILTER + "\",\"deviceAndAppManagementAssignmentFilterType\":\"include\"")));
        HttpResponse<String> collectionTwice = assign(
                assignment(null, target("configurationManagerCollectionAssignmentTarget", "\"collectionId\":\"SMS1\"")),
                assignment(null, target("configurationManagerCollectionAssignmentTarget", "\"collectionId\":\"sms1\"")));

        for (HttpResponse<String> refused : List.of(sameGroupTwoFilters, allDevicesTwice, collectionTwice)) {
            assertThat(refused.statusCode()).isEqualTo(400);
            assertThat(json(refused).get("error").get("message").stringValue())
                    .contains("a group should be unique in an assignment set");
        }
        assertThat(emulator.assignments(TENANT, POLICY)).isEmpty();
    }

    @Test
    void createRefusesASubjectThePolicyHasAsAnotherKindOfTarget() {
        emulator.addAssignment(TENANT, POLICY, JSON.readTree(assignment(null,
                target("exclusionGroupAssignmentTarget", "\"groupId\":\"" + GROUP + "\""))));

        HttpResponse<String> include = client.createGroupAssignment(token, GROUP);

        assertThat(include.statusCode()).isEqualTo(400);
        assertThat(json(include).get("error").get("message").stringValue()).contains(POLICY + "_" + GROUP);
        assertThat(emulator.assignments(TENANT, POLICY)).singleElement().satisfies(a -> assertThat(
                a.get("target").get("@odata.type").stringValue()).endsWith("exclusionGroupAssignmentTarget"));
    }

    @Test
    void seedingRefusesASubjectThePolicyAlreadyHas() {
        emulator.addAssignment(TENANT, POLICY, JSON.readTree(assignment(null, target("allDevicesAssignmentTarget",
                null))));

        assertThatThrownBy(() -> emulator.addAssignment(TENANT, POLICY, JSON.readTree(assignment(null,
                target("allDevicesAssignmentTarget", "\"deviceAndAppManagementAssignmentFilterId\":\"" + FILTER
                        + "\",\"deviceAndAppManagementAssignmentFilterType\":\"include\"")))))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining(POLICY + "_" + ALL_DEVICES);
        assertThat(emulator.assignments(TENANT, POLICY)).hasSize(1);
        assertThat(emulator.duplicateAssignments(TENANT)).isZero();
    }

    @Test
    void administratorRemovesAnAssignmentBehindTheClientsBack() {
        String id = emulator.addAssignment(TENANT, POLICY, JSON.readTree(assignment(null,
                target("groupAssignmentTarget", "\"groupId\":\"" + GROUP + "\""))));
        emulator.addAssignment(TENANT, POLICY, JSON.readTree(assignment(null,
                target("groupAssignmentTarget", "\"groupId\":\"" + OTHER_GROUP + "\""))));

        assertThat(emulator.removeAssignment(TENANT, POLICY, id.toUpperCase())).isTrue();
        assertThat(emulator.removeAssignment(TENANT, POLICY, id)).as("already gone").isFalse();

        assertThat(emulator.assignments(TENANT, POLICY)).extracting(a -> a.get("id").stringValue())
                .containsExactly(POLICY + "_" + OTHER_GROUP);
        assertThat(client.get(assignmentsPath(POLICY) + "/" + id, token).statusCode()).isEqualTo(404);
        assertThat(client.createGroupAssignment(token, GROUP).statusCode()).as("the group is free again")
                .isEqualTo(201);
    }

    @Test
    void administratorChangesAnAssignmentsFilterInPlaceUnderTheSameId() {
        emulator.addAssignment(TENANT, POLICY, JSON.readTree(assignment(null,
                target("groupAssignmentTarget", "\"groupId\":\"" + OTHER_GROUP + "\""))));
        String id = emulator.addAssignment(TENANT, POLICY, JSON.readTree(assignment(null,
                target("groupAssignmentTarget", "\"groupId\":\"" + GROUP + "\""))));

        boolean replaced = emulator.replaceAssignment(TENANT, POLICY, JSON.readTree(assignment(null,
                target("groupAssignmentTarget", "\"groupId\":\"" + GROUP
                        + "\",\"deviceAndAppManagementAssignmentFilterId\":\"" + FILTER
                        + "\",\"deviceAndAppManagementAssignmentFilterType\":\"include\""))));
        boolean unknown = emulator.replaceAssignment(TENANT, POLICY, JSON.readTree(assignment(null,
                target("allDevicesAssignmentTarget", null))));

        assertThat(replaced).isTrue();
        assertThat(unknown).isFalse();
        List<JsonNode> now = emulator.assignments(TENANT, POLICY);
        assertThat(now).hasSize(2);
        assertThat(now.get(1).get("id").stringValue()).isEqualTo(id);
        assertThat(now.get(1).get("target").get("deviceAndAppManagementAssignmentFilterId").stringValue())
                .isEqualTo(FILTER);
        assertThat(now.get(1).get("target").get("deviceAndAppManagementAssignmentFilterType").stringValue())
                .isEqualTo("include");
    }

    private String onlyId() {
        List<JsonNode> held = emulator.assignments(TENANT, POLICY);
        assertThat(held).hasSize(1);
        return held.get(0).get("id").stringValue();
    }

    private HttpResponse<String> assign(String... assignments) {
        return client.post(policyPath(POLICY) + "/assign", token,
                "{\"assignments\":[" + String.join(",", assignments) + "]}");
    }

    private static String target(String type, String properties) {
        return "{\"@odata.type\":\"#microsoft.graph." + type + "\"" + (properties == null ? "" : "," + properties)
                + "}";
    }

    private static String assignment(String id, String target) {
        return "{\"@odata.type\":\"#microsoft.graph.deviceCompliancePolicyAssignment\","
                + (id == null ? "" : "\"id\":\"" + id + "\",") + "\"target\":" + target + "}";
    }
}
