package io.assignmentworker.process;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.serialization.ByteArraySerializer;

/**
 * Publishes a whole rollout as an upstream system would: a plain producer, raw JSON bytes keyed by requestId,
 * sent without waiting for each record (one round trip per record would make 2,000 requests take seconds).
 */
final class BulkPublisher implements AutoCloseable {

    private static final long ACK_TIMEOUT_SECONDS = 60;
    private final KafkaProducer<byte[], byte[]> producer;
    private final String topic;

    BulkPublisher(String bootstrapServers, String topic) {
        this.topic = topic;
        this.producer = new KafkaProducer<>(Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers,
                ProducerConfig.ACKS_CONFIG, "all"), new ByteArraySerializer(), new ByteArraySerializer());
    }

    /** Sends every request and returns once the broker has acknowledged all of them. */
    List<RecordMetadata> publish(List<PlannedRequest> plan) {
        List<Future<RecordMetadata>> sent = new ArrayList<>(plan.size());
        for (PlannedRequest request : plan) {
            sent.add(producer.send(new ProducerRecord<>(topic, request.requestId().getBytes(StandardCharsets.UTF_8),
                    request.value())));
        }
        producer.flush();
        List<RecordMetadata> acknowledged = new ArrayList<>(sent.size());
        for (Future<RecordMetadata> future : sent) {
            try {
                acknowledged.add(future.get(ACK_TIMEOUT_SECONDS, TimeUnit.SECONDS));
            } catch (ExecutionException | TimeoutException e) {
                throw new IllegalStateException("the broker did not accept a request", e);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted while publishing", e);
            }
        }
        return acknowledged;
    }

    @Override
    public void close() {
        producer.close();
    }
}
