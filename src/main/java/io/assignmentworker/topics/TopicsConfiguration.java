package io.assignmentworker.topics;

import org.springframework.boot.kafka.autoconfigure.KafkaProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

@Configuration(proxyBeanMethods = false)
class TopicsConfiguration {

    @Bean
    MissingTopics missingTopics(TopicsProperties topics, KafkaProperties kafka) {
        return new MissingTopics(topics, kafka.buildAdminProperties());
    }
}
