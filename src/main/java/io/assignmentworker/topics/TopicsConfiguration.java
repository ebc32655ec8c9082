package io.assignmentworker.topics;

import io.assignmentworker.graph.AnnouncedStrategies;
import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.kafka.autoconfigure.KafkaProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import tools.jackson.databind.json.JsonMapper;

@Configuration(proxyBeanMethods = false)
class TopicsConfiguration {

    @Bean
    StrategyTopic strategyTopic(TopicsProperties topics, KafkaProperties kafka, AnnouncedStrategies announced,
                                JsonMapper json) {
        return new StrategyTopic(topics.strategies(), kafka.buildConsumerProperties(),
                kafka.buildProducerProperties(), announced, json);
    }

    /** A {@link TopicAdmins} bean, if one is defined (tests), replaces the admin clients built from spring.kafka. */
    @Bean
    MissingTopics missingTopics(TopicsProperties topics, KafkaProperties kafka, ObjectProvider<TopicAdmins> admins,
                                Clock clock) {
        Map<String, Object> config = kafka.buildAdminProperties();
        config.put(AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, (int) MissingTopics.ATTEMPT_TIMEOUT.toMillis());
        config.put(AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, (int) MissingTopics.ATTEMPT_TIMEOUT.toMillis() / 2);
        TopicAdmins fromSpring = () -> Admin.create(config);
        return new MissingTopics(topics, admins.getIfAvailable(() -> fromSpring), clock, Duration.ofSeconds(1),
                Duration.ofSeconds(60));
    }
}
