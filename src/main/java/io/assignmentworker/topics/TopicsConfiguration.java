package io.assignmentworker.topics;

import java.util.List;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.common.errors.TopicExistsException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.kafka.autoconfigure.KafkaProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * Creates the request, result and dead-letter topics when they are missing. Existing topics are never
 * altered: a change of partition count would break the per-policy ordering of requests already written.
 */
@Configuration(proxyBeanMethods = false)
class TopicsConfiguration {

    private static final Logger log = LoggerFactory.getLogger(TopicsConfiguration.class);

    @Bean
    MissingTopics missingTopics(TopicsProperties topics, KafkaProperties kafka) {
        MissingTopics missing = new MissingTopics(topics, kafka);
        if (topics.createMissing()) {
            missing.create();
        }
        return missing;
    }

    record MissingTopics(TopicsProperties topics, KafkaProperties kafka) {

        void create() {
            List<NewTopic> wanted = List.of(topics.requests(), topics.results(), topics.deadLetter()).stream()
                    .map(name -> new NewTopic(name, Optional.of(topics.partitions()),
                            Optional.of(topics.replicationFactor())))
                    .toList();
            try (Admin admin = Admin.create(kafka.buildAdminProperties())) {
                admin.createTopics(wanted).values().forEach((name, future) -> {
                    try {
                        future.get(30, TimeUnit.SECONDS);
                        log.info("Created topic {}", name);
                    } catch (ExecutionException e) {
                        if (!(e.getCause() instanceof TopicExistsException)) {
                            log.warn("Could not create topic {}: {}", name, e.getCause().toString());
                        }
                    } catch (TimeoutException e) {
                        log.warn("Timed out creating topic {}; is the broker reachable?", name);
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                    }
                });
            }
        }
    }

}
