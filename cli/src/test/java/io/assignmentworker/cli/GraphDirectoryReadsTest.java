package io.assignmentworker.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.assignmentworker.emulator.EmulatorSettings;
import io.assignmentworker.emulator.EmulatorStats;
import io.assignmentworker.emulator.EmulatorStats.Operation;
import io.assignmentworker.emulator.GraphEmulator;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;

/**
 * The emulator's group and assignment-filter reads, over https, through the tool's own Graph reader (signed in
 * as the worker signs in): what {@code submit --dry-run} relies on.
 */
class GraphDirectoryReadsTest {

    static final String TENANT = "2d9c4b1a-7e6f-4a5b-9c8d-0e1f2a3b4c5d";
    static final String CLIENT_ID = "6e5d4c3b-2a19-4f8e-8d7c-6b5a4f3e2d1c";
    static final String SECRET = "test-only-" + UUID.randomUUID();
    static final GraphEmulator graph = GraphEmulator.start(EmulatorSettings.defaults()
            .withBudgetWindow(Duration.ofSeconds(1)));
    static final GraphAccess access;

    static {
        graph.registerApp(TENANT, CLIENT_ID, SECRET);
        access = GraphAccess.fromEnvironment(Map.of("AZURE_TENANT_ID", TENANT, "AZURE_CLIENT_ID", CLIENT_ID,
                "AZURE_CLIENT_SECRET", SECRET, "AZURE_AUTHORITY_HOST", graph.authorityHost().toString(),
                "WORKER_GRAPH_BASE_URL", graph.graphBaseUrl().toString()));
    }

    final GraphReads reads = new GraphReads(access);

    @AfterAll
    static void close() {
        access.close();
        graph.close();
    }

    static String guid() {
        return UUID.randomUUID().toString();
    }

    @Test
    void findsRegisteredGroupsAndAssignmentFilters() {
        String group = guid();
        String filter = guid();
        graph.addGroup(TENANT, group, "Pilot devices");
        graph.addAssignmentFilter(TENANT, filter, "Windows 11 only");

        GraphReads.Lookup foundGroup = reads.get(TENANT, "/groups/" + group.toUpperCase());
        GraphReads.Lookup foundFilter = reads.get(TENANT, "/deviceManagement/assignmentFilters/" + filter);

        assertThat(foundGroup.found()).isEqualTo(GraphReads.Found.FOUND);
        assertThat(foundGroup.body().path("id").asString()).isEqualTo(group);
        assertThat(foundGroup.body().path("displayName").asString()).isEqualTo("Pilot devices");
        assertThat(foundGroup.body().path("@odata.context").asString()).endsWith("/beta/$metadata#groups/$entity");
        assertThat(foundFilter.found()).isEqualTo(GraphReads.Found.FOUND);
        assertThat(foundFilter.body().path("@odata.type").asString())
                .isEqualTo("#microsoft.graph.deviceAndAppManagementAssignmentFilter");
        assertThat(foundFilter.body().path("displayName").asString()).isEqualTo("Windows 11 only");
    }

    @Test
    void answersUnknownGroupsAndFiltersWithTheServicesOwnNotFoundCodes() {
        String group = guid();
        graph.addGroup(TENANT, group, "Deleted later");
        graph.tenant(TENANT).missingGroup(group);
        EmulatorStats before = graph.stats();

        assertThat(reads.get(TENANT, "/groups/" + guid()))
                .isEqualTo(new GraphReads.Lookup(GraphReads.Found.NOT_FOUND, null, "Request_ResourceNotFound"));
        assertThat(reads.get(TENANT, "/groups/" + group).found()).isEqualTo(GraphReads.Found.NOT_FOUND);
        assertThat(reads.get(TENANT, "/deviceManagement/assignmentFilters/" + guid()))
                .isEqualTo(new GraphReads.Lookup(GraphReads.Found.NOT_FOUND, null, "ResourceNotFound"));

        EmulatorStats reads = graph.stats().minus(before);
        assertThat(reads.count(Operation.GET_GROUP, 404)).isEqualTo(2);
        assertThat(reads.count(Operation.GET_ASSIGNMENT_FILTER, 404)).isEqualTo(1);
        assertThat(reads.writesPerformed()).isZero();
    }

    @Test
    void refusesMalformedIdsAndWrites() throws Exception {
        String token = access.token(TENANT);

        HttpResponse<String> malformed = send(HttpRequest.newBuilder(access.url("/groups/not-a-guid")).GET(), token);
        HttpResponse<String> write = send(HttpRequest.newBuilder(access.url("/groups/" + guid()))
                .POST(HttpRequest.BodyPublishers.ofString("{}")), token);

        assertThat(malformed.statusCode()).isEqualTo(400);
        assertThat(malformed.body()).contains("\"code\":\"Request_BadRequest\"")
                .contains("Invalid object identifier 'not-a-guid'.");
        assertThat(write.statusCode()).isEqualTo(405);
        assertThat(write.headers().firstValue("Allow")).hasValue("GET");
    }

    @Test
    void countsReadsAgainstTheRequestBudgetAndTheReaderWaitsOutThe429() {
        String group = guid();
        graph.addGroup(TENANT, group, "Throttled");
        graph.tenant(TENANT).requestBudget(2);
        try {
            EmulatorStats before = graph.stats();
            for (int i = 0; i < 4; i++) {
                assertThat(reads.get(TENANT, "/groups/" + group).found()).isEqualTo(GraphReads.Found.FOUND);
            }
            EmulatorStats after = graph.stats().minus(before);
            assertThat(after.count(Operation.GET_GROUP, 200)).isEqualTo(4);
            assertThat(after.count(Operation.GET_GROUP, 429)).isPositive();
        } finally {
            graph.tenant(TENANT).requestBudget(EmulatorSettings.UNLIMITED);
        }
    }

    private static HttpResponse<String> send(HttpRequest.Builder request, String token) throws Exception {
        return access.http().send(request.header("Authorization", "Bearer " + token).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void followsNextLinksOnlyOnGraphsOriginAndReadsOnlyCompleteLists() throws Exception {
        com.sun.net.httpserver.HttpServer fake = com.sun.net.httpserver.HttpServer.create(
                new java.net.InetSocketAddress("127.0.0.1", 0), 0);
        java.util.concurrent.atomic.AtomicInteger served = new java.util.concurrent.atomic.AtomicInteger();
        fake.createContext("/beta/foreign", exchange -> reply(exchange, served,
                "{\"value\":[],\"@odata.nextLink\":\"https://collector.example/steal?token\"}"));
        fake.createContext("/beta/novalue", exchange -> reply(exchange, served, "{\"items\":[]}"));
        fake.start();
        GraphAccess local = GraphAccess.fromEnvironment(Map.of("AZURE_TENANT_ID", TENANT, "AZURE_CLIENT_ID",
                CLIENT_ID, "AZURE_CLIENT_SECRET", SECRET, "AZURE_AUTHORITY_HOST", graph.authorityHost().toString(),
                "WORKER_GRAPH_BASE_URL", "http://127.0.0.1:" + fake.getAddress().getPort() + "/beta"));
        try {
            GraphReads reader = new GraphReads(local);

            GraphReads.Lookup foreign = reader.list(TENANT, "/foreign");
            GraphReads.Lookup noValue = reader.list(TENANT, "/novalue");

            assertThat(foreign.found()).isEqualTo(GraphReads.Found.UNCHECKED);
            assertThat(foreign.reason()).contains("not followed");
            assertThat(noValue.found()).isEqualTo(GraphReads.Found.UNCHECKED);
            assertThat(noValue.reason()).contains("no 'value' array");
            assertThat(served.get()).as("calls that reached any server: the two first pages").isEqualTo(2);
        } finally {
            local.close();
            fake.stop(0);
        }
    }

    private static void reply(com.sun.net.httpserver.HttpExchange exchange,
                              java.util.concurrent.atomic.AtomicInteger served, String json) throws java.io.IOException {
        served.incrementAndGet();
        byte[] body = json.getBytes(java.nio.charset.StandardCharsets.UTF_8);
        exchange.getResponseHeaders().add("Content-Type", "application/json");
        exchange.sendResponseHeaders(200, body.length);
        exchange.getResponseBody().write(body);
        exchange.close();
    }
}
