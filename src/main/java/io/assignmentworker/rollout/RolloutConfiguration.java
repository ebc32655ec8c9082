package io.assignmentworker.rollout;

import io.assignmentworker.metrics.WorkerMetrics;
import io.assignmentworker.outcome.OutcomeProperties;
import io.assignmentworker.topics.MissingTopics;
import io.assignmentworker.topics.TopicsProperties;
import java.time.Clock;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.apache.kafka.clients.CommonClientConfigs;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.streams.StreamsConfig;
import org.springframework.boot.kafka.autoconfigure.KafkaProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import tools.jackson.databind.json.JsonMapper;

@Configuration(proxyBeanMethods = false)
class RolloutConfiguration {

    /**
     * Rollbacks asked for on the rollback-requests topic: {@code spring.kafka.*} applies; the consumer group is the
     * worker's group + {@code -rollbacks}, the producer transactional (the outcome stage's prefix + {@code rollbacks-}).
     */
    @Bean
    RollbackRequests rollbackRequests(KafkaProperties kafka, TopicsProperties topics, OutcomeProperties outcome,
                                      MissingTopics missingTopics, JsonMapper mapper, Clock clock) {
        Map<String, Object> consumer = kafka.buildConsumerProperties();
        Object group = consumer.get(ConsumerConfig.GROUP_ID_CONFIG);
        consumer.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        consumer.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        consumer.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        Map<String, Object> ledger = new HashMap<>(consumer);
        // One request per poll: each reads the whole ledger, which must end well within max.poll.interval.ms.
        consumer.put(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, 1);
        ledger.remove(ConsumerConfig.GROUP_ID_CONFIG);
        consumer.put(ConsumerConfig.GROUP_ID_CONFIG, (group == null ? "intune-assignment-worker" : group) + "-rollbacks");
        Map<String, Object> producer = kafka.buildProducerProperties();
        producer.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
        producer.put(ProducerConfig.ACKS_CONFIG, "all");
        producer.put(ProducerConfig.TRANSACTIONAL_ID_CONFIG, outcome.transactionalIdPrefix() + "rollbacks-"
                + UUID.randomUUID());
        return new RollbackRequests(
                () -> new KafkaConsumer<>(consumer, new ByteArrayDeserializer(), new ByteArrayDeserializer()),
                () -> new KafkaProducer<>(producer, new ByteArraySerializer(), new ByteArraySerializer()),
                new KafkaLedgerReader(() -> new KafkaConsumer<>(ledger, new ByteArrayDeserializer(),
                        new ByteArrayDeserializer()), topics.ledger(), mapper),
                topics, missingTopics::whenExist, mapper, clock, outcome.exactlyOnce());
    }

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
