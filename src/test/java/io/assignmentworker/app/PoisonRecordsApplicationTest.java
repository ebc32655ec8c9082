package io.assignmentworker.app;

import static io.assignmentworker.support.Requests.TENANT;
import static io.assignmentworker.support.Requests.groupRequest;
import static io.assignmentworker.support.Requests.guid;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.assignmentworker.emulator.EmulatorSettings;
import io.assignmentworker.emulator.GraphEmulator;
import io.assignmentworker.outcome.RecordFit;
import io.assignmentworker.support.EmulatedTenant;
import io.assignmentworker.support.Results;
import io.assignmentworker.support.TopicReader;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.AlterConfigOp;
import org.apache.kafka.clients.admin.ConfigEntry;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.config.ConfigResource;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.kafka.support.KafkaHeaders;
import org.springframework.kafka.test.context.EmbeddedKafka;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import tools.jackson.databind.JsonNode;

/**
 * Records near the broker's limit, or with huge headers, on a real broker: the worker's copies of them (dead
 * letters, forwards to the by-policy topic) gain headers, and must never be refused by Kafka, which would fail
 * every transaction they are in and make the worker read the same record again forever. A copy a topic refuses
 * all the same is answered FAILED instead. Every record gets one outcome; no session restarts.
 */
@SpringBootTest(properties = {"spring.kafka.bootstrap-servers=${spring.embedded.kafka.brokers}",
        "worker.topics.requests=" + PoisonRecordsApplicationTest.REQUESTS,
        "worker.topics.results=" + PoisonRecordsApplicationTest.RESULTS,
        "spring.kafka.consumer.group-id=poison-records-test",
        "worker.graph.strategy=assign",
        // Records up to the broker's own limit are read (and found unreadable by their content, not their size).
        "worker.intake.max-record-size=2MB",
        "spring.kafka.consumer.properties.max.partition.fetch.bytes=4194304"})
@ExtendWith(OutputCaptureExtension.class)
@EmbeddedKafka(partitions = 2, topics = {PoisonRecordsApplicationTest.REQUESTS, PoisonRecordsApplicationTest.RESULTS,
        PoisonRecordsApplicationTest.BY_POLICY, PoisonRecordsApplicationTest.DEAD_LETTERS}, brokerProperties = {
        "transaction.state.log.replication.factor=1", "transaction.state.log.min.isr=1"})
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class PoisonRecordsApplicationTest {

    static final String REQUESTS = "poison.requests";
    static final String RESULTS = "poison.results";
    static final String BY_POLICY = REQUESTS + ".by-policy";
    static final String DEAD_LETTERS = REQUESTS + ".DLT";
    static final String CLIENT_ID = "3c1f6a7e-0000-4000-8000-00000000c1d4";
    static final String SECRET = "test-only-secret-" + guid();
    /** Just under the broker's default limit (message.max.bytes, 1,048,588), with the record's framing. */
    static final int NEAR_THE_LIMIT = 1_048_300;
    static final GraphEmulator graph = GraphEmulator.start(
            EmulatorSettings.defaults().withWriteBudget(10_000).withRequestBudget(100_000));

    @Value("${spring.embedded.kafka.brokers}")
    String brokers;

    private KafkaProducer<byte[], byte[]> producer;
    private Results results;
    private String policy;

    @DynamicPropertySource
    static void worker(DynamicPropertyRegistry registry) {
        EmulatedTenant.registerUnthrottled(registry, graph, TENANT, CLIENT_ID, SECRET);
    }

    @BeforeAll
    void clients() {
        producer = new KafkaProducer<>(Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, brokers,
                ProducerConfig.MAX_REQUEST_SIZE_CONFIG, 4 * 1024 * 1024), new ByteArraySerializer(),
                new ByteArraySerializer());
        results = new Results(brokers, RESULTS);
        policy = guid();
        graph.addPolicy(TENANT, policy, "Windows compliance");
    }

    @AfterAll
    void close() throws Exception {
        producer.close();
        results.close();
        graph.close();
    }

    @Test
    @Order(1)
    void copiesOfRecordsNearTheBrokersLimitAreCutToFitAndEveryRecordIsAnswered(CapturedOutput output)
            throws Exception {
        byte[] unreadable = new byte[NEAR_THE_LIMIT];
        unreadable[0] = '{';
        RecordHeaders traced = headers("traceparent", "00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01");
        RecordMetadata nearTheLimit = send(null, unreadable, traced);
        String hugeHeaderId = "huge-header-" + guid();
        RecordHeaders huge = headers("traceparent", "00-1af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01");
        huge.add("upstream-context", new byte[NEAR_THE_LIMIT - 1_000]);
        send(hugeHeaderId, groupRequest(hugeHeaderId, policy, guid()).getBytes(StandardCharsets.UTF_8), huge);
        String after = "after-" + guid();
        send(after, groupRequest(after, policy, guid()).getBytes(StandardCharsets.UTF_8), new RecordHeaders());

        await().atMost(Duration.ofSeconds(60)).until(() -> !results.forRequest(after).isEmpty()
                && !results.forRequest(hugeHeaderId).isEmpty()
                && !results.forSource(nearTheLimit.partition(), nearTheLimit.offset()).isEmpty());

        JsonNode poison = only(results.forSource(nearTheLimit.partition(), nearTheLimit.offset()));
        assertThat(poison.path("status").asString()).isEqualTo("FAILED");
        assertThat(poison.path("error").path("category").asString()).isEqualTo("UNREADABLE_RECORD");
        assertThat(poison.path("error").path("message").asString()).contains("the original record is on");
        ConsumerRecord<byte[], byte[]> letter = deadLetterOf(nearTheLimit);
        assertThat(text(letter, RecordFit.VALUE_CUT)).isEqualTo("size=" + NEAR_THE_LIMIT + "; sha256="
                + sha256(unreadable));
        assertThat(letter.value()).startsWith((byte) '{');
        assertThat(text(letter, "traceparent")).startsWith("00-0af7");
        assertThat(only(results.forRequest(hugeHeaderId)).path("status").asString()).isEqualTo("CREATED");
        assertThat(only(results.forRequest(after)).path("status").asString()).isEqualTo("CREATED");
        assertThat(output.getAll()).as("no session failed").doesNotContain("Kafka session of");
    }

    @Test
    @Order(2)
    void aCopyTheTopicRefusesIsAnsweredFailedAndTheWorkerGoesOn(CapturedOutput output) throws Exception {
        limit(DEAD_LETTERS, 2_000);
        limit(BY_POLICY, 300);
        RecordMetadata unreadable = send(null, new byte[5_000], new RecordHeaders());
        String refusedForward = "refused-forward-" + guid();
        send(refusedForward, groupRequest(refusedForward, policy, guid()).getBytes(StandardCharsets.UTF_8),
                new RecordHeaders());

        await().atMost(Duration.ofSeconds(60)).until(() -> !results.forRequest(refusedForward).isEmpty()
                && !results.forSource(unreadable.partition(), unreadable.offset()).isEmpty());

        JsonNode noLetter = only(results.forSource(unreadable.partition(), unreadable.offset()));
        assertThat(noLetter.path("error").path("category").asString()).isEqualTo("UNREADABLE_RECORD");
        assertThat(noLetter.path("error").path("message").asString())
                .contains("could not be copied to " + DEAD_LETTERS).contains("RecordTooLargeException");
        JsonNode notForwarded = only(results.forRequest(refusedForward));
        assertThat(notForwarded.path("status").asString()).isEqualTo("FAILED");
        assertThat(notForwarded.path("error").path("category").asString()).isEqualTo("UNREADABLE_RECORD");
        assertThat(notForwarded.path("error").path("message").asString()).contains("could not be forwarded to "
                + BY_POLICY);
        assertThat(notForwarded.path("source").path("topic").asString()).isEqualTo(REQUESTS);

        limit(BY_POLICY, 1_048_588);
        String afterwards = "afterwards-" + guid();
        send(afterwards, groupRequest(afterwards, policy, guid()).getBytes(StandardCharsets.UTF_8),
                new RecordHeaders());
        await().atMost(Duration.ofSeconds(60)).until(() -> !results.forRequest(afterwards).isEmpty());
        assertThat(only(results.forRequest(afterwards)).path("status").asString()).isEqualTo("CREATED");
        assertThat(output.getAll()).as("no session failed").doesNotContain("Kafka session of");
    }

    private void limit(String topic, int maxMessageBytes) throws Exception {
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, brokers))) {
            admin.incrementalAlterConfigs(Map.of(new ConfigResource(ConfigResource.Type.TOPIC, topic),
                    List.of(new AlterConfigOp(new ConfigEntry("max.message.bytes", Integer.toString(maxMessageBytes)),
                            AlterConfigOp.OpType.SET)))).all().get();
        }
    }

    private RecordMetadata send(String key, byte[] value, RecordHeaders headers) throws Exception {
        return producer.send(new ProducerRecord<>(REQUESTS, null,
                key == null ? null : key.getBytes(StandardCharsets.UTF_8), value, headers)).get();
    }

    private ConsumerRecord<byte[], byte[]> deadLetterOf(RecordMetadata record) throws Exception {
        try (TopicReader reader = new TopicReader(brokers, DEAD_LETTERS)) {
            await().atMost(Duration.ofSeconds(30)).until(() -> reader.records().stream()
                    .anyMatch(letter -> isLetterOf(letter, record)));
            return reader.records().stream().filter(letter -> isLetterOf(letter, record)).findFirst().orElseThrow();
        }
    }

    private static boolean isLetterOf(ConsumerRecord<byte[], byte[]> letter, RecordMetadata record) {
        Header partition = letter.headers().lastHeader(KafkaHeaders.DLT_ORIGINAL_PARTITION);
        Header offset = letter.headers().lastHeader(KafkaHeaders.DLT_ORIGINAL_OFFSET);
        return partition != null && offset != null && ByteBuffer.wrap(partition.value()).getInt() == record.partition()
                && ByteBuffer.wrap(offset.value()).getLong() == record.offset();
    }

    private static JsonNode only(List<JsonNode> found) {
        assertThat(found).hasSize(1);
        return found.get(0);
    }

    private static RecordHeaders headers(String name, String value) {
        RecordHeaders headers = new RecordHeaders();
        headers.add(name, value.getBytes(StandardCharsets.UTF_8));
        return headers;
    }

    private static String text(ConsumerRecord<byte[], byte[]> record, String header) {
        Header found = record.headers().lastHeader(header);
        return found == null ? null : new String(found.value(), StandardCharsets.UTF_8);
    }

    private static String sha256(byte[] bytes) throws Exception {
        return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
    }
}
