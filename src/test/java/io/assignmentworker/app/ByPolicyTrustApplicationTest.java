package io.assignmentworker.app;

import static io.assignmentworker.support.Requests.TENANT;
import static io.assignmentworker.support.Requests.groupRequest;
import static io.assignmentworker.support.Requests.guid;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.assignmentworker.emulator.EmulatorSettings;
import io.assignmentworker.emulator.EmulatorStats.Operation;
import io.assignmentworker.emulator.EmulatorStats;
import io.assignmentworker.emulator.GraphEmulator;
import io.assignmentworker.scheduling.AssignmentScheduler;
import io.assignmentworker.support.EmulatedTenant;
import io.assignmentworker.support.Results;
import io.assignmentworker.support.Schemas;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.clients.producer.internals.BuiltInPartitioner;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.assertj.core.api.SoftAssertions;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.kafka.test.context.EmbeddedKafka;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import tools.jackson.databind.JsonNode;

/**
 * The by-policy topic is not taken on trust, end to end on a real broker: records published straight to it that
 * are keyed wrongly, sit on the wrong partition, belong to a tenant that writes with create, or were not
 * forwarded by a worker at all never become an {@code /assign} from where they were read, and each gets exactly
 * one outcome. {@code TENANT} writes with {@code /assign}; {@code CREATE_TENANT} with create.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
        properties = {"spring.kafka.bootstrap-servers=${spring.embedded.kafka.brokers}",
                "worker.topics.requests=" + ByPolicyTrustApplicationTest.REQUESTS,
                "worker.topics.results=" + ByPolicyTrustApplicationTest.RESULTS,
                "spring.kafka.consumer.group-id=by-policy-trust-test",
                "worker.graph.strategy=create",
                "worker.graph.tenant-strategies[" + TENANT + "]=assign",
                "worker.auth.tenants[0].tenant-id=" + ByPolicyTrustApplicationTest.CREATE_TENANT})
@ExtendWith(OutputCaptureExtension.class)
@EmbeddedKafka(partitions = 3, topics = {ByPolicyTrustApplicationTest.REQUESTS, ByPolicyTrustApplicationTest.RESULTS,
        ByPolicyTrustApplicationTest.BY_POLICY}, brokerProperties = {
        "transaction.state.log.replication.factor=1", "transaction.state.log.min.isr=1"})
class ByPolicyTrustApplicationTest {

    static final String REQUESTS = "trust.requests";
    static final String RESULTS = "trust.results";
    static final String BY_POLICY = REQUESTS + ".by-policy";
    static final String CREATE_TENANT = "5d2e8f14-3a6b-4c7d-9e0f-1a2b3c4d5e6f";
    static final String CLIENT_ID = "3c1f6a7e-0000-4000-8000-00000000c1d3";
    static final String SECRET = "test-only-secret-" + guid();
    static final GraphEmulator graph = GraphEmulator.start(
            EmulatorSettings.defaults().withWriteBudget(10_000).withRequestBudget(100_000));

    @Value("${spring.embedded.kafka.brokers}")
    String brokers;

    @LocalServerPort
    int port;

    @DynamicPropertySource
    static void worker(DynamicPropertyRegistry registry) {
        graph.registerApp(CREATE_TENANT, CLIENT_ID, SECRET);
        EmulatedTenant.registerUnthrottled(registry, graph, TENANT, CLIENT_ID, SECRET);
    }

    @AfterAll
    static void close() {
        graph.close();
    }

    /** One crafted by-policy record: the request it carries and where it was published. */
    record Crafted(String requestId, String tenant, String policy, long claimedOffset, RecordMetadata sent) {
    }

    @Test
    void writesNoAssignFromAByPolicyRecordThatIsNotWhereAWorkerForwardedItsPolicy(CapturedOutput output)
            throws Exception {
        // Every check is reported, not only the first that fails: each crafted record proves its own point.
        SoftAssertions softly = new SoftAssertions();
        EmulatorStats before = graph.stats();
        Map<String, Crafted> crafted = new LinkedHashMap<>();
        try (KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(
                Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, brokers), new ByteArraySerializer(),
                new ByteArraySerializer())) {
            int partitions = producer.partitionsFor(BY_POLICY).size();
            // Another policy's key: the producer puts it wherever that key goes.
            crafted.put("wrongKey", publish(producer, TENANT, 1001, policy -> AssignmentScheduler.policyKey(TENANT,
                    guid()), policy -> null, true));
            // The policy's own key, on the partition after the one Kafka's producer picks for it.
            crafted.put("wrongPartition", publish(producer, TENANT, 1002, policy -> key(TENANT, policy),
                    policy -> (partitionOf(key(TENANT, policy), partitions) + 1) % partitions, true));
            // Perfectly routed, but the tenant writes with create.
            crafted.put("createTenant", publish(producer, CREATE_TENANT, 1003, policy -> key(CREATE_TENANT, policy),
                    policy -> partitionOf(key(CREATE_TENANT, policy), partitions), true));
            // Perfectly routed, but no worker forwarded it: no forward headers.
            crafted.put("unforwarded", publish(producer, TENANT, 1004, policy -> key(TENANT, policy),
                    policy -> partitionOf(key(TENANT, policy), partitions), false));
            // The control: what a worker's forward looks like.
            crafted.put("wellRouted", publish(producer, TENANT, 1005, policy -> key(TENANT, policy),
                    policy -> partitionOf(key(TENANT, policy), partitions), true));
        }

        try (Results results = new Results(brokers, RESULTS)) {
            await().pollDelay(Duration.ZERO).atMost(Duration.ofSeconds(60))
                    .until(() -> crafted.values().stream().allMatch(c -> !results.forRequest(c.requestId()).isEmpty()));
            // A second outcome for any of them would arrive right behind the first.
            await().during(Duration.ofSeconds(1)).atMost(Duration.ofSeconds(3))
                    .until(() -> results.all().size() == crafted.size());
            for (Map.Entry<String, Crafted> entry : crafted.entrySet()) {
                Crafted c = entry.getValue();
                List<JsonNode> found = results.forRequest(c.requestId());
                assertThat(found).as("outcomes of the %s record", entry.getKey()).hasSize(1);
                JsonNode result = found.get(0);
                softly.assertThat(Schemas.violations(Schemas.RESULT, result)).isEmpty();
                if (entry.getKey().equals("unforwarded")) {
                    softly.assertThat(result.path("status").asString()).as(entry.getKey()).isEqualTo("FAILED");
                    softly.assertThat(result.path("error").path("category").asString()).isEqualTo("INVALID_REQUEST");
                    softly.assertThat(result.path("error").path("code").asString()).isEqualTo("NotForwarded");
                    softly.assertThat(result.path("error").path("message").asString())
                            .contains("iaw-source-topic", REQUESTS);
                    assertSource(softly, result, BY_POLICY, c.sent().partition(), c.sent().offset());
                    softly.assertThat(graph.assignments(c.tenant(), c.policy())).as(entry.getKey()).isEmpty();
                } else {
                    softly.assertThat(result.path("status").asString()).as(entry.getKey()).isEqualTo("CREATED");
                    assertSource(softly, result, REQUESTS, 0, c.claimedOffset());
                    softly.assertThat(graph.assignments(c.tenant(), c.policy())).as(entry.getKey()).hasSize(1);
                }
            }
        }

        EmulatorStats during = graph.stats().minus(before);
        softly.assertThat(during.count(Operation.ASSIGN))
                .as("/assign writes: one each for the two re-forwarded records and the well-routed one, none else")
                .isEqualTo(3);
        softly.assertThat(during.count(Operation.CREATE)).as("the create tenant's request, created").isEqualTo(1);
        assertForwardedAgainOnlyWhenMisrouted(softly, crafted);
        softly.assertThat(metrics()).containsPattern("intune_worker_by_policy_misrouted_total\\{reason=\"key\"} 1\\.0")
                .containsPattern("intune_worker_by_policy_misrouted_total\\{reason=\"partition\"} 1\\.0")
                .containsPattern("intune_worker_by_policy_misrouted_total\\{reason=\"strategy\"} 1\\.0")
                .containsPattern("intune_worker_by_policy_misrouted_total\\{reason=\"unforwarded\"} 1\\.0");
        List<String> warnings = output.getAll().lines().filter(line -> line.contains("By-policy record ")).toList();
        softly.assertThat(warnings).as("one log line per refused record").hasSize(4);
        for (String name : List.of("wrongKey", "wrongPartition", "createTenant", "unforwarded")) {
            Crafted c = crafted.get(name);
            softly.assertThat(warnings).as(name).filteredOn(line -> line.contains(BY_POLICY + "-"
                    + c.sent().partition() + "@" + c.sent().offset())).hasSize(1);
        }
        softly.assertThat(String.join("\n", warnings)).as("no payload in the log")
                .doesNotContain(crafted.values().stream().map(Crafted::requestId).toArray(String[]::new))
                .doesNotContain(crafted.values().stream().map(Crafted::policy).toArray(String[]::new));
        softly.assertAll();
    }

    /**
     * The misrouted records went back to the by-policy topic under their policy's key, to the partition the
     * worker's producer picks for it, still naming where they were first read; the others did not.
     */
    private void assertForwardedAgainOnlyWhenMisrouted(SoftAssertions softly, Map<String, Crafted> crafted) {
        // Every outcome is in, so every forward is committed (each in the transaction that answered its record).
        List<ConsumerRecord<byte[], byte[]>> records = readToTheEnd(BY_POLICY);
        softly.assertThat(records).as("the by-policy topic: the crafted records and two forwarded again")
                .hasSize(crafted.size() + 2);
        for (Map.Entry<String, Crafted> entry : crafted.entrySet()) {
            Crafted c = entry.getValue();
            List<ConsumerRecord<byte[], byte[]>> forwardedAgain = records.stream()
                    .filter(r -> !(r.partition() == c.sent().partition() && r.offset() == c.sent().offset()))
                    .filter(r -> new String(r.value(), StandardCharsets.UTF_8).contains(c.requestId()))
                    .toList();
            boolean misrouted = entry.getKey().startsWith("wrong");
            softly.assertThat(forwardedAgain).as("%s forwarded again", entry.getKey()).hasSize(misrouted ? 1 : 0);
            if (misrouted && forwardedAgain.size() == 1) {
                ConsumerRecord<byte[], byte[]> again = forwardedAgain.get(0);
                String key = key(c.tenant(), c.policy());
                softly.assertThat(new String(again.key(), StandardCharsets.UTF_8)).isEqualTo(key);
                softly.assertThat(again.partition()).isEqualTo(partitionOf(key, byPolicyPartitions()));
                softly.assertThat(header(again, "iaw-source-topic")).isEqualTo(REQUESTS);
                softly.assertThat(header(again, "iaw-source-offset")).isEqualTo(Long.toString(c.claimedOffset()));
            }
        }
    }

    /** Every committed record of the topic, read up to its last stable offset. */
    private List<ConsumerRecord<byte[], byte[]>> readToTheEnd(String topic) {
        try (KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(Map.of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, brokers,
                ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed"),
                new ByteArrayDeserializer(), new ByteArrayDeserializer())) {
            List<TopicPartition> partitions = consumer.partitionsFor(topic).stream()
                    .map(info -> new TopicPartition(topic, info.partition())).toList();
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            Map<TopicPartition, Long> ends = consumer.endOffsets(partitions);
            List<ConsumerRecord<byte[], byte[]>> records = new ArrayList<>();
            while (partitions.stream().anyMatch(p -> consumer.position(p) < ends.get(p))) {
                consumer.poll(Duration.ofMillis(200)).forEach(records::add);
            }
            return records;
        }
    }

    private Crafted publish(KafkaProducer<byte[], byte[]> producer, String tenant, long claimedOffset,
                            Function<String, String> key,
                            Function<String, Integer> partition, boolean forwardHeaders)
            throws Exception {
        String policy = guid();
        graph.addPolicy(tenant, policy, "Windows compliance " + policy.substring(0, 8));
        String requestId = "trust-" + claimedOffset + "-" + guid();
        String json = groupRequest(requestId, policy, guid()).replace(TENANT, tenant);
        RecordHeaders headers = new RecordHeaders();
        if (forwardHeaders) {
            headers.add("iaw-source-topic", REQUESTS.getBytes(StandardCharsets.UTF_8));
            headers.add("iaw-source-partition", "0".getBytes(StandardCharsets.UTF_8));
            headers.add("iaw-source-offset", Long.toString(claimedOffset).getBytes(StandardCharsets.UTF_8));
            headers.add("iaw-received-at", Instant.now().toString().getBytes(StandardCharsets.UTF_8));
        }
        RecordMetadata sent = producer.send(new ProducerRecord<>(BY_POLICY, partition.apply(policy),
                key.apply(policy).getBytes(StandardCharsets.UTF_8), json.getBytes(StandardCharsets.UTF_8),
                headers)).get();
        return new Crafted(requestId, tenant, policy, claimedOffset, sent);
    }

    private int byPolicyPartitions() {
        try (KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(
                Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, brokers), new ByteArraySerializer(),
                new ByteArraySerializer())) {
            return producer.partitionsFor(BY_POLICY).size();
        }
    }

    private static String key(String tenant, String policy) {
        return AssignmentScheduler.policyKey(tenant, policy);
    }

    /** Where Kafka's producer puts a keyed record it is given no partition for. */
    private static int partitionOf(String key, int partitions) {
        return BuiltInPartitioner.partitionForKey(key.getBytes(StandardCharsets.UTF_8), partitions);
    }

    private static void assertSource(SoftAssertions softly, JsonNode result, String topic, int partition,
                                     long offset) {
        softly.assertThat(result.path("source").path("topic").asString()).isEqualTo(topic);
        softly.assertThat(result.path("source").path("partition").asInt()).isEqualTo(partition);
        softly.assertThat(result.path("source").path("offset").asLong()).isEqualTo(offset);
    }

    private static String header(ConsumerRecord<byte[], byte[]> record, String name) {
        Header header = record.headers().lastHeader(name);
        return header == null ? null : new String(header.value(), StandardCharsets.UTF_8);
    }

    private String metrics() throws Exception {
        return HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create("http://localhost:" + port
                + "/actuator/prometheus")).build(), HttpResponse.BodyHandlers.ofString()).body();
    }
}
