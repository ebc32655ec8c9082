package io.assignmentworker.intake;

import io.assignmentworker.outcome.Forward;
import io.assignmentworker.outcome.RecordSource;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.Headers;
import org.apache.kafka.common.header.internals.RecordHeaders;

/**
 * Carries where and when a request was first read across the by-policy topic, so its outcome names the
 * record upstream published and its age counts from when it was first read.
 */
final class ForwardHeaders {

    static final String TOPIC = "iaw-source-topic";
    static final String PARTITION = "iaw-source-partition";
    static final String OFFSET = "iaw-source-offset";
    static final String RECEIVED_AT = "iaw-received-at";

    private ForwardHeaders() {
    }

    static Forward forward(ConsumerRecord<byte[], byte[]> record, String policyKey, Instant receivedAt) {
        RecordHeaders headers = new RecordHeaders();
        for (Header header : record.headers()) {
            if (!header.key().startsWith("iaw-")) {
                headers.add(header);
            }
        }
        put(headers, TOPIC, record.topic());
        put(headers, PARTITION, Integer.toString(record.partition()));
        put(headers, OFFSET, Long.toString(record.offset()));
        put(headers, RECEIVED_AT, receivedAt.toString());
        return new Forward(policyKey.getBytes(StandardCharsets.UTF_8), record.value(), headers);
    }

    /** Where the forwarded request was first read; the record itself when it carries no such headers. */
    static RecordSource originalSource(ConsumerRecord<byte[], byte[]> record) {
        Headers headers = record.headers();
        String topic = get(headers, TOPIC);
        String partition = get(headers, PARTITION);
        String offset = get(headers, OFFSET);
        try {
            if (topic != null && partition != null && offset != null) {
                return new RecordSource(topic, Integer.parseInt(partition), Long.parseLong(offset));
            }
        } catch (NumberFormatException ignored) {
            // not written by a worker: fall back to the record's own coordinates
        }
        return new RecordSource(record.topic(), record.partition(), record.offset());
    }

    static Instant originalReceivedAt(ConsumerRecord<byte[], byte[]> record, Instant fallback) {
        String value = get(record.headers(), RECEIVED_AT);
        try {
            return value == null ? fallback : Instant.parse(value);
        } catch (RuntimeException e) {
            return fallback;
        }
    }

    private static void put(Headers headers, String key, String value) {
        headers.add(key, value.getBytes(StandardCharsets.UTF_8));
    }

    private static String get(Headers headers, String key) {
        Header header = headers.lastHeader(key);
        return header == null || header.value() == null ? null : new String(header.value(), StandardCharsets.UTF_8);
    }
}
