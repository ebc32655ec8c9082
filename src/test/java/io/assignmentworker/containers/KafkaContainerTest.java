package io.assignmentworker.containers;

import static io.assignmentworker.support.Requests.TENANT;
import static io.assignmentworker.support.Requests.groupRequest;
import static io.assignmentworker.support.Requests.guid;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.assignmentworker.emulator.EmulatorSettings;
import io.assignmentworker.emulator.GraphEmulator;
import io.assignmentworker.support.Requests;
import io.assignmentworker.support.Results;
import java.time.Duration;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.testcontainers.junit.jupiter.Container;
import org.testcontainers.junit.jupiter.Testcontainers;
import org.testcontainers.kafka.KafkaContainer;
import tools.jackson.databind.JsonNode;

/**
 * The worker against Apache Kafka's own container image, for machines with Docker. Skipped, with that
 * reason, where there is no Docker engine; the in-JVM and broker-process tiers cover the rest.
 */
@Testcontainers(disabledWithoutDocker = true)
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.NONE)
class KafkaContainerTest {

    static final String CLIENT_ID = "3c1f6a7e-0000-4000-8000-00000000c1d2";
    static final String SECRET = "container-test-" + guid();

    @Container
    static final KafkaContainer kafka = new KafkaContainer("apache/kafka-native:4.1.2");

    static final GraphEmulator graph = GraphEmulator.start(EmulatorSettings.defaults());

    @DynamicPropertySource
    static void worker(DynamicPropertyRegistry registry) {
        graph.registerApp(TENANT, CLIENT_ID, SECRET);
        registry.add("spring.kafka.bootstrap-servers", kafka::getBootstrapServers);
        registry.add("worker.graph.base-url", graph::graphBaseUrl);
        registry.add("worker.auth.authority-host", graph::authorityHost);
        registry.add("worker.auth.tenant-id", () -> TENANT);
        registry.add("worker.auth.client-id", () -> CLIENT_ID);
        registry.add("worker.auth.client-secret", () -> SECRET);
    }

    @AfterAll
    static void stopGraph() {
        graph.close();
    }

    @Test
    void createsTheAssignmentThroughARealKafkaContainer() throws Exception {
        String policy = guid();
        graph.addPolicy(TENANT, policy, "container policy");
        String requestId = "container-" + guid();

        try (Requests requests = new Requests(kafka.getBootstrapServers(), "intune.assignment.requests");
             Results results = new Results(kafka.getBootstrapServers(), "intune.assignment.results")) {
            requests.send(requestId, groupRequest(requestId, policy, guid()));

            await().atMost(Duration.ofSeconds(60)).until(() -> !results.forRequest(requestId).isEmpty());
            JsonNode result = results.forRequest(requestId).get(0);
            assertThat(result.path("status").asString()).isEqualTo("CREATED");
            assertThat(graph.assignments(TENANT, policy)).hasSize(1);
        }
    }
}
