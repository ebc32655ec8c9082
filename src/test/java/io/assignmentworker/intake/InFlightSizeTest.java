package io.assignmentworker.intake;

import static org.assertj.core.api.Assertions.assertThat;

import io.assignmentworker.request.Decoded;
import io.assignmentworker.request.RequestDecoder;
import java.nio.charset.StandardCharsets;
import java.util.Optional;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.common.record.TimestampType;
import org.junit.jupiter.api.Test;

class InFlightSizeTest {

    private static final String REQUEST = """
            {"requestId":"r-1","policyId":"5d1b2c3a-6e7f-4a8b-9c0d-1e2f3a4b5c6d",%s
             "assignment":{"@odata.type":"#microsoft.graph.deviceCompliancePolicyAssignment",
              "target":{"@odata.type":"#microsoft.graph.allDevicesAssignmentTarget"},
              "source":"%s","sourceId":%s}}""";

    private final RequestDecoder decoder = new RequestDecoder(1024 * 1024, 32);

    @Test
    void aRequestPaddedByItsProducerWeighsNoMoreThanTheSameRequestBare() {
        ConsumerRecord<byte[], byte[]> bare = record(REQUEST.formatted("", "direct", "null"), new RecordHeaders());
        ConsumerRecord<byte[], byte[]> padded = record(REQUEST.formatted(
                "\"padding\":\"" + "x".repeat(60_000) + "\",", "direct", "null"), new RecordHeaders());

        assertThat(size(padded)).isEqualTo(size(bare)).isLessThan(3_000);
    }

    @Test
    void whatARequestKeepsCountsInItsWeight() {
        RecordHeaders fat = new RecordHeaders();
        fat.add("upstream-context", new byte[100_000]);
        ConsumerRecord<byte[], byte[]> bare = record(REQUEST.formatted("", "direct", "null"), new RecordHeaders());
        ConsumerRecord<byte[], byte[]> longSourceId = record(REQUEST.formatted("", "policySets",
                "\"" + "s".repeat(50_000) + "\""), new RecordHeaders());
        ConsumerRecord<byte[], byte[]> fatHeaders = record(REQUEST.formatted("", "direct", "null"), fat);

        assertThat(size(longSourceId)).isGreaterThan(size(bare) + 100_000 - 1);
        assertThat(size(fatHeaders)).as("only the headers a forward keeps")
                .isBetween(size(bare), size(bare) + ForwardHeaders.KEPT_BYTES);
    }

    private int size(ConsumerRecord<byte[], byte[]> record) {
        Decoded.Valid valid = (Decoded.Valid) decoder.decode(record.value());
        return InFlightSize.of(valid.request(), ForwardHeaders.kept(record));
    }

    private static ConsumerRecord<byte[], byte[]> record(String json, RecordHeaders headers) {
        return new ConsumerRecord<>("requests", 0, 0, 0L, TimestampType.CREATE_TIME, 0, 0, null,
                json.getBytes(StandardCharsets.UTF_8), headers, Optional.empty());
    }
}
