package io.assignmentworker.topics;

import io.assignmentworker.graph.AnnouncedStrategies;
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

    @Bean
    MissingTopics missingTopics(TopicsProperties topics, KafkaProperties kafka) {
        return new MissingTopics(topics, kafka.buildAdminProperties());
    }
}
