package io.assignmentworker.outcome;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.assignmentworker.topics.TopicsProperties;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.kafka.clients.consumer.MockConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.MockProducer;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.TimeoutException;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.json.JsonMapper;

/** The at-least-once mode (brokers without transactions): a result is published before its offset commits. */
class OutcomeWriterTest {

    private static final TopicsProperties TOPICS = new TopicsProperties("requests", "results", null, null, null,
            "rollouts", "manifests", "ledger", "rollback-requests", true, 6, (short) -1);
    private static final TopicPartition REQUESTS_0 = new TopicPartition("requests", 0);

    private final MockConsumer<byte[], byte[]> consumer = new MockConsumer<>("earliest");

    OutcomeWriterTest() {
        consumer.assign(List.of(REQUESTS_0));
    }

    @Test
    void commitsNothingWhenAResultWasNotPublished() {
        // flush() returns whether or not the sends it waited for succeeded.
        MockProducer<byte[], byte[]> producer = new MockProducer<>(false, null, new ByteArraySerializer(),
                new ByteArraySerializer()) {
            @Override
            public synchronized void flush() {
                errorNext(new TimeoutException("the broker did not answer in time"));
                super.flush();
            }
        };
        OutcomeWriter writer = writer(producer);

        assertThatThrownBy(() -> writer.write(List.of(answered(0)), Map.of(REQUESTS_0, new OffsetAndMetadata(1)),
                consumer)).isInstanceOf(KafkaException.class).hasMessageContaining("nothing is committed");

        assertThat(consumer.committed(Set.of(REQUESTS_0)).get(REQUESTS_0)).isNull();
    }

    @Test
    void commitsOnceEveryResultIsPublished() {
        MockProducer<byte[], byte[]> producer = new MockProducer<>(true, null, new ByteArraySerializer(),
                new ByteArraySerializer());

        writer(producer).write(List.of(answered(0), answered(1)), Map.of(REQUESTS_0, new OffsetAndMetadata(2)),
                consumer);

        assertThat(producer.history()).hasSize(2);
        assertThat(consumer.committed(Set.of(REQUESTS_0)).get(REQUESTS_0).offset()).isEqualTo(2);
    }

    private static OutcomeWriter writer(MockProducer<byte[], byte[]> producer) {
        return new OutcomeWriter(producer, TOPICS, new OutcomeJson(JsonMapper.builder().build()), false, 1024 * 1024,
                () -> { });
    }

    private static Completion answered(long offset) {
        RecordSource source = new RecordSource("requests", 0, offset);
        Outcome outcome = new Outcome.Failed("r-" + offset, null, null, null, OutcomeError.local(
                ErrorCategory.INVALID_REQUEST, "InvalidRequest", "policyId: is required", false), 0, Instant.now(),
                Instant.now(), source);
        return Completion.answered(source, outcome);
    }
}
