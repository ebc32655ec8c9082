package io.assignmentworker.cli;

import java.time.Duration;
import java.util.Map;
import picocli.CommandLine.Option;

/**
 * The options of every command that talks to Kafka. Unset options fall back to the worker's environment
 * variables, then to the worker's defaults ({@link KafkaAccess#from}).
 */
final class KafkaOptions {

    /** How long the first contact with Kafka or Graph may take when neither option nor variable says. */
    static final Duration DEFAULT_CONNECT_TIMEOUT = Duration.ofSeconds(10);

    @Option(names = {"-b", "--bootstrap-servers"}, paramLabel = "HOSTS", order = 100,
            description = "Kafka (default: $SPRING_KAFKA_BOOTSTRAP_SERVERS, else localhost:9092)")
    String bootstrapServers;

    @Option(names = "--kafka-config", paramLabel = "FILE", order = 101,
            description = "Kafka client properties, e.g. SASL/SSL (default: $IAW_KAFKA_CONFIG)")
    String kafkaConfig;

    @Option(names = {"--topic", "--requests-topic"}, paramLabel = "TOPIC", order = 102,
            description = "requests topic (default: $WORKER_TOPICS_REQUESTS, else intune.assignment.requests)")
    String requestsTopic;

    @Option(names = "--results-topic", paramLabel = "TOPIC", order = 103,
            description = "(default: $WORKER_TOPICS_RESULTS, else intune.assignment.results)")
    String resultsTopic;

    @Option(names = "--rollouts-topic", paramLabel = "TOPIC", order = 104,
            description = "(default: $WORKER_TOPICS_ROLLOUTS, else intune.assignment.rollouts)")
    String rolloutsTopic;

    @Option(names = "--manifests-topic", paramLabel = "TOPIC", order = 105,
            description = "(default: $WORKER_TOPICS_ROLLOUT_MANIFESTS, else intune.assignment.rollout-manifests)")
    String manifestsTopic;

    @Option(names = "--ledger-topic", paramLabel = "TOPIC", order = 106,
            description = "(default: $WORKER_TOPICS_LEDGER, else intune.assignment.ledger)")
    String ledgerTopic;

    @Option(names = "--connect-timeout", paramLabel = "DURATION", order = 107, converter = Durations.Converter.class,
            description = "give up reaching Kafka (and Graph) after this long (default: $IAW_CONNECT_TIMEOUT, "
                    + "else 10s)")
    Duration connectTimeout;

    /** The option, else {@code IAW_CONNECT_TIMEOUT}, else 10 s. */
    Duration connectTimeout(Map<String, String> env) {
        if (connectTimeout != null) {
            return connectTimeout;
        }
        String declared = env.get("IAW_CONNECT_TIMEOUT");
        return declared == null || declared.isBlank() ? DEFAULT_CONNECT_TIMEOUT
                : Durations.parse("IAW_CONNECT_TIMEOUT", declared);
    }
}
