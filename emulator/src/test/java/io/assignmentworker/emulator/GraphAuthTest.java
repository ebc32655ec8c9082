package io.assignmentworker.emulator;

import static io.assignmentworker.emulator.EmulatorTestClient.CLIENT;
import static io.assignmentworker.emulator.EmulatorTestClient.GROUP;
import static io.assignmentworker.emulator.EmulatorTestClient.POLICY;
import static io.assignmentworker.emulator.EmulatorTestClient.TENANT;
import static io.assignmentworker.emulator.EmulatorTestClient.json;
import static io.assignmentworker.emulator.EmulatorTestClient.policyPath;
import static org.assertj.core.api.Assertions.assertThat;

import java.net.http.HttpResponse;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

class GraphAuthTest {
    private GraphEmulator emulator;
    private EmulatorTestClient client;

    private void start(EmulatorSettings settings) {
        emulator = EmulatorTestClient.standardEmulator(settings);
        client = new EmulatorTestClient(emulator);
    }

    @AfterEach
    void stop() {
        emulator.close();
    }

    @Test
    void answers401AccessTokenIsEmptyWithoutBearer() {
        start(EmulatorSettings.defaults());

        HttpResponse<String> response = client.get(policyPath(POLICY), null);

        assertUnauthorized(response, "Access token is empty.");
    }

    @Test
    void answers401ForEveryTokenIssuedBeforeExpireAllTokens() {
        start(EmulatorSettings.defaults());
        String old = client.token();
        assertThat(client.get(policyPath(POLICY), old).statusCode()).isEqualTo(200);

        emulator.expireAllTokens();

        assertUnauthorized(client.get(policyPath(POLICY), old), "Access token has expired or is not yet valid.");
        assertThat(client.get(policyPath(POLICY), client.token()).statusCode()).isEqualTo(200);
    }

    @Test
    void answers401OnceTokenTtlHasPassed() throws InterruptedException {
        start(EmulatorSettings.defaults().withTokenTtl(Duration.ofMillis(300)));
        String token = client.token();
        assertThat(client.get(policyPath(POLICY), token).statusCode()).isEqualTo(200);

        Thread.sleep(400);

        assertUnauthorized(client.get(policyPath(POLICY), token), "Access token has expired or is not yet valid.");
    }

    @Test
    void answers401ForUnknownToken() {
        start(EmulatorSettings.defaults());

        assertUnauthorized(client.get(policyPath(POLICY), "forged"), "Access token has expired or is not yet valid.");
    }

    @Test
    void answers403NamingThePermissionForDeniedApp() {
        start(EmulatorSettings.defaults());
        emulator.denyPermission(TENANT, CLIENT);
        String token = client.token();

        HttpResponse<String> response = client.createGroupAssignment(token, GROUP);

        assertThat(response.statusCode()).isEqualTo(403);
        JsonNode error = json(response).get("error");
        assertThat(error.get("code").stringValue()).isEqualTo("Forbidden");
        assertThat(error.get("message").stringValue()).isEqualTo("Application is not authorized to perform this "
                + "operation. Application must have one of the following scopes: "
                + "DeviceManagementConfiguration.ReadWrite.All");
        assertThat(emulator.assignments(TENANT, POLICY)).isEmpty();
    }

    @Test
    void authenticatesBeforeResolvingPaths() {
        start(EmulatorSettings.defaults());

        assertThat(client.get(policyPath("not-a-guid"), null).statusCode()).isEqualTo(401);
    }

    private static void assertUnauthorized(HttpResponse<String> response, String message) {
        assertThat(response.statusCode()).isEqualTo(401);
        JsonNode error = json(response).get("error");
        assertThat(error.get("code").stringValue()).isEqualTo("InvalidAuthenticationToken");
        assertThat(error.get("message").stringValue()).isEqualTo(message);
        assertThat(response.headers().firstValue("WWW-Authenticate")).hasValueSatisfying(
                v -> assertThat(v).startsWith("Bearer "));
    }
}
