package io.assignmentworker.cli;

import java.io.IOException;
import java.io.PrintStream;
import java.io.Reader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.CommonClientConfigs;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;

/**
 * Where the tool finds Kafka and the worker's topics, and the clients it talks to them with. Defaults follow
 * the worker: the same environment variables, the same topic names.
 */
final class KafkaAccess {

    private static final Duration API_TIMEOUT = Duration.ofSeconds(20);

    private final String bootstrapServers;
    private final Map<String, Object> clientConfig;
    private final Topics topics;
    private final Duration connectTimeout;
    private final PrintStream err;
    private boolean announced;

    /** The worker's topics, as the worker names them by default or as configured. */
    record Topics(String requests, String results, String rollouts, String manifests, String ledger) {
    }

    private KafkaAccess(String bootstrapServers, Map<String, Object> clientConfig, Topics topics,
                        Duration connectTimeout, PrintStream err) {
        this.bootstrapServers = bootstrapServers;
        this.clientConfig = clientConfig;
        this.topics = topics;
        this.connectTimeout = connectTimeout;
        this.err = err;
    }

    /** @param err where "Connecting to Kafka …" is said, at the first contact */
    static KafkaAccess from(KafkaOptions options, Map<String, String> env, PrintStream err) {
        String bootstrap = nonBlank(options.bootstrapServers,
                nonBlank(env.get("SPRING_KAFKA_BOOTSTRAP_SERVERS"), "localhost:9092"));
        Map<String, Object> config = new HashMap<>();
        Optional.ofNullable(nonBlank(options.kafkaConfig, nonBlank(env.get("IAW_KAFKA_CONFIG"), null)))
                .ifPresent(file -> config.putAll(load(Path.of(file))));
        config.put(CommonClientConfigs.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        config.putIfAbsent(CommonClientConfigs.CLIENT_ID_CONFIG, "iaw-cli");
        config.putIfAbsent(CommonClientConfigs.REQUEST_TIMEOUT_MS_CONFIG, (int) API_TIMEOUT.toMillis() / 2);
        config.putIfAbsent(CommonClientConfigs.DEFAULT_API_TIMEOUT_MS_CONFIG, (int) API_TIMEOUT.toMillis());
        Topics topics = new Topics(
                nonBlank(options.requestsTopic, nonBlank(env.get("WORKER_TOPICS_REQUESTS"),
                        "intune.assignment.requests")),
                nonBlank(options.resultsTopic, nonBlank(env.get("WORKER_TOPICS_RESULTS"),
                        "intune.assignment.results")),
                nonBlank(options.rolloutsTopic, nonBlank(env.get("WORKER_TOPICS_ROLLOUTS"),
                        "intune.assignment.rollouts")),
                nonBlank(options.manifestsTopic, nonBlank(env.get("WORKER_TOPICS_ROLLOUT_MANIFESTS"),
                        "intune.assignment.rollout-manifests")),
                nonBlank(options.ledgerTopic, nonBlank(env.get("WORKER_TOPICS_LEDGER"), "intune.assignment.ledger")));
        return new KafkaAccess(bootstrap, config, topics, options.connectTimeout(env), err);
    }

    /** Kafka client settings for security (SASL, SSL) and the like, as Kafka's own tools take them. */
    private static Map<String, Object> load(Path file) {
        Properties properties = new Properties();
        try (Reader reader = Files.newBufferedReader(file)) {
            properties.load(reader);
        } catch (IOException e) {
            throw CliException.usage("--kafka-config: cannot read " + file + " (" + e.getMessage() + ")");
        }
        Map<String, Object> config = new HashMap<>();
        properties.forEach((k, v) -> config.put(k.toString(), v));
        return config;
    }

    Topics topics() {
        return topics;
    }

    String bootstrapServers() {
        return bootstrapServers;
    }

    Duration connectTimeout() {
        return connectTimeout;
    }

    /**
     * The topics that exist. It is the tool's first contact with Kafka, so it says at once where it connects to
     * and gives up after the connect timeout with a clear message, rather than waiting in silence.
     */
    Set<String> existingTopics() {
        if (!announced) {
            err.println("Connecting to Kafka at " + bootstrapServers + " …");
            announced = true;
        }
        Map<String, Object> config = new HashMap<>(clientConfig);
        int timeout = (int) Math.min(Integer.MAX_VALUE, connectTimeout.toMillis());
        config.put(CommonClientConfigs.DEFAULT_API_TIMEOUT_MS_CONFIG, timeout);
        config.put(CommonClientConfigs.REQUEST_TIMEOUT_MS_CONFIG, timeout);
        Admin admin = Admin.create(config);
        try {
            return admin.listTopics().names().get(timeout, TimeUnit.MILLISECONDS);
        } catch (KafkaException e) {
            throw unreachable(e.getMessage() + (e.getCause() == null ? "" : " (" + e.getCause().getMessage() + ")"));
        } catch (TimeoutException e) {
            throw unreachable("no broker answered");
        } catch (ExecutionException e) {
            Throwable cause = e.getCause() == null ? e : e.getCause();
            throw unreachable(cause instanceof org.apache.kafka.common.errors.TimeoutException
                    ? "no broker answered (" + cause.getMessage() + ")"
                    : cause.getClass().getSimpleName() + (cause.getMessage() == null ? "" : " " + cause.getMessage()));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw CliException.unavailable("interrupted while asking Kafka for its topics");
        } finally {
            // an unreachable broker would otherwise hold the close for the client's own timeout
            admin.close(Duration.ZERO);
        }
    }

    private CliException unreachable(String reason) {
        return CliException.unavailable("Kafka unreachable at " + bootstrapServers + " after "
                + Durations.shortText(connectTimeout) + ": " + reason
                + "; check --bootstrap-servers (or SPRING_KAFKA_BOOTSTRAP_SERVERS) and --kafka-config");
    }

    /** A reader without consumer group: it assigns partitions itself and sees committed records only. */
    KafkaConsumer<byte[], byte[]> consumer() {
        Map<String, Object> config = new HashMap<>(clientConfig);
        config.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        config.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        config.put(ConsumerConfig.ALLOW_AUTO_CREATE_TOPICS_CONFIG, false);
        config.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        config.put(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, 2000);
        config.remove(ConsumerConfig.GROUP_ID_CONFIG);
        return new KafkaConsumer<>(config, new ByteArrayDeserializer(), new ByteArrayDeserializer());
    }

    /** Idempotent, {@code acks=all}: a retried send never duplicates or reorders a request. */
    KafkaProducer<byte[], byte[]> producer() {
        Map<String, Object> config = new HashMap<>(clientConfig);
        config.remove(CommonClientConfigs.DEFAULT_API_TIMEOUT_MS_CONFIG);
        config.remove(CommonClientConfigs.REQUEST_TIMEOUT_MS_CONFIG);
        config.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
        config.put(ProducerConfig.ACKS_CONFIG, "all");
        config.put(ProducerConfig.LINGER_MS_CONFIG, 5);
        config.put(ProducerConfig.MAX_BLOCK_MS_CONFIG, (int) API_TIMEOUT.toMillis());
        return new KafkaProducer<>(config, new ByteArraySerializer(), new ByteArraySerializer());
    }

    private static String nonBlank(String value, String fallback) {
        return value == null || value.isBlank() ? fallback : value;
    }
}
