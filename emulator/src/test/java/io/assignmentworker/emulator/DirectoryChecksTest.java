package io.assignmentworker.emulator;

import static io.assignmentworker.emulator.EmulatorTestClient.GROUP;
import static io.assignmentworker.emulator.EmulatorTestClient.JSON;
import static io.assignmentworker.emulator.EmulatorTestClient.POLICY;
import static io.assignmentworker.emulator.EmulatorTestClient.TENANT;
import static io.assignmentworker.emulator.EmulatorTestClient.assignmentsPath;
import static io.assignmentworker.emulator.EmulatorTestClient.groupAssignment;
import static io.assignmentworker.emulator.EmulatorTestClient.json;
import static io.assignmentworker.emulator.EmulatorTestClient.policyPath;
import static org.assertj.core.api.Assertions.assertThat;

import java.net.http.HttpResponse;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

/** Creates and {@code /assign} against the tenant's directory: unknown groups and filters are refused as Graph does. */
class DirectoryChecksTest {
    private static final String KNOWN_GROUP = "2c3d4e5f-6071-4829-93a4-b5c6d7e8f901";
    private static final String UNKNOWN_GROUP = "7e8f9012-3a4b-4c5d-8e6f-708192a3b4c5";
    private static final String KNOWN_FILTER = "4f5a6b7c-8d9e-4f01-a2b3-c4d5e6f70819";
    private static final String UNKNOWN_FILTER = "8a9b0c1d-2e3f-4a5b-9c6d-7e8f9a0b1c2d";

    private GraphEmulator emulator;
    private EmulatorTestClient client;
    private String token;

    @BeforeEach
    void start() {
        startWith(EmulatorSettings.defaults());
    }

    private void startWith(EmulatorSettings settings) {
        emulator = EmulatorTestClient.standardEmulator(settings);
        emulator.addGroup(TENANT, KNOWN_GROUP, "Pilot devices");
        emulator.addAssignmentFilter(TENANT, KNOWN_FILTER, "Windows 11 only");
        client = new EmulatorTestClient(emulator);
        token = client.token();
    }

    @AfterEach
    void stop() {
        emulator.close();
    }

    @Test
    void createRefusesAnUnknownGroupWithGraphsErrorShape() {
        emulator.tenant(TENANT).directoryChecks(true);

        HttpResponse<String> refused = client.post(assignmentsPath(POLICY), token, groupAssignment(UNKNOWN_GROUP),
                "client-request-id", "c0ffee00-0000-4000-8000-000000000001");

        JsonNode error = assertRefused(refused, "Invalid GroupId : " + UNKNOWN_GROUP
                + " provided, a valid AADGroupId is expected.");
        JsonNode inner = error.get("innerError");
        assertThat(inner.get("request-id").stringValue()).isEqualTo(refused.headers().firstValue("request-id").orElseThrow());
        assertThat(inner.get("client-request-id").stringValue()).isEqualTo("c0ffee00-0000-4000-8000-000000000001");
        assertThat(inner.get("date").stringValue()).matches("\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\d");
        assertThat(intuneMessage(error).get("Message").stringValue())
                .contains("Activity ID: " + inner.get("request-id").stringValue());
        assertThat(emulator.assignments(TENANT, POLICY)).isEmpty();
        assertThat(emulator.stats().writesPerformed()).isZero();
    }

    @Test
    void assignRefusesAnUnknownGroupAndWritesNothingOfTheSet() {
        emulator.tenant(TENANT).directoryChecks(true);
        emulator.addAssignment(TENANT, POLICY, JSON.readTree(groupAssignment(KNOWN_GROUP)));

        HttpResponse<String> refused = assign(groupAssignment(KNOWN_GROUP), groupAssignment(UNKNOWN_GROUP.toUpperCase()));

        assertRefused(refused, "Invalid GroupId : " + UNKNOWN_GROUP.toUpperCase());
        assertThat(groupIds()).containsExactly(KNOWN_GROUP);
        assertThat(emulator.stats().writesPerformed()).isZero();
    }

    @Test
    void refusesAnExclusionOfAnUnknownGroupToo() {
        emulator.tenant(TENANT).directoryChecks(true);

        HttpResponse<String> refused = client.post(assignmentsPath(POLICY), token, """
                {"target":{"@odata.type":"#microsoft.graph.exclusionGroupAssignmentTarget","groupId":"%s"}}"""
                .formatted(UNKNOWN_GROUP));

        assertRefused(refused, "Invalid GroupId : " + UNKNOWN_GROUP);
    }

    @Test
    void createAndAssignRefuseAnUnknownFilter() {
        emulator.tenant(TENANT).directoryChecks(true);

        HttpResponse<String> created = client.post(assignmentsPath(POLICY), token, allDevices(UNKNOWN_FILTER, "include"));
        HttpResponse<String> assigned = assign(filteredGroup(KNOWN_GROUP, UNKNOWN_FILTER, "exclude"));

        assertRefused(created, "Scope Tags validation failed : Filters " + UNKNOWN_FILTER + " , Validated filters ");
        assertRefused(assigned, "Scope Tags validation failed : Filters " + UNKNOWN_FILTER);
        assertThat(emulator.assignments(TENANT, POLICY)).isEmpty();
    }

    @Test
    void acceptsRegisteredGroupsAndFilters() {
        emulator.tenant(TENANT).directoryChecks(true);

        HttpResponse<String> created = client.post(assignmentsPath(POLICY), token,
                filteredGroup(KNOWN_GROUP.toUpperCase(), KNOWN_FILTER, "include"));
        HttpResponse<String> assigned = assign(filteredGroup(KNOWN_GROUP, KNOWN_FILTER, "include"),
                allDevices(KNOWN_FILTER, "exclude"));

        assertThat(created.statusCode()).as(created.body()).isEqualTo(201);
        assertThat(assigned.statusCode()).as(assigned.body()).isEqualTo(200);
        assertThat(json(assigned).get("value")).hasSize(2);
    }

    @Test
    void aFilterIdBesideFilterTypeNoneIsNotChecked() {
        emulator.tenant(TENANT).directoryChecks(true);

        HttpResponse<String> created = client.post(assignmentsPath(POLICY), token,
                filteredGroup(KNOWN_GROUP, UNKNOWN_FILTER, "none"));

        assertThat(created.statusCode()).as(created.body()).isEqualTo(201);
    }

    /** An advanced query, as Graph serves it: only with {@code ConsistencyLevel: eventual}, the number as text. */
    @Test
    void countsAGroupsTransitiveMembersOnlyWithEventualConsistency() {
        String sized = "5a6b7c8d-9e0f-4a1b-8c2d-3e4f5a6b7c8d";
        emulator.addGroup(TENANT, sized, "Kiosks", 1_234);

        var counted = client.get("/groups/" + sized + "/transitiveMembers/$count", token, "ConsistencyLevel",
                "eventual");
        var refused = client.get("/groups/" + sized + "/transitiveMembers/$count", token);
        var unknown = client.get("/groups/" + UNKNOWN_GROUP + "/transitiveMembers/$count", token, "ConsistencyLevel",
                "eventual");

        assertThat(counted.statusCode()).isEqualTo(200);
        assertThat(counted.body()).isEqualTo("1234");
        assertThat(counted.headers().firstValue("Content-Type")).hasValue("text/plain");
        assertThat(refused.statusCode()).isEqualTo(400);
        assertThat(refused.body()).contains("Request_BadRequest").contains("$count is not currently supported.");
        assertThat(unknown.statusCode()).isEqualTo(404);
        assertThat(emulator.stats().count(EmulatorStats.Operation.GET_GROUP_MEMBER_COUNT, 200)).isEqualTo(1);
    }

    @Test
    void readsAndWritesAgreeOnWhatTheDirectoryHolds() {
        emulator.tenant(TENANT).directoryChecks(true);

        assertThat(client.get("/groups/" + UNKNOWN_GROUP, token).statusCode()).isEqualTo(404);
        assertThat(client.createGroupAssignment(token, UNKNOWN_GROUP).statusCode()).isEqualTo(400);
        assertThat(client.get("/deviceManagement/assignmentFilters/" + UNKNOWN_FILTER, token).statusCode())
                .isEqualTo(404);
        assertThat(client.post(assignmentsPath(POLICY), token, allDevices(UNKNOWN_FILTER, "include")).statusCode())
                .isEqualTo(400);
        assertThat(client.get("/groups/" + KNOWN_GROUP, token).statusCode()).isEqualTo(200);
        assertThat(client.createGroupAssignment(token, KNOWN_GROUP).statusCode()).isEqualTo(201);
    }

    @Test
    void aTenantWithoutDirectoryChecksAcceptsAnyWellFormedIds() {
        assertThat(emulator.tenant(TENANT).directoryChecks()).as("off by default").isFalse();

        HttpResponse<String> created = client.createGroupAssignment(token, UNKNOWN_GROUP);
        HttpResponse<String> assigned = assign(groupAssignment(UNKNOWN_GROUP), groupAssignment(GROUP),
                allDevices(UNKNOWN_FILTER, "include"));

        assertThat(created.statusCode()).as("registered groups do not make a tenant strict").isEqualTo(201);
        assertThat(assigned.statusCode()).as(assigned.body()).isEqualTo(200);
        assertThat(emulator.assignments(TENANT, POLICY)).hasSize(3);
    }

    @Test
    void otherTenantsKeepTheirOwnSetting() {
        String other = UUID.randomUUID().toString();
        emulator.registerApp(other, EmulatorTestClient.CLIENT, EmulatorTestClient.SECRET);
        emulator.addPolicy(other, POLICY, "Other tenant's policy");
        emulator.tenant(other).directoryChecks(true);

        assertThat(client.createGroupAssignment(token, UNKNOWN_GROUP).statusCode()).isEqualTo(201);
    }

    @Test
    void settingsTurnTheChecksOnForEveryTenant() {
        emulator.close();
        startWith(EmulatorSettings.defaults().withDirectoryChecks(true));

        assertThat(emulator.tenant(TENANT).directoryChecks()).isTrue();
        assertRefused(client.createGroupAssignment(token, UNKNOWN_GROUP), "Invalid GroupId : " + UNKNOWN_GROUP);
        emulator.tenant(TENANT).directoryChecks(false);
        assertThat(client.createGroupAssignment(token, UNKNOWN_GROUP).statusCode()).isEqualTo(201);
    }

    @Test
    void theAdminEndpointSwitchesTheChecks() {
        HttpResponse<String> on = client.admin("POST", "tenants/" + TENANT + "/behaviour", "{\"directoryChecks\":true}");

        assertThat(on.statusCode()).as(on.body()).isEqualTo(200);
        assertThat(json(on).get("directoryChecks").booleanValue()).isTrue();
        assertRefused(client.createGroupAssignment(token, UNKNOWN_GROUP), "Invalid GroupId : " + UNKNOWN_GROUP);
        assertThat(client.admin("POST", "tenants/" + TENANT + "/behaviour", "{\"directoryChecks\":\"yes\"}")
                .statusCode()).isEqualTo(400);
        assertThat(emulator.tenant(TENANT).directoryChecks()).as("an invalid body changes nothing").isTrue();
    }

    @Test
    void aMissingGroupIsRefusedWithOrWithoutChecks() {
        emulator.tenant(TENANT).missingGroup(KNOWN_GROUP);

        assertRefused(client.createGroupAssignment(token, KNOWN_GROUP), "Invalid GroupId : " + KNOWN_GROUP);
        emulator.tenant(TENANT).directoryChecks(true);
        assertRefused(assign(groupAssignment(KNOWN_GROUP)), "Invalid GroupId : " + KNOWN_GROUP);
    }

    private HttpResponse<String> assign(String... entries) {
        return client.post(policyPath(POLICY) + "/assign", token,
                "{\"assignments\":[" + String.join(",", entries) + "]}");
    }

    private List<String> groupIds() {
        return emulator.assignments(TENANT, POLICY).stream().map(a -> a.get("target").get("groupId").stringValue())
                .toList();
    }

    /** 400 BadRequest in Graph's error shape, with Intune's message document holding {@code text}. */
    private static JsonNode assertRefused(HttpResponse<String> response, String text) {
        assertThat(response.statusCode()).as(response.body()).isEqualTo(400);
        assertThat(response.headers().firstValue("Content-Type")).hasValue("application/json");
        JsonNode error = json(response).get("error");
        assertThat(error.get("code").stringValue()).isEqualTo("BadRequest");
        assertThat(intuneMessage(error).get("_version").intValue()).isEqualTo(3);
        assertThat(intuneMessage(error).get("Message").stringValue()).startsWith(text);
        return error;
    }

    private static JsonNode intuneMessage(JsonNode error) {
        return JSON.readTree(error.get("message").stringValue());
    }

    private static String filteredGroup(String groupId, String filterId, String filterType) {
        return """
                {"target":{"@odata.type":"#microsoft.graph.groupAssignmentTarget","groupId":"%s",
                 "deviceAndAppManagementAssignmentFilterId":"%s","deviceAndAppManagementAssignmentFilterType":"%s"}}"""
                .formatted(groupId, filterId, filterType);
    }

    private static String allDevices(String filterId, String filterType) {
        return """
                {"target":{"@odata.type":"#microsoft.graph.allDevicesAssignmentTarget",
                 "deviceAndAppManagementAssignmentFilterId":"%s","deviceAndAppManagementAssignmentFilterType":"%s"}}"""
                .formatted(filterId, filterType);
    }
}
