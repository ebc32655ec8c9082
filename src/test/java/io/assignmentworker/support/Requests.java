package io.assignmentworker.support;

import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.UUID;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.serialization.ByteArraySerializer;

/** Publishes requests as an upstream system would: raw bytes, keyed by requestId. */
public final class Requests implements AutoCloseable {

    public static final String TENANT = "8f1c7e2a-1b2c-4d5e-8f90-0a1b2c3d4e5f";

    private final KafkaProducer<byte[], byte[]> producer;
    private final String topic;

    public Requests(String bootstrapServers, String topic) {
        this.topic = topic;
        this.producer = new KafkaProducer<>(Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers),
                new ByteArraySerializer(), new ByteArraySerializer());
    }

    public RecordMetadata send(String key, byte[] value) {
        try {
            return producer.send(new ProducerRecord<>(topic, key == null ? null : key.getBytes(StandardCharsets.UTF_8),
                    value)).get();
        } catch (Exception e) {
            throw new IllegalStateException("could not publish a request", e);
        }
    }

    public RecordMetadata send(String requestId, String json) {
        return send(requestId, json.getBytes(StandardCharsets.UTF_8));
    }

    public static String groupRequest(String requestId, String policyId, String groupId) {
        return """
                {"requestId":"%s","tenantId":"%s","policyId":"%s","rolloutId":"test-rollout",
                 "assignment":{"@odata.type":"#microsoft.graph.deviceCompliancePolicyAssignment",
                  "target":{"@odata.type":"#microsoft.graph.groupAssignmentTarget","groupId":"%s",
                   "deviceAndAppManagementAssignmentFilterId":null,
                   "deviceAndAppManagementAssignmentFilterType":"none"},
                  "source":"direct","sourceId":null}}""".formatted(requestId, TENANT, policyId, groupId);
    }

    public static String guid() {
        return UUID.randomUUID().toString();
    }

    @Override
    public void close() {
        producer.close();
    }
}
