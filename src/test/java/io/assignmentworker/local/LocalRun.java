package io.assignmentworker.local;

import io.assignmentworker.support.Results;
import io.assignmentworker.support.TopicReader;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Future;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import sun.misc.Signal;

/**
 * The one-command local run ({@code ./mvnw spring-boot:test-run}): an in-process Kafka broker, the Graph +
 * Entra ID emulator over https, the real worker, and a sample bulk rollout with a few broken requests, with
 * live progress and a summary. Needs no cloud account and no Docker.
 *
 * <p>Environment: {@code LOCAL_RUN_REQUESTS} (valid requests, default 300), {@code LOCAL_RUN_ROUTE_REFUSED=true}
 * (the tenant refuses the create route, as many do: the worker switches to coalesced /assign writes),
 * {@code LOCAL_RUN_WRITE_BUDGET} (the tenant's writes per 20 s, default 1000), {@code LOCAL_RUN_PORT} (the
 * worker's HTTP port, default 8080, 0 = any free port).
 *
 * <p>{@code LOCAL_RUN_KEEP=true} keeps everything running afterwards for {@code bin/iaw}: the emulator on
 * {@code https://localhost:8443} ({@code LOCAL_RUN_GRAPH_PORT}), the tenant's directory in
 * {@code target/local-run/directory.csv}, and {@code target/local-run/iaw.env} with the environment the tool needs
 * (broker, credentials, trust store). Ctrl-C or SIGTERM stops it in seconds with status 0.
 */
public final class LocalRun {

    static final Path DIR = Path.of("target", "local-run");

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
        LocalStack.Settings settings = new LocalStack.Settings(
                Integer.parseInt(env("LOCAL_RUN_GRAPH_PORT", keep ? "8443" : "0")),
                Integer.parseInt(env("LOCAL_RUN_PORT", "8080")),
                Integer.parseInt(env("LOCAL_RUN_WRITE_BUDGET", "1000")),
                Boolean.parseBoolean(env("LOCAL_RUN_ROUTE_REFUSED", "false")),
                SampleRollout.groupsNeeded(valid, LocalDirectory.ROLLOUT_POLICIES));
        LocalStack stack = LocalStack.start(DIR.toAbsolutePath(), settings);
        stopOnSignal(stack);
        say("Worker started; metrics on http://localhost:" + stack.workerPort() + "/actuator/prometheus");

        boolean ok = publishAndWatch(stack, valid);
        if (keep) {
            Path env = stack.writeIawEnvironment();
            say("LOCAL_RUN_KEEP=true: still running. Kafka on " + stack.brokers() + ", Graph on "
                    + stack.graph.graphBaseUrl() + ", the tenant's policies, groups and filter in "
                    + DIR.resolve("directory.csv") + ".");
            say("In another shell, with the tool built (./mvnw -q -DskipTests -pl cli -am package):");
            say("  . " + DIR.resolve(env.getFileName()) + "      # the iaw environment for this stack");
            say("  bin/iaw submit samples/wave-1.csv --dry-run");
            say("Ctrl-C stops everything.");
            Thread.currentThread().join();
        }
        stack.close();
        return ok;
    }

    private static boolean publishAndWatch(LocalStack stack, int valid) throws Exception {
        String brokers = stack.brokers();
        String rolloutId = "local-rollout-" + System.currentTimeMillis() % 100_000;
        List<SampleRollout.Item> items = SampleRollout.build(rolloutId, LocalDirectory.TENANT,
                stack.directory.rolloutPolicies(), valid, 42);
        try (Results results = new Results(brokers, LocalStack.RESULTS);
             TopicReader rollouts = new TopicReader(brokers, LocalStack.ROLLOUTS)) {
            // Unreadable records cannot say which rollout they belong to: the rollout counts the others.
            publishManifest(brokers, rolloutId, (int) items.stream()
                    .filter(item -> !"UNREADABLE_RECORD".equals(item.expectedCategory())).count());
            List<RecordMetadata> sent = publish(brokers, items);
            stack.graph.tenant(LocalDirectory.TENANT).failNext(3, 429);
            say("Published rollout " + rolloutId + ": " + items.size() + " requests (" + valid + " valid, "
                    + (items.size() - valid) + " broken on purpose); Graph will answer the next 3 calls with 429");
            boolean ok = new LocalRunProgress(results, items, sent, stack.graph, LocalDirectory.TENANT,
                    stack.directory.rolloutPolicies()).watch(Duration.ofMinutes(5));
            say("Rollout summary (topic " + LocalStack.ROLLOUTS + "): " + RolloutSummary.await(rollouts, rolloutId,
                    Duration.ofSeconds(30)));
            return ok;
        }
    }

    /**
     * Ctrl-C (SIGINT, which Maven's terminal passes on) and SIGTERM stop the stack in order and exit 0: a person
     * ending the local run is not a failure, and the JVM's default (exit 130 or 143 with the broker killed under
     * the worker) reads as one.
     */
    private static void stopOnSignal(LocalStack stack) {
        for (String name : List.of("INT", "TERM")) {
            try {
                Signal.handle(new Signal(name), signal -> {
                    say("Stopping ...");
                    stack.close();
                    say("Stopped.");
                    System.exit(0);
                });
            } catch (IllegalArgumentException unsupported) {
                // no such signal on this platform: the JVM's default handling stays
            }
        }
    }

    /** Declares the rollout's size, so its status on the rollouts topic ends with a summary. */
    private static void publishManifest(String brokers, String rolloutId, int expected) throws Exception {
        try (KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(
                Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, brokers), new ByteArraySerializer(),
                new ByteArraySerializer())) {
            String manifest = "{\"rolloutId\":\"" + rolloutId + "\",\"expectedCount\":" + expected
                    + ",\"description\":\"local run sample rollout\"}";
            producer.send(new ProducerRecord<>(LocalStack.MANIFESTS, rolloutId.getBytes(), manifest.getBytes())).get();
        }
    }

    private static List<RecordMetadata> publish(String brokers, List<SampleRollout.Item> items) throws Exception {
        try (KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(
                Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, brokers), new ByteArraySerializer(),
                new ByteArraySerializer())) {
            List<Future<RecordMetadata>> futures = new ArrayList<>();
            for (SampleRollout.Item item : items) {
                futures.add(producer.send(new ProducerRecord<>(LocalStack.REQUESTS, item.key().getBytes(),
                        item.value())));
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
