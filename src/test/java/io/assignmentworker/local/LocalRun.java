package io.assignmentworker.local;

import io.assignmentworker.WorkerApplication;
import io.assignmentworker.emulator.EmulatorSettings;
import io.assignmentworker.emulator.GraphEmulator;
import io.assignmentworker.support.Results;
import io.assignmentworker.support.TopicReader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.kafka.test.EmbeddedKafkaKraftBroker;

/**
 * The one-command local run ({@code ./mvnw spring-boot:test-run}): an in-process Kafka broker, the Graph +
 * Entra ID emulator over https, the real worker, and a sample bulk rollout with a few broken requests, with
 * live progress and a summary. Needs no cloud account and no Docker.
 *
 * <p>Environment: {@code LOCAL_RUN_REQUESTS} (valid requests, default 300), {@code LOCAL_RUN_ROUTE_REFUSED=true}
 * (the tenant refuses the create route, as many do: the worker switches to coalesced /assign writes),
 * {@code LOCAL_RUN_WRITE_BUDGET} (the tenant's writes per 20 s, default 1000),
 * {@code LOCAL_RUN_KEEP=true} to
 * keep everything running afterwards (metrics on the printed port), {@code LOCAL_RUN_PORT} (default 8080,
 * 0 = any free port).
 */
public final class LocalRun {

    static final String TENANT = "8f1c7e2a-1b2c-4d5e-8f90-0a1b2c3d4e5f";
    static final String CLIENT_ID = "6b3a9d2e-5c4f-4e1a-9b8c-7d6e5f4a3b2c";
    static final String REQUESTS = "intune.assignment.requests";
    static final String RESULTS = "intune.assignment.results";
    static final String ROLLOUTS = "intune.assignment.rollouts";
    static final String MANIFESTS = "intune.assignment.rollout-manifests";

    private LocalRun() {
    }

    public static void main(String[] args) {
        try {
            System.exit(run() ? 0 : 1);
        } catch (Exception | Error e) {
            e.printStackTrace();
            say("Local run failed: " + e);
            System.exit(2);
        }
    }

    private static boolean run() throws Exception {
        int valid = Integer.parseInt(env("LOCAL_RUN_REQUESTS", "300"));
        boolean keep = Boolean.parseBoolean(env("LOCAL_RUN_KEEP", "false"));
        Path dir = Files.createTempDirectory("intune-worker-local");
        // Trust the emulator's self-signed certificate the standard way, before anything opens a TLS connection.
        Path trustStore = dir.resolve("emulator-truststore.p12");
        try (var in = LocalRun.class.getResourceAsStream("/emulator/truststore.p12")) {
            Files.copy(in, trustStore);
        }
        System.setProperty("javax.net.ssl.trustStore", trustStore.toString());
        System.setProperty("javax.net.ssl.trustStorePassword", "changeit");
        System.setProperty("javax.net.ssl.trustStoreType", "PKCS12");

        say("Starting an in-process Kafka broker (KRaft) ...");
        EmbeddedKafkaKraftBroker broker = new EmbeddedKafkaKraftBroker(1, 6, REQUESTS, RESULTS, REQUESTS + ".DLT");
        broker.brokerProperties(Map.of("transaction.state.log.replication.factor", "1",
                "transaction.state.log.min.isr", "1", "log.dir", dir.resolve("kafka").toString()));
        broker.afterPropertiesSet();

        // A large tenant's budget scaled for a short run, Graph-like latency, and a few faults to ride out.
        int budget = Integer.parseInt(env("LOCAL_RUN_WRITE_BUDGET", "1000"));
        EmulatorSettings settings = EmulatorSettings.defaults().withWriteBudget(budget).withRequestBudget(budget * 5)
                .withLatency(Duration.ofMillis(40), Duration.ofMillis(20));
        GraphEmulator graph = GraphEmulator.start(settings);
        String secret = "local-run-" + UUID.randomUUID();
        graph.registerApp(TENANT, CLIENT_ID, secret);
        List<String> policies = new ArrayList<>();
        for (int i = 1; i <= 10; i++) {
            String id = UUID.nameUUIDFromBytes(("local-policy-" + i).getBytes()).toString();
            graph.addPolicy(TENANT, id, "Windows 11 baseline compliance #" + i);
            policies.add(id);
        }
        graph.tenant(TENANT).unavailableRatio(0.02);
        boolean routeRefused = Boolean.parseBoolean(env("LOCAL_RUN_ROUTE_REFUSED", "false"));
        graph.tenant(TENANT).createRouteRefused(routeRefused);
        say("Graph emulator on " + graph.graphBaseUrl() + " (write budget " + budget + " per 20 s, 40±20 ms, 2% 503s"
                + (routeRefused ? ", create route refused: the worker switches to coalesced /assign writes" : "")
                + ")");

        // Command-line arguments: they win over application.yaml, as they would for a real deployment.
        ConfigurableApplicationContext worker = new SpringApplicationBuilder(WorkerApplication.class).run(
                "--spring.main.banner-mode=off",
                "--spring.kafka.bootstrap-servers=" + broker.getBrokersAsString(),
                "--worker.graph.base-url=" + graph.graphBaseUrl(),
                "--worker.auth.authority-host=" + graph.authorityHost(),
                "--worker.auth.tenant-id=" + TENANT,
                "--worker.auth.client-id=" + CLIENT_ID,
                "--worker.auth.client-secret=" + secret,
                "--worker.scheduling.write-budget=" + budget,
                "--worker.scheduling.request-budget=" + budget * 5,
                "--server.port=" + env("LOCAL_RUN_PORT", "8080"),
                "--logging.level.root=warn");
        String port = worker.getEnvironment().getProperty("local.server.port");
        say("Worker started; metrics on http://localhost:" + port + "/actuator/prometheus");

        String rolloutId = "local-rollout-" + System.currentTimeMillis() % 100_000;
        List<SampleRollout.Item> items = SampleRollout.build(rolloutId, TENANT, policies, valid, 42);
        boolean ok;
        try (Results results = new Results(broker.getBrokersAsString(), RESULTS);
             TopicReader rollouts = new TopicReader(broker.getBrokersAsString(), ROLLOUTS)) {
            // Unreadable records cannot say which rollout they belong to: the rollout counts the others.
            publishManifest(broker.getBrokersAsString(), rolloutId, (int) items.stream()
                    .filter(item -> !"UNREADABLE_RECORD".equals(item.expectedCategory())).count());
            List<RecordMetadata> sent = publish(broker.getBrokersAsString(), items);
            graph.tenant(TENANT).failNext(3, 429);
            say("Published rollout " + rolloutId + ": " + items.size() + " requests (" + valid + " valid, "
                    + (items.size() - valid) + " broken on purpose); Graph will answer the next 3 calls with 429");
            ok = new LocalRunProgress(results, items, sent, graph, TENANT, policies).watch(Duration.ofMinutes(5));
            say("Rollout summary (topic " + ROLLOUTS + "): " + RolloutSummary.await(rollouts, rolloutId,
                    Duration.ofSeconds(30)));
        }
        if (keep) {
            say("LOCAL_RUN_KEEP=true: still running; press Ctrl-C to stop.");
            Thread.currentThread().join();
        }
        worker.close();
        graph.close();
        broker.destroy();
        return ok;
    }

    /** Declares the rollout's size, so its status on the rollouts topic ends with a summary. */
    private static void publishManifest(String brokers, String rolloutId, int expected) throws Exception {
        try (KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(
                Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, brokers), new ByteArraySerializer(),
                new ByteArraySerializer())) {
            String manifest = "{\"rolloutId\":\"" + rolloutId + "\",\"expectedCount\":" + expected
                    + ",\"description\":\"local run sample rollout\"}";
            producer.send(new ProducerRecord<>(MANIFESTS, rolloutId.getBytes(), manifest.getBytes())).get();
        }
    }

    private static List<RecordMetadata> publish(String brokers, List<SampleRollout.Item> items) throws Exception {
        try (KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(
                Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, brokers), new ByteArraySerializer(),
                new ByteArraySerializer())) {
            List<java.util.concurrent.Future<RecordMetadata>> futures = new ArrayList<>();
            for (SampleRollout.Item item : items) {
                futures.add(producer.send(new ProducerRecord<>(REQUESTS, item.key().getBytes(), item.value())));
            }
            List<RecordMetadata> sent = new ArrayList<>();
            for (var future : futures) {
                sent.add(future.get());
            }
            return sent;
        }
    }

    static void say(String line) {
        System.out.println("[local-run] " + line);
    }

    private static String env(String name, String fallback) {
        String value = System.getenv(name);
        return value == null || value.isBlank() ? fallback : value;
    }
}
