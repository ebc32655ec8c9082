package io.assignmentworker.outcome;

import static org.assertj.core.api.Assertions.assertThat;

import io.assignmentworker.request.AssignmentRequest;
import io.assignmentworker.request.AssignmentSource;
import io.assignmentworker.request.AssignmentTarget;
import io.assignmentworker.request.FilterType;
import io.assignmentworker.request.TargetType;
import io.assignmentworker.topics.TopicsProperties;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Instant;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Future;
import org.apache.kafka.clients.consumer.MockConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.Callback;
import org.apache.kafka.clients.producer.MockProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.compress.Compression;
import org.apache.kafka.common.errors.RecordTooLargeException;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.common.record.AbstractRecords;
import org.apache.kafka.common.record.RecordBatch;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.assertj.core.api.Assertions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import tools.jackson.databind.json.JsonMapper;

/**
 * A dead letter or forward is a copy of what the worker read, and Kafka may refuse it for good (too large). It
 * must never fail every transaction it is in: it is cut to fit, and if still refused, answered instead.
 */
class RefusedCopiesTest {

    private static final TopicsProperties TOPICS = new TopicsProperties("requests", "results", null, null, null,
            "rollouts", "manifests", "ledger", "rollback-requests", true, 6, (short) -1);
    private static final TopicPartition REQUESTS_0 = new TopicPartition("requests", 0);
    private static final int ONE_MIB = 1024 * 1024;

    private final MockConsumer<byte[], byte[]> consumer = new MockConsumer<>("earliest");

    RefusedCopiesTest() {
        consumer.assign(List.of(REQUESTS_0));
    }

    @Test
    void aDeadLetterOfARecordJustUnderTheBrokersLimitIsCutToFitAndSaysWhatWasCut() throws Exception {
        LimitedProducer producer = new LimitedProducer(true, ONE_MIB, Map.of());
        byte[] value = new byte[1_048_000];
        value[0] = 7;
        RecordHeaders headers = new RecordHeaders();
        headers.add("trace", "t-1".getBytes(StandardCharsets.UTF_8));
        headers.add("huge", new byte[200_000]);

        List<Completion> published = writer(producer, true).write(List.of(unreadable(0, value, headers)),
                Map.of(REQUESTS_0, new OffsetAndMetadata(1)), consumer);

        assertThat(published.get(0).deadLetter()).isNotNull();
        ProducerRecord<byte[], byte[]> letter = sentTo(producer, "requests.DLT");
        assertThat(wireSize(letter)).isLessThanOrEqualTo(ONE_MIB);
        assertThat(letter.value()[0]).isEqualTo((byte) 7);
        assertThat(text(letter, RecordFit.VALUE_CUT)).isEqualTo("size=1048000; sha256=" + sha256(value));
        assertThat(text(letter, RecordFit.HEADERS_CUT)).startsWith("kept=1/2; size=");
        assertThat(text(letter, "trace")).isEqualTo("t-1");
        assertThat(letter.headers().lastHeader("huge")).isNull();
        assertThat(consumerOffsetsCommitted(producer)).isTrue();
    }

    @ParameterizedTest(name = "transactional={0}")
    @ValueSource(booleans = {true, false})
    void aDeadLetterTheTopicRefusesIsAnsweredInsteadAndTheRestIsPublished(boolean transactional) {
        LimitedProducer producer = new LimitedProducer(transactional, ONE_MIB, Map.of("requests.DLT", 1_000));
        Completion unreadable = unreadable(0, new byte[5_000], new RecordHeaders());

        List<Completion> published = writer(producer, transactional).write(List.of(unreadable, answered(1)),
                Map.of(REQUESTS_0, new OffsetAndMetadata(2)), consumer);

        assertThat(published).hasSize(2);
        assertThat(published.get(0).deadLetter()).isNull();
        Outcome.Failed failed = (Outcome.Failed) published.get(0).outcome();
        assertThat(failed.error().category()).isEqualTo(ErrorCategory.UNREADABLE_RECORD);
        assertThat(failed.error().message()).contains("not valid JSON").contains("could not be copied to requests.DLT")
                .contains("RecordTooLargeException");
        assertThat(failed.source()).isEqualTo(new RecordSource("requests", 0, 0));
        assertThat(producer.history()).noneMatch(r -> r.topic().equals("requests.DLT"));
        assertThat(lastResultFor(producer, 0)).contains("could not be copied");
        assertThat(producer.history()).anyMatch(r -> r.topic().equals("results") && text(r.value()).contains("r-1"));
        if (transactional) {
            assertThat(consumerOffsetsCommitted(producer)).isTrue();
        } else {
            assertThat(consumer.committed(Set.of(REQUESTS_0)).get(REQUESTS_0).offset()).isEqualTo(2);
        }
    }

    @Test
    void aForwardTheTopicRefusesAnswersItsRequestFailedWithItsCoordinates() {
        LimitedProducer producer = new LimitedProducer(true, ONE_MIB, Map.of("requests.by-policy", 10));
        RecordSource source = new RecordSource("requests", 0, 5);
        AssignmentRequest request = new AssignmentRequest("r-5", null, "5d1b2c3a-6e7f-4a8b-9c0d-1e2f3a4b5c6d",
                "rollout-1", new AssignmentTarget(TargetType.ALL_DEVICES, null, null, null, FilterType.NONE),
                AssignmentSource.DIRECT, null);
        Forward forward = new Forward("t/p".getBytes(StandardCharsets.UTF_8), "{}".getBytes(StandardCharsets.UTF_8),
                new RecordHeaders(), request, source, Instant.EPOCH);

        List<Completion> published = writer(producer, true).write(List.of(Completion.forwarded(source, forward),
                answered(6)), Map.of(REQUESTS_0, new OffsetAndMetadata(7)), consumer);

        Outcome.Failed failed = (Outcome.Failed) published.get(0).outcome();
        assertThat(failed.requestId()).isEqualTo("r-5");
        assertThat(failed.rolloutId()).isEqualTo("rollout-1");
        assertThat(failed.source()).isEqualTo(source);
        assertThat(failed.error().category()).isEqualTo(ErrorCategory.UNREADABLE_RECORD);
        assertThat(failed.error().message()).contains("could not be forwarded to requests.by-policy");
        assertThat(producer.history()).extracting(ProducerRecord::topic).containsExactly("results", "results");
        assertThat(consumerOffsetsCommitted(producer)).isTrue();
    }

    @Test
    void aResultThatCannotBePublishedStillFailsTheWrite() {
        LimitedProducer producer = new LimitedProducer(true, ONE_MIB, Map.of("results", 10));

        Assertions.assertThatThrownBy(() -> writer(producer, true).write(List.of(answered(0)),
                Map.of(REQUESTS_0, new OffsetAndMetadata(1)), consumer)).isInstanceOf(KafkaException.class);

        assertThat(producer.history()).isEmpty();
    }

    /**
     * A producer that refuses records over its {@code max.request.size} or over a topic's limit, as
     * {@code KafkaProducer} does: the send's future fails, and so does the transaction it is in.
     */
    private static final class LimitedProducer extends MockProducer<byte[], byte[]> {

        private final int maxRequestSize;
        private final Map<String, Integer> topicLimits;
        private boolean failedInTransaction;

        LimitedProducer(boolean transactional, int maxRequestSize, Map<String, Integer> topicLimits) {
            super(true, null, new ByteArraySerializer(), new ByteArraySerializer());
            this.maxRequestSize = maxRequestSize;
            this.topicLimits = topicLimits;
        }

        @Override
        public synchronized Future<RecordMetadata> send(ProducerRecord<byte[], byte[]> record, Callback callback) {
            int size = wireSize(record);
            if (size > maxRequestSize || size > topicLimits.getOrDefault(record.topic(), Integer.MAX_VALUE)) {
                failedInTransaction = true;
                return CompletableFuture.failedFuture(new RecordTooLargeException("The message is " + size
                        + " bytes when serialized which is larger than the limit"));
            }
            return super.send(record, callback);
        }

        @Override
        public synchronized void commitTransaction() {
            if (failedInTransaction) {
                throw new KafkaException("Cannot execute transactional method because we are in an error state");
            }
            super.commitTransaction();
        }

        @Override
        public synchronized void abortTransaction() {
            failedInTransaction = false;
            super.abortTransaction();
        }
    }

    private static OutcomeWriter writer(MockProducer<byte[], byte[]> producer, boolean transactional) {
        return new OutcomeWriter(producer, TOPICS, new OutcomeJson(JsonMapper.builder().build()), transactional,
                ONE_MIB, () -> { });
    }

    private static int wireSize(ProducerRecord<byte[], byte[]> record) {
        return AbstractRecords.estimateSizeInBytesUpperBound(RecordBatch.CURRENT_MAGIC_VALUE, Compression.NONE.type(),
                record.key(), record.value(), record.headers().toArray());
    }

    private boolean consumerOffsetsCommitted(MockProducer<byte[], byte[]> producer) {
        return !producer.consumerGroupOffsetsHistory().isEmpty();
    }

    private static ProducerRecord<byte[], byte[]> sentTo(MockProducer<byte[], byte[]> producer, String topic) {
        return producer.history().stream().filter(r -> r.topic().equals(topic)).findFirst().orElseThrow();
    }

    private static String lastResultFor(MockProducer<byte[], byte[]> producer, long offset) {
        return producer.history().stream().filter(r -> r.topic().equals("results"))
                .map(r -> text(r.value())).filter(v -> v.contains("\"offset\":" + offset)).reduce((a, b) -> b)
                .orElseThrow();
    }

    private static String text(ProducerRecord<byte[], byte[]> record, String header) {
        var found = record.headers().lastHeader(header);
        return found == null ? null : text(found.value());
    }

    private static String text(byte[] bytes) {
        return new String(bytes, StandardCharsets.UTF_8);
    }

    private static String sha256(byte[] bytes) throws Exception {
        return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
    }

    private static Completion unreadable(long offset, byte[] value, RecordHeaders headers) {
        RecordSource source = new RecordSource("requests", 0, offset);
        String reason = "record value is not valid JSON: Unexpected character";
        Outcome outcome = new Outcome.Failed(null, null, null, null, OutcomeError.local(
                ErrorCategory.UNREADABLE_RECORD, "UnreadableRecord", reason + "; the original record is on "
                        + "requests.DLT", false), 0, Instant.now(), Instant.now(), source);
        return new Completion(source, outcome, new DeadLetter(null, value, headers, reason), null);
    }

    private static Completion answered(long offset) {
        RecordSource source = new RecordSource("requests", 0, offset);
        Outcome outcome = new Outcome.Failed("r-" + offset, null, null, null, OutcomeError.local(
                ErrorCategory.INVALID_REQUEST, "InvalidRequest", "policyId: is required", false), 0, Instant.now(),
                Instant.now(), source);
        return Completion.answered(source, outcome);
    }
}
