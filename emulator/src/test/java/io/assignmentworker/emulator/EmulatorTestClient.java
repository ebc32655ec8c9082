package io.assignmentworker.emulator;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import java.util.stream.Collectors;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/** A plain JDK HTTP client for the emulator, speaking the wire protocol exactly as an independent client would. */
final class EmulatorTestClient {
    static final String TENANT = "5b0e4c3a-6a55-4f3f-9d6e-1c3b2a1f0e9d";
    static final String CLIENT = "0f6c5a7e-8d7b-4c2a-9e1f-2a3b4c5d6e7f";
    static final String SECRET = "s3cr3t~value";
    static final String POLICY = "3f1d8f7a-2b9c-4e5d-8a6b-7c8d9e0f1a2b";
    static final String GROUP = "9a8b7c6d-5e4f-4a3b-8c2d-1e0f9a8b7c6d";
    static final JsonMapper JSON = JsonMapper.builder().build();

    private final GraphEmulator emulator;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    EmulatorTestClient(GraphEmulator emulator) {
        this.emulator = emulator;
    }

    /** Starts an emulator with the standard tenant, app and policy. */
    static GraphEmulator standardEmulator(EmulatorSettings settings) {
        GraphEmulator emulator = GraphEmulator.start(settings);
        emulator.registerApp(TENANT, CLIENT, SECRET);
        emulator.addPolicy(TENANT, POLICY, "Windows 10 baseline");
        return emulator;
    }

    HttpResponse<String> tokenRequest(String tenant, Map<String, String> form) {
        String body = form.entrySet().stream()
                .map(e -> enc(e.getKey()) + "=" + enc(e.getValue()))
                .collect(Collectors.joining("&"));
        return send(HttpRequest.newBuilder(URI.create(emulator.authorityHost() + "/" + tenant + "/oauth2/v2.0/token"))
                .header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString(body)));
    }

    static Map<String, String> clientCredentials(String clientId, String secret) {
        return Map.of("grant_type", "client_credentials", "client_id", clientId, "client_secret", secret,
                "scope", "https://graph.microsoft.com/.default");
    }

    String token() {
        HttpResponse<String> response = tokenRequest(TENANT, clientCredentials(CLIENT, SECRET));
        if (response.statusCode() != 200) {
            throw new IllegalStateException("token request failed: " + response.body());
        }
        return json(response).get("access_token").stringValue();
    }

    HttpResponse<String> get(String graphPath, String token, String... headers) {
        return send(graph(graphPath, token, headers).GET());
    }

    HttpResponse<String> getUrl(String url, String token) {
        return send(HttpRequest.newBuilder(URI.create(url)).header("Authorization", "Bearer " + token).GET());
    }

    HttpResponse<String> post(String graphPath, String token, String body, String... headers) {
        return send(graph(graphPath, token, headers)
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body)));
    }

    HttpResponse<String> method(String method, String graphPath, String token) {
        return send(graph(graphPath, token).method(method, HttpRequest.BodyPublishers.noBody()));
    }

    HttpResponse<String> createGroupAssignment(String token, String groupId) {
        return post(assignmentsPath(POLICY), token, groupAssignment(groupId));
    }

    HttpResponse<String> admin(String method, String path, String body) {
        HttpRequest.BodyPublisher publisher = body == null ? HttpRequest.BodyPublishers.noBody()
                : HttpRequest.BodyPublishers.ofString(body);
        return send(HttpRequest.newBuilder(URI.create(emulator.authorityHost() + "/_emulator/" + path))
                .method(method, publisher));
    }

    static String policyPath(String policyId) {
        return "/deviceManagement/deviceCompliancePolicies/" + policyId;
    }

    static String assignmentsPath(String policyId) {
        return policyPath(policyId) + "/assignments";
    }

    static String groupAssignment(String groupId) {
        return """
                {"@odata.type":"#microsoft.graph.deviceCompliancePolicyAssignment",
                 "target":{"@odata.type":"#microsoft.graph.groupAssignmentTarget","groupId":"%s"}}"""
                .formatted(groupId);
    }

    static JsonNode json(HttpResponse<String> response) {
        return JSON.readTree(response.body());
    }

    private HttpRequest.Builder graph(String graphPath, String token, String... headers) {
        HttpRequest.Builder builder = HttpRequest.newBuilder(URI.create(emulator.graphBaseUrl() + graphPath))
                .timeout(Duration.ofSeconds(10));
        if (token != null) {
            builder.header("Authorization", "Bearer " + token);
        }
        for (int i = 0; i < headers.length; i += 2) {
            builder.header(headers[i], headers[i + 1]);
        }
        return builder;
    }

    private HttpResponse<String> send(HttpRequest.Builder request) {
        try {
            return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    private static String enc(String value) {
        return URLEncoder.encode(value, StandardCharsets.UTF_8);
    }
}
