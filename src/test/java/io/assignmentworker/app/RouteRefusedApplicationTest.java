package io.assignmentworker.app;

import static io.assignmentworker.support.Requests.TENANT;
import static io.assignmentworker.support.Requests.groupRequest;
import static io.assignmentworker.support.Requests.guid;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.assignmentworker.emulator.EmulatorSettings;
import io.assignmentworker.emulator.EmulatorStats.Operation;
import io.assignmentworker.emulator.GraphEmulator;
import io.assignmentworker.support.EmulatedTenant;
import io.assignmentworker.support.Requests;
import io.assignmentworker.support.Results;
import io.assignmentworker.support.Schemas;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.kafka.test.context.EmbeddedKafka;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * A tenant that refuses the documented create route, end to end on a real broker: the worker (strategy
 * {@code auto}) switches it to coalesced {@code /assign} writes, routes its requests through the by-policy
 * topic, keeps every existing assignment and answers each request once, naming the record upstream sent.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
        properties = {"spring.kafka.bootstrap-servers=${spring.embedded.kafka.brokers}",
                "worker.topics.requests=" + RouteRefusedApplicationTest.REQUESTS,
                "worker.topics.results=" + RouteRefusedApplicationTest.RESULTS,
                "spring.kafka.consumer.group-id=route-refused-test"})
@EmbeddedKafka(partitions = 3, brokerProperties = {
        "transaction.state.log.replication.factor=1", "transaction.state.log.min.isr=1"})
class RouteRefusedApplicationTest {

    static final String REQUESTS = "refusing.requests";
    static final String RESULTS = "refusing.results";
    static final String CLIENT_ID = "3c1f6a7e-0000-4000-8000-00000000c1d2";
    static final String SECRET = "test-only-secret-" + guid();
    static final GraphEmulator graph = GraphEmulator.start(
            EmulatorSettings.defaults().withWriteBudget(10_000).withRequestBudget(100_000));

    @Value("${spring.embedded.kafka.brokers}")
    String brokers;

    @LocalServerPort
    int port;

    @DynamicPropertySource
    static void worker(DynamicPropertyRegistry registry) {
        graph.tenant(TENANT).createRouteRefused(true);
        EmulatedTenant.registerUnthrottled(registry, graph, TENANT, CLIENT_ID, SECRET);
    }

    @AfterAll
    static void close() {
        graph.close();
    }

    @Test
    void switchesToCoalescedAssignAndAnswersEveryRequestOnce() throws Exception {
        List<String> policies = List.of(guid(), guid());
        for (String policy : policies) {
            graph.addPolicy(TENANT, policy, "Windows compliance");
            graph.addAssignment(TENANT, policy, JsonMapper.builder().build().readTree(
                    "{\"target\":{\"@odata.type\":\"#microsoft.graph.exclusionGroupAssignmentTarget\",\"groupId\":\""
                            + guid() + "\"}}"));
        }
        Map<String, List<JsonNode>> before = new HashMap<>();
        policies.forEach(p -> before.put(p, graph.assignments(TENANT, p)));
        String missingGroup = guid();
        graph.tenant(TENANT).missingGroup(missingGroup);

        Map<String, RecordMetadata> sent = new HashMap<>();
        List<String> ids = new ArrayList<>();
        try (Requests requests = new Requests(brokers, REQUESTS); Results results = new Results(brokers, RESULTS)) {
            for (int i = 0; i < 80; i++) {
                String requestId = "refused-" + i + "-" + guid();
                String group = i == 17 ? missingGroup : guid();
                sent.put(requestId, requests.send(requestId, groupRequest(requestId, policies.get(i % 2), group)));
                ids.add(requestId);
                if (i == 0) {
                    // Alone in its batch: sent as a create, which the tenant refuses; then written by /assign.
                    await().atMost(Duration.ofSeconds(60)).until(() -> results.all().size() == 1);
                }
            }

            await().pollDelay(Duration.ZERO).atMost(Duration.ofSeconds(60))
                    .until(() -> results.all().size() >= ids.size());
            Thread.sleep(500); // a duplicate, if any, would arrive right behind

            assertThat(results.all()).hasSize(ids.size());
            for (int i = 0; i < ids.size(); i++) {
                List<JsonNode> found = results.forRequest(ids.get(i));
                assertThat(found).as("results for %s", ids.get(i)).hasSize(1);
                JsonNode result = found.get(0);
                assertThat(Schemas.violations(Schemas.RESULT, result)).isEmpty();
                assertThat(result.path("source").path("topic").asString()).isEqualTo(REQUESTS);
                assertThat(result.path("source").path("offset").asLong()).isEqualTo(sent.get(ids.get(i)).offset());
                assertThat(result.path("source").path("partition").asInt())
                        .isEqualTo(sent.get(ids.get(i)).partition());
                if (i == 17) {
                    assertThat(result.path("status").asString()).isEqualTo("FAILED");
                    assertThat(result.path("error").path("category").asString()).isEqualTo("BAD_REQUEST");
                } else {
                    assertThat(result.path("status").asString()).isEqualTo("CREATED");
                    assertThat(result.path("assignmentId").asString()).isNotBlank();
                }
            }
        }

        for (String policy : policies) {
            List<JsonNode> now = graph.assignments(TENANT, policy);
            assertThat(now).containsAll(before.get(policy));
            assertThat(now).hasSize(before.get(policy).size() + (policy.equals(policies.get(1)) ? 39 : 40));
        }
        assertThat(graph.duplicateAssignments(TENANT)).isZero();
        long writes = graph.stats().count(Operation.ASSIGN, 200);
        assertThat(writes).as("coalesced /assign writes for 80 requests").isLessThan(40);
        assertThat(graph.stats().count(Operation.CREATE, 400)).as("the route refused once, to the lone request")
                .isEqualTo(1);
        String metrics = HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create("http://localhost:" + port
                + "/actuator/prometheus")).build(), HttpResponse.BodyHandlers.ofString()).body();
        assertThat(metrics).containsPattern("intune_worker_strategy_switches_total\\{tenant=\"" + TENANT + "\"} 1\\.0")
                .containsPattern("intune_worker_tenant_strategy\\{strategy=\"assign\",tenant=\"" + TENANT
                        + "\"} 1\\.0");
    }
}
