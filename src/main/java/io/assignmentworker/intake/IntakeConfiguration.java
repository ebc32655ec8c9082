package io.assignmentworker.intake;

import io.assignmentworker.graph.AnnouncedStrategies;
import io.assignmentworker.graph.GraphProperties;
import io.assignmentworker.graph.TenantStrategies;
import io.assignmentworker.metrics.WorkerMetrics;
import io.assignmentworker.outcome.OutcomeWriter;
import io.assignmentworker.request.RequestDecoder;
import io.assignmentworker.scheduling.AssignmentScheduler;
import io.assignmentworker.scheduling.BudgetShare;
import io.assignmentworker.topics.MissingTopics;
import io.assignmentworker.topics.TopicsProperties;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.springframework.boot.kafka.autoconfigure.KafkaProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

@Configuration(proxyBeanMethods = false)
class IntakeConfiguration {

    @Bean
    Intake requestIntake(KafkaProperties kafka, Supplier<OutcomeWriter> outcomeWriters, IntakeProperties properties,
                  AssignmentScheduler scheduler, BudgetShare budgetShare, TopicsProperties topics,
                  MissingTopics missingTopics, Clock clock, WorkerMetrics metrics, GraphProperties graph,
                  StrategiesGate strategiesGate) {
        ForwardPartitioning.requireBuiltIn(kafka.buildProducerProperties());
        RequestDecoder decoder = new RequestDecoder((int) properties.maxRecordSize().toBytes(),
                properties.maxNestingDepth());
        IntakeSession.Stages stages = new IntakeSession.Stages(decoder, scheduler, budgetShare, topics,
                clock, metrics, graph.requestTimeout());
        Object configured = kafka.buildConsumerProperties().get(ConsumerConfig.SESSION_TIMEOUT_MS_CONFIG);
        Duration sessionTimeout = Duration.ofMillis(configured == null ? 45_000
                : Long.parseLong(configured.toString()));
        List<IntakeLoop> loops = new ArrayList<>();
        for (Feed feed : Feed.values()) {
            loops.add(new IntakeLoop(feed, () -> consumer(kafka, feed), outcomeWriters, stages, properties,
                    missingTopics, sessionTimeout, strategiesGate::await));
        }
        Intake intake = new Intake(loops);
        metrics.inFlight(intake::inFlight);
        metrics.inFlightBytes(intake::inFlightBytes);
        metrics.inFlightLimit(() -> properties.maxInFlight(scheduler.readAhead().far()));
        return intake;
    }

    @Bean
    StrategiesGate strategiesGate(AnnouncedStrategies announced, TenantStrategies strategies, TopicsProperties topics) {
        return new StrategiesGate(announced, strategies, topics.strategies());
    }

    /** {@code spring.kafka.consumer.*} applies; offsets are committed by the outcome stage only. */
    private static KafkaConsumer<byte[], byte[]> consumer(KafkaProperties kafka, Feed feed) {
        Map<String, Object> config = kafka.buildConsumerProperties();
        Object group = config.get(ConsumerConfig.GROUP_ID_CONFIG);
        config.put(ConsumerConfig.GROUP_ID_CONFIG, feed.groupId(group == null ? "intune-assignment-worker"
                : group.toString()));
        config.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        config.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        return new KafkaConsumer<>(config, new ByteArrayDeserializer(), new ByteArrayDeserializer());
    }
}
