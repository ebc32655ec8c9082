package io.assignmentworker.intake;

import static org.assertj.core.api.Assertions.assertThat;

import io.assignmentworker.outcome.Forward;
import io.assignmentworker.outcome.RecordFit;
import io.assignmentworker.outcome.RecordSource;
import io.assignmentworker.request.AssignmentRequest;
import io.assignmentworker.request.AssignmentSource;
import io.assignmentworker.request.AssignmentTarget;
import io.assignmentworker.request.FilterType;
import io.assignmentworker.request.TargetType;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Optional;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.header.Headers;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.common.record.TimestampType;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class ForwardHeadersTest {

    static final Instant FIRST_READ = Instant.parse("2026-01-02T03:04:05Z");
    private static final AssignmentRequest REQUEST = new AssignmentRequest("r-1", null,
            "5d1b2c3a-6e7f-4a8b-9c0d-1e2f3a4b5c6d", null,
            new AssignmentTarget(TargetType.ALL_DEVICES, null, null, null, FilterType.NONE), AssignmentSource.DIRECT,
            null);

    @Test
    void aRequestForwardedAgainKeepsWhereAndWhenItWasFirstRead() {
        ConsumerRecord<byte[], byte[]> fromRequests = record("requests", 2, 41, new RecordHeaders());
        Forward first = forward(fromRequests, new RecordSource("requests", 2, 41), FIRST_READ);
        ConsumerRecord<byte[], byte[]> onByPolicy = record("requests.by-policy", 5, 7, first.headers());

        Forward again = forward(onByPolicy, ForwardHeaders.originalSource(onByPolicy),
                ForwardHeaders.originalReceivedAt(onByPolicy, Instant.EPOCH));
        ConsumerRecord<byte[], byte[]> reread = record("requests.by-policy", 1, 3, again.headers());

        assertThat(ForwardHeaders.forwardedFrom(reread)).contains(new RecordSource("requests", 2, 41));
        assertThat(ForwardHeaders.originalReceivedAt(reread, Instant.EPOCH)).isEqualTo(FIRST_READ);
        assertThat(again.headers().headers(ForwardHeaders.TOPIC)).as("one of each").hasSize(1);
        assertThat(new String(again.key(), StandardCharsets.UTF_8)).isEqualTo("t/p");
    }

    @Test
    void aForwardCarriesOnTheRecordsOwnHeadersUpToItsBudgetAndSaysWhatItLeftOut() {
        RecordHeaders headers = new RecordHeaders();
        put(headers, "traceparent", "00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01");
        headers.add("huge", new byte[900_000]);
        put(headers, "after", "small");
        ConsumerRecord<byte[], byte[]> fromRequests = record("requests", 2, 41, headers);

        Forward forward = forward(fromRequests, new RecordSource("requests", 2, 41), FIRST_READ);

        assertThat(forward.headers().lastHeader("traceparent")).isNotNull();
        assertThat(forward.headers().lastHeader("after")).isNotNull();
        assertThat(forward.headers().lastHeader("huge")).isNull();
        assertThat(new String(forward.headers().lastHeader(RecordFit.HEADERS_CUT).value(), StandardCharsets.UTF_8))
                .startsWith("kept=2/3; size=900110; sha256=");
        assertThat(RecordFit.size(forward.headers())).isLessThan(ForwardHeaders.KEPT_BYTES + 1024);
    }

    @Test
    void aForwardDoesNotCarryHeadersNamedLikeTheWorkersOwn() {
        RecordHeaders headers = new RecordHeaders();
        put(headers, ForwardHeaders.TOPIC, "forged");
        ConsumerRecord<byte[], byte[]> fromRequests = record("requests", 2, 41, headers);

        Forward forward = forward(fromRequests, new RecordSource("requests", 2, 41), FIRST_READ);

        assertThat(forward.headers().headers(ForwardHeaders.TOPIC)).hasSize(1);
        assertThat(ForwardHeaders.forwardedFrom(record("b", 0, 0, forward.headers())))
                .contains(new RecordSource("requests", 2, 41));
    }

    private static Forward forward(ConsumerRecord<byte[], byte[]> record, RecordSource source, Instant receivedAt) {
        return ForwardHeaders.forward(ForwardHeaders.kept(record), "{}".getBytes(StandardCharsets.UTF_8), "t/p",
                REQUEST, source, receivedAt);
    }

    @ParameterizedTest(name = "topic={0} partition={1} offset={2}")
    @CsvSource(nullValues = "null", value = {
            "null,     1,  2",
            "requests, null, 2",
            "requests, 1,  null",
            "requests, x,  2",
            "requests, 1,  -2",
            "'',       1,  2"})
    void aRecordWithoutCompleteForwardHeadersWasNotForwarded(String topic, String partition, String offset) {
        RecordHeaders headers = new RecordHeaders();
        put(headers, ForwardHeaders.TOPIC, topic);
        put(headers, ForwardHeaders.PARTITION, partition);
        put(headers, ForwardHeaders.OFFSET, offset);
        ConsumerRecord<byte[], byte[]> record = record("requests.by-policy", 4, 9, headers);

        assertThat(ForwardHeaders.forwardedFrom(record)).isEqualTo(Optional.empty());
        assertThat(ForwardHeaders.originalSource(record)).isEqualTo(new RecordSource("requests.by-policy", 4, 9));
    }

    static void put(RecordHeaders headers, String key, String value) {
        if (value != null) {
            headers.add(key, value.getBytes(StandardCharsets.UTF_8));
        }
    }

    static ConsumerRecord<byte[], byte[]> record(String topic, int partition, long offset, Headers headers) {
        return new ConsumerRecord<>(topic, partition, offset, 0L, TimestampType.CREATE_TIME, 0, 0,
                "k".getBytes(StandardCharsets.UTF_8), "{}".getBytes(StandardCharsets.UTF_8), headers,
                Optional.empty());
    }
}
