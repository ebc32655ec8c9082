package io.assignmentworker.intake;

import io.assignmentworker.outcome.Forward;
import io.assignmentworker.outcome.IsoInstant;
import io.assignmentworker.outcome.RecordFit;
import io.assignmentworker.outcome.RecordSource;
import io.assignmentworker.request.AssignmentRequest;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Optional;
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
    /**
     * How many bytes of its own headers a forwarded request carries on (tracing headers and the like); the rest
     * are left out, as a {@link RecordFit#HEADERS_CUT} header says. This bounds what a request under way keeps.
     */
    static final int KEPT_BYTES = 8 * 1024;

    private ForwardHeaders() {
    }

    /**
     * The record's own headers a forward carries on: those that fit {@link #KEPT_BYTES}, without the worker's.
     * Taken when the record is read, so that the record itself is not kept while its request is under way.
     */
    static Headers kept(ConsumerRecord<byte[], byte[]> record) {
        return RecordFit.keep(record.headers(), KEPT_BYTES, name -> name.startsWith("iaw-"));
    }

    /**
     * The request, for its policy's owner, naming {@code source} as where it was first read: the record itself
     * when read from the requests topic; a by-policy record forwarded again keeps the coordinates of the record
     * upstream published.
     *
     * @param kept  the record's own headers, as {@link #kept} took them
     * @param value the request as {@link io.assignmentworker.request.RequestEncoder} writes it
     */
    static Forward forward(Headers kept, byte[] value, String policyKey, AssignmentRequest request,
                           RecordSource source, Instant receivedAt) {
        RecordHeaders headers = new RecordHeaders();
        kept.forEach(headers::add);
        put(headers, TOPIC, source.topic());
        put(headers, PARTITION, Integer.toString(source.partition()));
        put(headers, OFFSET, Long.toString(source.offset()));
        put(headers, RECEIVED_AT, receivedAt.toString());
        return new Forward(policyKey.getBytes(StandardCharsets.UTF_8), value, headers, request, source, receivedAt);
    }

    /** Where the forwarded request was first read; the record itself when it carries no such headers. */
    static RecordSource originalSource(ConsumerRecord<byte[], byte[]> record) {
        return forwardedFrom(record)
                .orElseGet(() -> new RecordSource(record.topic(), record.partition(), record.offset()));
    }

    /**
     * Where the forwarded request was first read, as its headers say; empty when they are missing or malformed,
     * that is when no worker forwarded the record.
     */
    static Optional<RecordSource> forwardedFrom(ConsumerRecord<byte[], byte[]> record) {
        Headers headers = record.headers();
        String topic = get(headers, TOPIC);
        String partition = get(headers, PARTITION);
        String offset = get(headers, OFFSET);
        if (topic == null || topic.isEmpty() || partition == null || offset == null) {
            return Optional.empty();
        }
        try {
            int p = Integer.parseInt(partition);
            long o = Long.parseLong(offset);
            return p < 0 || o < 0 ? Optional.empty() : Optional.of(new RecordSource(topic, p, o));
        } catch (NumberFormatException notByAWorker) {
            return Optional.empty();
        }
    }

    static Instant originalReceivedAt(ConsumerRecord<byte[], byte[]> record, Instant fallback) {
        String value = get(record.headers(), RECEIVED_AT);
        try {
            return value == null ? fallback : IsoInstant.parse(value);
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
