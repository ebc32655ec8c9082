package io.assignmentworker.emulator;

import static io.assignmentworker.emulator.EmulatorTestClient.GROUP;
import static io.assignmentworker.emulator.EmulatorTestClient.POLICY;
import static io.assignmentworker.emulator.EmulatorTestClient.TENANT;
import static io.assignmentworker.emulator.EmulatorTestClient.json;
import static io.assignmentworker.emulator.EmulatorTestClient.policyPath;
import static org.assertj.core.api.Assertions.assertThat;

import java.net.http.HttpResponse;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

class AdminEndpointsTest extends StandardEmulatorTest {

    @Test
    void reportsStatsAsJson() {
        client.createGroupAssignment(token, GROUP);

        JsonNode stats = json(client.admin("GET", "stats", null));

        assertThat(stats.get("graphCalls").asLong()).isEqualTo(1);
        assertThat(stats.get("tokensIssued").asLong()).isEqualTo(1);
        assertThat(stats.get("writesPerformed").asLong()).isEqualTo(1);
        assertThat(stats.get("counts").get("CREATE 201").asLong()).isEqualTo(1);
    }

    @Test
    void listsAssignmentsAndDuplicatesOfATenant() {
        client.createGroupAssignment(token, GROUP);
        client.createGroupAssignment(token, "1b2c3d4e-5f60-4718-8293-a4b5c6d7e8f9");
        client.createGroupAssignment(token, GROUP);

        JsonNode assignments = json(client.admin("GET", "tenants/" + TENANT + "/policies/" + POLICY + "/assignments", null));
        JsonNode duplicates = json(client.admin("GET", "tenants/" + TENANT + "/duplicates", null));

        assertThat(assignments.get("value")).hasSize(2);
        assertThat(duplicates.get("duplicates").asInt()).as("the refused second create of GROUP").isEqualTo(1);
    }

    @Test
    void changesTenantBehaviourFromJson() {
        HttpResponse<String> set = client.admin("POST", "tenants/" + TENANT + "/behaviour",
                "{\"outage\":true,\"writeBudget\":7,\"latency\":\"PT0S\",\"failNext\":{\"count\":0,\"status\":503}}");

        assertThat(set.statusCode()).isEqualTo(200);
        assertThat(json(set).get("writeBudget").asInt()).isEqualTo(7);
        assertThat(emulator.tenant(TENANT).outage()).isTrue();
        assertThat(client.get(policyPath(POLICY), token).statusCode()).isEqualTo(503);
    }

    @Test
    void refusesUnknownBehaviourFieldsWithoutApplyingAnything() {
        HttpResponse<String> set = client.admin("POST", "tenants/" + TENANT + "/behaviour",
                "{\"outage\":true,\"colour\":\"red\"}");

        assertThat(set.statusCode()).isEqualTo(400);
        assertThat(emulator.tenant(TENANT).outage()).isFalse();
    }

    @Test
    void expiresTokensOnRequest() {
        assertThat(client.admin("POST", "tokens/expire", "").statusCode()).isEqualTo(200);

        assertThat(client.get(policyPath(POLICY), token).statusCode()).isEqualTo(401);
    }
}
