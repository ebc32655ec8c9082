package io.assignmentworker.cli;

import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.KafkaException;

/**
 * Publishes a rollout: its manifest first, then its requests keyed by requestId, with an idempotent producer,
 * and waits until the brokers acknowledged every one.
 */
final class RolloutPublisher {

    /** What was published: how many requests the brokers acknowledged, and the lines they did not. */
    record Published(int acknowledged, List<Integer> unpublishedLines, String firstError) {
    }

    private final KafkaAccess kafka;
    private final PrintStream err;

    RolloutPublisher(KafkaAccess kafka, PrintStream err) {
        this.kafka = kafka;
        this.err = err;
    }

    /** @param manifest the manifest, or null when the manifests topic does not exist */
    Published publish(Manifest manifest, List<ValidLine> requests) {
        try (KafkaProducer<byte[], byte[]> producer = kafka.producer()) {
            if (manifest != null) {
                await(send(producer, kafka.topics().manifests(), manifest.rolloutId(), manifest.json()));
            }
            List<Future<RecordMetadata>> sent = new ArrayList<>(requests.size());
            for (ValidLine request : requests) {
                sent.add(send(producer, kafka.topics().requests(), request.request().requestId(), request.json()));
            }
            producer.flush();
            Published published = collect(requests, sent);
            if (manifest != null && published.acknowledged() < requests.size()) {
                // The rollout is what was published; a manifest that expects more would never complete.
                Manifest corrected = new Manifest(manifest.rolloutId(), published.acknowledged(),
                        manifest.submittedAt(), manifest.description());
                await(send(producer, kafka.topics().manifests(), corrected.rolloutId(), corrected.json()));
                err.println("The manifest now expects " + SummaryTable.count(published.acknowledged(), "request")
                        + ".");
            }
            return published;
        } catch (KafkaException e) {
            throw CliException.unavailable("cannot publish to Kafka at " + kafka.bootstrapServers() + ": "
                    + e.getMessage());
        }
    }

    private static Future<RecordMetadata> send(KafkaProducer<byte[], byte[]> producer, String topic, String key,
                                               byte[] value) {
        return producer.send(new ProducerRecord<>(topic, key.getBytes(StandardCharsets.UTF_8), value));
    }

    private static Published collect(List<ValidLine> requests, List<Future<RecordMetadata>> sent) {
        int acknowledged = 0;
        List<Integer> unpublished = new ArrayList<>();
        String firstError = null;
        for (int i = 0; i < sent.size(); i++) {
            try {
                sent.get(i).get();
                acknowledged++;
            } catch (ExecutionException e) {
                unpublished.add(requests.get(i).line());
                firstError = firstError == null ? String.valueOf(e.getCause().getMessage()) : firstError;
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw CliException.unavailable("interrupted while publishing");
            }
        }
        return new Published(acknowledged, unpublished, firstError);
    }

    private static void await(Future<RecordMetadata> future) {
        try {
            future.get();
        } catch (ExecutionException e) {
            throw CliException.unavailable("cannot publish the manifest: " + e.getCause().getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw CliException.unavailable("interrupted while publishing the manifest");
        }
    }
}
