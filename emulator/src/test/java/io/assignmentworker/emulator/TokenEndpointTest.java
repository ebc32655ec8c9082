package io.assignmentworker.emulator;

import static io.assignmentworker.emulator.EmulatorTestClient.CLIENT;
import static io.assignmentworker.emulator.EmulatorTestClient.SECRET;
import static io.assignmentworker.emulator.EmulatorTestClient.TENANT;
import static io.assignmentworker.emulator.EmulatorTestClient.clientCredentials;
import static io.assignmentworker.emulator.EmulatorTestClient.json;
import static org.assertj.core.api.Assertions.assertThat;

import com.microsoft.aad.msal4j.ClientCredentialFactory;
import com.microsoft.aad.msal4j.ClientCredentialParameters;
import com.microsoft.aad.msal4j.ConfidentialClientApplication;
import com.microsoft.aad.msal4j.IAuthenticationResult;
import java.net.http.HttpResponse;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

class TokenEndpointTest {
    private GraphEmulator emulator;
    private EmulatorTestClient client;

    @BeforeEach
    void start() {
        emulator = EmulatorTestClient.standardEmulator(EmulatorSettings.defaults());
        client = new EmulatorTestClient(emulator);
    }

    @AfterEach
    void stop() {
        emulator.close();
    }

    @Test
    void issuesBearerTokenForClientCredentials() {
        HttpResponse<String> response = client.tokenRequest(TENANT, clientCredentials(CLIENT, SECRET));

        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.headers().firstValue("Cache-Control")).hasValueSatisfying(v -> assertThat(v).contains("no-store"));
        JsonNode body = json(response);
        assertThat(body.get("token_type").stringValue()).isEqualTo("Bearer");
        assertThat(body.get("expires_in").asLong()).isEqualTo(3600);
        assertThat(body.get("ext_expires_in").asLong()).isEqualTo(3600);
        assertThat(body.get("access_token").stringValue()).hasSizeGreaterThan(30);
        assertThat(emulator.stats().tokensIssued()).isEqualTo(1);
        assertThat(emulator.stats().count(EmulatorStats.Operation.TOKEN, 200)).isEqualTo(1);
    }

    @Test
    void msal4jAcquiresTokenFromTheEmulatorAuthority() throws Exception {
        ConfidentialClientApplication app = ConfidentialClientApplication
                .builder(CLIENT, ClientCredentialFactory.createFromSecret(SECRET))
                .authority(emulator.authorityHost() + "/" + TENANT + "/")
                .instanceDiscovery(false)
                .build();

        IAuthenticationResult result = app.acquireToken(
                ClientCredentialParameters.builder(Set.of("https://graph.microsoft.com/.default")).build())
                .get(10, TimeUnit.SECONDS);

        assertThat(result.accessToken()).isNotBlank();
        HttpResponse<String> policy = client.get(EmulatorTestClient.policyPath(EmulatorTestClient.POLICY),
                result.accessToken());
        assertThat(policy.statusCode()).isEqualTo(200);
    }

    @Test
    void acceptsClientAssertionWithoutVerifyingItsSignature() {
        Map<String, String> form = Map.of("grant_type", "client_credentials", "client_id", CLIENT,
                "client_assertion_type", "urn:ietf:params:oauth:client-assertion-type:jwt-bearer",
                "client_assertion", "eyJhbGciOiJSUzI1NiJ9.eyJzdWIiOiJ4In0.c2lnbmF0dXJl",
                "scope", "https://graph.microsoft.com/.default");

        assertThat(client.tokenRequest(TENANT, form).statusCode()).isEqualTo(200);
    }

    @Test
    void refusesAssertionThatIsNotJwtShaped() {
        Map<String, String> form = Map.of("grant_type", "client_credentials", "client_id", CLIENT,
                "client_assertion_type", "urn:ietf:params:oauth:client-assertion-type:jwt-bearer",
                "client_assertion", "not-a-jwt", "scope", "https://graph.microsoft.com/.default");

        HttpResponse<String> response = client.tokenRequest(TENANT, form);

        assertThat(response.statusCode()).isEqualTo(401);
        assertThat(json(response).get("error").stringValue()).isEqualTo("invalid_client");
    }

    @Test
    void answersInvalidClientInEntraFormatForWrongSecret() {
        HttpResponse<String> response = client.tokenRequest(TENANT, clientCredentials(CLIENT, "wrong"));

        assertThat(response.statusCode()).isEqualTo(401);
        JsonNode body = json(response);
        assertThat(body.get("error").stringValue()).isEqualTo("invalid_client");
        assertThat(body.get("error_description").stringValue()).startsWith("AADSTS7000215: Invalid client secret provided.");
        assertThat(body.get("error_codes").get(0).asInt()).isEqualTo(7000215);
        assertThat(body.get("timestamp").stringValue()).matches("\\d{4}-\\d\\d-\\d\\d \\d\\d:\\d\\d:\\d\\dZ");
        assertThat(body.has("trace_id")).isTrue();
        assertThat(body.has("correlation_id")).isTrue();
        assertThat(response.body()).doesNotContain("wrong");
        assertThat(emulator.stats().count(EmulatorStats.Operation.TOKEN, 401)).isEqualTo(1);
    }

    @Test
    void answersAadsts90002ForUnknownTenant() {
        HttpResponse<String> response = client.tokenRequest("11111111-2222-3333-4444-555555555555",
                clientCredentials(CLIENT, SECRET));

        assertThat(response.statusCode()).isEqualTo(400);
        assertThat(json(response).get("error").stringValue()).isEqualTo("invalid_request");
        assertThat(json(response).get("error_codes").get(0).asInt()).isEqualTo(90002);
    }

    @Test
    void answersUnauthorizedClientForUnknownClient() {
        HttpResponse<String> response = client.tokenRequest(TENANT,
                clientCredentials("aaaaaaaa-bbbb-cccc-dddd-eeeeeeeeeeee", SECRET));

        assertThat(response.statusCode()).isEqualTo(400);
        assertThat(json(response).get("error").stringValue()).isEqualTo("unauthorized_client");
        assertThat(json(response).get("error_description").stringValue()).startsWith("AADSTS700016:");
    }

    @Test
    void answersInvalidScopeWithoutDefaultSuffix() {
        Map<String, String> form = new HashMap<>(clientCredentials(CLIENT, SECRET));
        form.put("scope", "https://graph.microsoft.com/DeviceManagementConfiguration.ReadWrite.All");

        HttpResponse<String> response = client.tokenRequest(TENANT, form);

        assertThat(response.statusCode()).isEqualTo(400);
        assertThat(json(response).get("error").stringValue()).isEqualTo("invalid_scope");
    }

    @Test
    void answersUnsupportedGrantTypeForOtherGrants() {
        Map<String, String> form = new HashMap<>(clientCredentials(CLIENT, SECRET));
        form.put("grant_type", "password");

        HttpResponse<String> response = client.tokenRequest(TENANT, form);

        assertThat(response.statusCode()).isEqualTo(400);
        assertThat(json(response).get("error").stringValue()).isEqualTo("unsupported_grant_type");
    }
}
