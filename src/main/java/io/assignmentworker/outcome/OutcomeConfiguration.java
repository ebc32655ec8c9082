package io.assignmentworker.outcome;

import io.assignmentworker.topics.TopicsProperties;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.kafka.KafkaClientMetrics;
import java.util.Map;
import java.util.UUID;
import java.util.function.Supplier;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.springframework.boot.kafka.autoconfigure.KafkaProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import tools.jackson.databind.json.JsonMapper;

@Configuration(proxyBeanMethods = false)
class OutcomeConfiguration {

    /** The producer's own default {@code max.request.size}, which the broker's default topic limit also allows. */
    private static final int DEFAULT_MAX_REQUEST_SIZE = 1024 * 1024;

    /** The largest record the producer sends, as configured ({@code spring.kafka.producer.properties.*}). */
    private static int maxRequestSize(Map<String, Object> config) {
        return Integer.parseInt(String.valueOf(config.get(ProducerConfig.MAX_REQUEST_SIZE_CONFIG)).trim());
    }

    @Bean
    OutcomeJson outcomeJson(JsonMapper mapper) {
        return new OutcomeJson(mapper);
    }

    /** A new writer (and producer) for each intake session; {@code spring.kafka.producer.*} applies. */
    @Bean
    Supplier<OutcomeWriter> outcomeWriters(KafkaProperties kafka, OutcomeProperties properties,
                                           TopicsProperties topics, OutcomeJson json, MeterRegistry meters) {
        return () -> {
            Map<String, Object> config = kafka.buildProducerProperties();
            config.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
            config.put(ProducerConfig.ACKS_CONFIG, "all");
            if (properties.exactlyOnce()) {
                config.put(ProducerConfig.TRANSACTIONAL_ID_CONFIG,
                        properties.transactionalIdPrefix() + UUID.randomUUID());
            }
            config.putIfAbsent(ProducerConfig.MAX_REQUEST_SIZE_CONFIG, DEFAULT_MAX_REQUEST_SIZE);
            KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(config, new ByteArraySerializer(),
                    new ByteArraySerializer());
            try {
                KafkaClientMetrics metrics = new KafkaClientMetrics(producer);
                metrics.bindTo(meters);
                return new OutcomeWriter(producer, topics, json, properties.exactlyOnce(), maxRequestSize(config),
                        metrics);
            } catch (RuntimeException e) {
                producer.close();
                throw e;
            }
        };
    }
}
