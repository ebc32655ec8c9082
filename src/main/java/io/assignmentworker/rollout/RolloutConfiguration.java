package io.assignmentworker.rollout;

import io.assignmentworker.metrics.WorkerMetrics;
import io.assignmentworker.outcome.OutcomeProperties;
import io.assignmentworker.topics.MissingTopics;
import io.assignmentworker.topics.TopicsProperties;
import java.time.Clock;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.CommonClientConfigs;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.streams.StreamsConfig;
import org.springframework.boot.kafka.autoconfigure.KafkaProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import tools.jackson.databind.json.JsonMapper;

@Configuration(proxyBeanMethods = false)
class RolloutConfiguration {

    /** {@code spring.kafka.*} connection and security settings apply; the application id follows the group. */
    @Bean
    RolloutTracker rolloutTracker(KafkaProperties kafka, TopicsProperties topics, RolloutsProperties properties,
                                  OutcomeProperties outcome, MissingTopics missingTopics, JsonMapper mapper,
                                  Clock clock, WorkerMetrics metrics) {
        Map<String, Object> admin = kafka.buildAdminProperties();
        Map<String, Object> connection = new HashMap<>();
        admin.forEach((key, value) -> {
            if (key.startsWith("security.") || key.startsWith("ssl.") || key.startsWith("sasl.")
                    || key.equals(CommonClientConfigs.BOOTSTRAP_SERVERS_CONFIG)) {
                connection.put(key, value);
            }
        });
        connection.putIfAbsent(CommonClientConfigs.BOOTSTRAP_SERVERS_CONFIG, kafka.getBootstrapServers());
        Map<String, Object> consumer = kafka.buildConsumerProperties();
        // The intake's session settings, so a lost instance's rollout partitions move as soon as its requests do
        // (Kafka's default session is 45 s).
        for (String key : List.of(ConsumerConfig.SESSION_TIMEOUT_MS_CONFIG,
                ConsumerConfig.HEARTBEAT_INTERVAL_MS_CONFIG)) {
            if (consumer.get(key) != null) {
                connection.put(StreamsConfig.consumerPrefix(key), consumer.get(key));
            }
        }
        Object group = consumer.get(ConsumerConfig.GROUP_ID_CONFIG);
        return new RolloutTracker(RolloutTracker.streamsConfig(connection,
                group == null ? "intune-assignment-worker" : group.toString(), outcome.exactlyOnce(),
                topics.replicationFactor(), properties), topics, properties, missingTopics, new RolloutJson(mapper),
                clock, metrics);
    }
}
