package io.assignmentworker.emulator;

import static io.assignmentworker.emulator.EmulatorTestClient.GROUP;
import static io.assignmentworker.emulator.EmulatorTestClient.POLICY;
import static io.assignmentworker.emulator.EmulatorTestClient.TENANT;
import static io.assignmentworker.emulator.EmulatorTestClient.assignmentsPath;
import static io.assignmentworker.emulator.EmulatorTestClient.groupAssignment;
import static io.assignmentworker.emulator.EmulatorTestClient.json;
import static io.assignmentworker.emulator.EmulatorTestClient.policyPath;
import static org.assertj.core.api.Assertions.assertThat;

import java.net.http.HttpResponse;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

class GraphAssignmentsTest extends StandardEmulatorTest {

    private static final String OTHER_GROUP = "1b2c3d4e-5f60-4718-8293-a4b5c6d7e8f9";
    private static final String UNKNOWN_POLICY = "00000000-1111-2222-3333-444444444444";

    @Test
    void returnsPolicyWithODataAnnotations() {
        HttpResponse<String> response = client.get(policyPath(POLICY), token);

        assertThat(response.statusCode()).isEqualTo(200);
        JsonNode body = json(response);
        assertThat(body.get("@odata.type").stringValue()).isEqualTo("#microsoft.graph.windows10CompliancePolicy");
        assertThat(body.get("@odata.context").stringValue()).contains("$metadata#deviceManagement/deviceCompliancePolicies");
        assertThat(body.get("id").stringValue()).isEqualTo(POLICY);
        assertThat(body.get("displayName").stringValue()).isEqualTo("Windows 10 baseline");
    }

    @Test
    void createsAssignmentWith201AndLocationThenListsIt() {
        HttpResponse<String> created = client.createGroupAssignment(token, GROUP);

        assertThat(created.statusCode()).isEqualTo(201);
        JsonNode body = json(created);
        String id = body.get("id").stringValue();
        assertThat(body.get("@odata.type").stringValue()).isEqualTo("#microsoft.graph.deviceCompliancePolicyAssignment");
        assertThat(body.get("@odata.context").stringValue()).endsWith("/assignments/$entity");
        assertThat(body.get("source").stringValue()).isEqualTo("direct");
        assertThat(body.get("target").get("groupId").stringValue()).isEqualTo(GROUP);
        assertThat(created.headers().firstValue("Location")).hasValue(
                emulator.graphBaseUrl() + assignmentsPath(POLICY) + "/" + id);
        assertThat(client.getUrl(created.headers().firstValue("Location").orElseThrow(), token).statusCode())
                .isEqualTo(200);

        JsonNode list = json(client.get(assignmentsPath(POLICY), token));
        assertThat(list.get("value")).hasSize(1);
        assertThat(list.get("value").get(0).get("id").stringValue()).isEqualTo(id);
        assertThat(emulator.assignments(TENANT, POLICY)).hasSize(1);
        assertThat(emulator.stats().writesPerformed()).isEqualTo(1);
        assertThat(emulator.stats().count(EmulatorStats.Operation.CREATE, 201)).isEqualTo(1);
    }

    @Test
    void acceptsODataKeySyntaxInPaths() {
        HttpResponse<String> response = client.get("/deviceManagement/deviceCompliancePolicies('" + POLICY
                + "')/assignments", token);

        assertThat(response.statusCode()).isEqualTo(200);
    }

    @Test
    void answers404ResourceNotFoundForUnknownPolicy() {
        HttpResponse<String> response = client.createGroupAssignment(token, GROUP);
        HttpResponse<String> unknown = client.post(assignmentsPath(UNKNOWN_POLICY), token, groupAssignment(GROUP));

        assertThat(response.statusCode()).isEqualTo(201);
        assertThat(unknown.statusCode()).isEqualTo(404);
        assertThat(json(unknown).get("error").get("code").stringValue()).isEqualTo("ResourceNotFound");
        assertThat(client.get(policyPath(UNKNOWN_POLICY), token).statusCode()).isEqualTo(404);
        assertThat(client.get(assignmentsPath(UNKNOWN_POLICY), token).statusCode()).isEqualTo(404);
    }

    @Test
    void answers400ForInvalidJsonAndInvalidBodies() {
        assertBadRequest(client.post(assignmentsPath(POLICY), token, "{not json"), "Invalid JSON");
        assertBadRequest(client.post(assignmentsPath(POLICY), token, "{}"), "'target' is required");
        assertBadRequest(client.post(assignmentsPath(POLICY), token, groupAssignment("not-a-guid")), "groupId");
        assertBadRequest(client.post(assignmentsPath(POLICY), token, """
                {"target":{"@odata.type":"#microsoft.graph.groupAssignmentTarget","groupId":"%s",
                 "deviceAndAppManagementAssignmentFilterType":"include"}}""".formatted(GROUP)), "FilterId");
        assertBadRequest(client.post(assignmentsPath(POLICY), token, """
                {"target":{"@odata.type":"#microsoft.graph.userTarget"}}"""), "not supported");
        assertBadRequest(client.post(assignmentsPath(POLICY), token, """
                {"target":{"@odata.type":"#microsoft.graph.allDevicesAssignmentTarget"},"colour":"red"}"""),
                "'colour' does not exist");
        assertThat(emulator.assignments(TENANT, POLICY)).isEmpty();
    }

    @Test
    void answers400RatherThan404ForMalformedPolicyId() {
        HttpResponse<String> response = client.get(policyPath("not-a-guid"), token);

        assertBadRequest(response, "not-a-guid");
    }

    @Test
    void answers404ForUnknownPathAnd405ForWrongMethod() {
        HttpResponse<String> unknown = client.get("/deviceManagement/deviceConfigurations", token);
        HttpResponse<String> wrongMethod = client.method("DELETE", assignmentsPath(POLICY), token);

        assertThat(unknown.statusCode()).isEqualTo(404);
        assertThat(json(unknown).get("error").get("message").stringValue()).contains("deviceConfigurations");
        assertThat(wrongMethod.statusCode()).isEqualTo(405);
        assertThat(wrongMethod.headers().firstValue("Allow")).hasValue("GET, POST");
    }

    @Test
    void echoesClientRequestIdAndSendsRequestIdOnEveryReply() {
        HttpResponse<String> ok = client.get(policyPath(POLICY), token, "client-request-id", "abc-123");
        HttpResponse<String> error = client.get(policyPath(UNKNOWN_POLICY), token, "client-request-id", "def-456");
        HttpResponse<String> anonymous = client.get(policyPath(POLICY), null);

        assertThat(ok.headers().firstValue("client-request-id")).hasValue("abc-123");
        assertThat(ok.headers().firstValue("request-id")).hasValueSatisfying(v -> assertThat(Ids.isGuid(v)).isTrue());
        assertThat(error.headers().firstValue("client-request-id")).hasValue("def-456");
        JsonNode inner = json(error).get("error").get("innerError");
        assertThat(inner.get("client-request-id").stringValue()).isEqualTo("def-456");
        assertThat(inner.get("request-id").stringValue()).isEqualTo(error.headers().firstValue("request-id").orElseThrow());
        assertThat(inner.get("date").stringValue()).matches("\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\d");
        assertThat(error.headers().firstValue("Content-Type")).hasValue("application/json");
        assertThat(anonymous.headers().firstValue("request-id")).isPresent();
        assertThat(anonymous.headers().firstValue("client-request-id")).isPresent();
    }

    @Test
    void refusesCreateForAGroupThePolicyAlreadyHasNamingTheExistingAssignment() {
        client.createGroupAssignment(token, GROUP);

        HttpResponse<String> again = client.createGroupAssignment(token, GROUP.toUpperCase());

        assertBadRequest(again, "already has an assignment for " + GROUP + ": " + POLICY + "_" + GROUP);
        assertThat(emulator.assignments(TENANT, POLICY)).hasSize(1);
        assertThat(emulator.duplicateAssignments(TENANT)).as("the attempt is counted").isEqualTo(1);
        assertThat(emulator.stats().writesPerformed()).isEqualTo(1);
    }

    @Test
    void refusesCreateRouteWhileAssignStillReplacesTheSet() {
        emulator.addAssignment(TENANT, POLICY, EmulatorTestClient.JSON.readTree(groupAssignment(GROUP)));
        emulator.tenant(TENANT).createRouteRefused(true);
        JsonNode existing = json(client.get(assignmentsPath(POLICY), token)).get("value").get(0);

        HttpResponse<String> refused = client.createGroupAssignment(token, OTHER_GROUP);
        HttpResponse<String> assigned = client.post(policyPath(POLICY) + "/assign", token,
                "{\"assignments\":[" + existing + "," + groupAssignment(OTHER_GROUP) + "]}");

        assertThat(refused.statusCode()).isEqualTo(400);
        assertThat(json(refused).get("error").get("code").stringValue()).isEqualTo("No method match route template");
        assertThat(json(refused).get("error").get("message").stringValue()).contains("('" + POLICY + "')/assignments");
        assertThat(assigned.statusCode()).isEqualTo(200);
        JsonNode value = json(assigned).get("value");
        assertThat(value).hasSize(2);
        assertThat(value.get(0).get("id").stringValue()).isEqualTo(existing.get("id").stringValue());
        assertThat(value.get(1).get("id").stringValue()).isEqualTo(POLICY + "_" + OTHER_GROUP);
        assertThat(emulator.assignments(TENANT, POLICY)).hasSize(2);
    }

    @Test
    void assignReplacesEverythingNotResent() {
        client.createGroupAssignment(token, GROUP);

        HttpResponse<String> assigned = client.post(policyPath(POLICY) + "/assign", token,
                "{\"assignments\":[" + groupAssignment(OTHER_GROUP) + "]}");

        assertThat(assigned.statusCode()).isEqualTo(200);
        assertThat(emulator.assignments(TENANT, POLICY)).singleElement()
                .satisfies(a -> assertThat(a.get("target").get("groupId").stringValue()).isEqualTo(OTHER_GROUP));
    }

    @Test
    void assignNamesTheInvalidEntryIndex() {
        HttpResponse<String> response = client.post(policyPath(POLICY) + "/assign", token,
                "{\"assignments\":[" + groupAssignment(GROUP) + "," + groupAssignment("bad") + "]}");

        assertBadRequest(response, "assignments[1]");
        assertThat(emulator.assignments(TENANT, POLICY)).isEmpty();
    }

    @Test
    void pagesListsWithAbsoluteNextLink() {
        emulator.close();
        emulator = EmulatorTestClient.standardEmulator(EmulatorSettings.defaults().withPageSize(2));
        client = new EmulatorTestClient(emulator);
        token = client.token();
        for (int i = 0; i < 5; i++) {
            client.createGroupAssignment(token, "1b2c3d4e-5f60-4718-8293-a4b5c6d7e8f" + i);
        }

        int pages = 0;
        int items = 0;
        HttpResponse<String> page = client.get(assignmentsPath(POLICY), token);
        while (true) {
            JsonNode body = json(page);
            pages++;
            items += body.get("value").size();
            if (!body.has("@odata.nextLink")) {
                break;
            }
            String next = body.get("@odata.nextLink").stringValue();
            assertThat(next).startsWith(emulator.graphBaseUrl().toString());
            page = client.getUrl(next, token);
        }

        assertThat(pages).isEqualTo(3);
        assertThat(items).isEqualTo(5);
    }

    private static void assertBadRequest(HttpResponse<String> response, String messagePart) {
        assertThat(response.statusCode()).isEqualTo(400);
        JsonNode error = json(response).get("error");
        assertThat(error.get("code").stringValue()).isEqualTo("BadRequest");
        assertThat(error.get("message").stringValue()).contains(messagePart);
    }
}
