package io.assignmentworker.benchmark;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.serialization.ByteArraySerializer;

/** Requests of a benchmark run: group targets with fresh GUIDs, round-robin over many policies. */
final class Load {

    record Request(String requestId, String policyId, byte[] value) {
    }

    private Load() {
    }

    /** {@code count} requests, request {@code i} on policy {@code i % policies.size()}, each a distinct target. */
    static List<Request> plan(String name, String tenantId, List<String> policies, int count) {
        List<Request> plan = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            String requestId = name + "/" + i;
            String policy = policies.get(i % policies.size());
            String json = """
                    {"requestId":"%s","tenantId":"%s","policyId":"%s","rolloutId":"%s",\
                    "assignment":{"@odata.type":"#microsoft.graph.deviceCompliancePolicyAssignment",\
                    "target":{"@odata.type":"#microsoft.graph.groupAssignmentTarget","groupId":"%s",\
                    "deviceAndAppManagementAssignmentFilterId":null,\
                    "deviceAndAppManagementAssignmentFilterType":"none"},"source":"direct","sourceId":null}}"""
                    .formatted(requestId, tenantId, policy, name, UUID.randomUUID());
            plan.add(new Request(requestId, policy, json.getBytes(StandardCharsets.UTF_8)));
        }
        return plan;
    }

    private static byte[] padded(byte[] value, int padding) {
        String json = new String(value, StandardCharsets.UTF_8);
        return ("{\"upstreamPadding\":\"" + "x".repeat(padding) + "\"," + json.substring(1))
                .getBytes(StandardCharsets.UTF_8);
    }

    static void createTopics(String bootstrap, int partitions, String... topics) throws Exception {
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap))) {
            List<NewTopic> newTopics = new ArrayList<>();
            for (String topic : topics) {
                newTopics.add(new NewTopic(topic, partitions, (short) 1));
            }
            admin.createTopics(newTopics).all().get(60, TimeUnit.SECONDS);
        }
    }

    /** Publishes everything (keyed by requestId, so spread over the partitions) and waits for the acks. */
    static void publish(String bootstrap, String topic, List<Request> plan) {
        publish(bootstrap, topic, plan, 0);
    }

    /**
     * The same, each request padded with a field of {@code padding} bytes that the worker ignores (as producers
     * add their own fields): fat records, made one at a time so that the load itself stays small.
     */
    static void publish(String bootstrap, String topic, List<Request> plan, int padding) {
        try (KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(Map.of(
                ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap, ProducerConfig.ACKS_CONFIG, "all",
                ProducerConfig.LINGER_MS_CONFIG, 5, ProducerConfig.BATCH_SIZE_CONFIG, 256 * 1024,
                // The broker shares 2 cores with everything else: slow answers must not turn into retries that
                // overtake each other (an early run lost a batch to OutOfOrderSequenceException that way).
                ProducerConfig.MAX_IN_FLIGHT_REQUESTS_PER_CONNECTION, 1,
                ProducerConfig.REQUEST_TIMEOUT_MS_CONFIG, 120_000,
                ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, 600_000),
                new ByteArraySerializer(), new ByteArraySerializer())) {
            List<Future<RecordMetadata>> sent = new ArrayList<>(plan.size());
            for (Request request : plan) {
                sent.add(producer.send(new ProducerRecord<>(topic, request.requestId().getBytes(
                        StandardCharsets.UTF_8), padding == 0 ? request.value() : padded(request.value(), padding))));
            }
            producer.flush();
            for (Future<RecordMetadata> future : sent) {
                try {
                    future.get();
                } catch (ExecutionException | InterruptedException e) {
                    // Fail the run rather than wait for requests that were never published.
                    throw new IllegalStateException("publishing the load to " + topic + " failed", e);
                }
            }
        }
    }
}
