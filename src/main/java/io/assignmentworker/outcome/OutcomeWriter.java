package io.assignmentworker.outcome;

import io.assignmentworker.topics.TopicsProperties;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.InterruptException;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.springframework.kafka.support.KafkaHeaders;

/**
 * Front door of the outcome stage: publishes results (and dead letters, and requests forwarded to the owner
 * of their policy) and commits the consumed offsets with them, in one Kafka transaction. Called only from the intake thread, which owns the consumer.
 *
 * <p>With {@code worker.outcome.exactly-once=false} (brokers without transaction support) it falls back to
 * publish, flush, then commit offsets: at least once, never lost.
 */
public final class OutcomeWriter implements AutoCloseable {

    private final Producer<byte[], byte[]> producer;
    private final TopicsProperties topics;
    private final OutcomeJson json;
    private final boolean transactional;
    private final AutoCloseable onClose;

    /**
     * @param onClose closed with the writer (the producer's metrics binding)
     */
    public OutcomeWriter(Producer<byte[], byte[]> producer, TopicsProperties topics, OutcomeJson json,
                         boolean transactional, AutoCloseable onClose) {
        this.producer = producer;
        this.onClose = onClose;
        this.topics = topics;
        this.json = json;
        this.transactional = transactional;
        if (transactional) {
            producer.initTransactions();
        }
    }

    /**
     * Publishes the completions and commits {@code offsets} for {@code consumer}'s group, all or nothing.
     *
     * @throws org.apache.kafka.common.KafkaException when it could not; nothing is committed then and the
     *         caller may try the same completions again (or must rebuild on a fatal producer error)
     */
    public void write(List<Completion> completions, Map<TopicPartition, OffsetAndMetadata> offsets,
                      Consumer<?, ?> consumer) {
        if (transactional) {
            producer.beginTransaction();
            try {
                send(completions);
                if (!offsets.isEmpty()) {
                    producer.sendOffsetsToTransaction(offsets, consumer.groupMetadata());
                }
                producer.commitTransaction();
            } catch (RuntimeException e) {
                abortQuietly(e);
                throw e;
            }
        } else {
            List<Future<RecordMetadata>> sent = send(completions);
            producer.flush();
            // flush() returns whether or not the sends succeeded: an offset must not commit past a lost result.
            requireAllSent(sent);
            if (!offsets.isEmpty()) {
                consumer.commitSync(offsets);
            }
        }
        for (Completion completion : completions) {
            if (completion.outcome() != null) {
                OutcomeLog.committed(completion.outcome());
            }
        }
    }

    private static void requireAllSent(List<Future<RecordMetadata>> sent) {
        for (Future<RecordMetadata> send : sent) {
            try {
                send.get();
            } catch (ExecutionException e) {
                throw new KafkaException("a result, dead letter or forward was not published; nothing is "
                        + "committed and the records are answered again", e.getCause());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new InterruptException(e);
            }
        }
    }

    private List<Future<RecordMetadata>> send(List<Completion> completions) {
        List<Future<RecordMetadata>> sent = new ArrayList<>(completions.size());
        for (Completion completion : completions) {
            if (completion.forward() != null) {
                Forward forward = completion.forward();
                sent.add(producer.send(new ProducerRecord<>(topics.byPolicy(), null, forward.key(), forward.value(),
                        forward.headers())));
                continue;
            }
            Outcome outcome = completion.outcome();
            byte[] key = outcome.key() == null ? null : outcome.key().getBytes(StandardCharsets.UTF_8);
            // Results and dead letters fail the transaction on error; the callback only surfaces it sooner.
            sent.add(producer.send(new ProducerRecord<>(topics.results(), key, json.toBytes(outcome))));
            if (completion.deadLetter() != null) {
                sent.add(producer.send(deadLetterRecord(completion.deadLetter(), outcome.source())));
            }
        }
        return sent;
    }

    private ProducerRecord<byte[], byte[]> deadLetterRecord(DeadLetter letter, RecordSource source) {
        RecordHeaders headers = new RecordHeaders();
        if (letter.headers() != null) {
            for (Header header : letter.headers()) {
                headers.add(header);
            }
        }
        headers.add(KafkaHeaders.DLT_EXCEPTION_MESSAGE, letter.reason().getBytes(StandardCharsets.UTF_8));
        headers.add(KafkaHeaders.DLT_ORIGINAL_TOPIC, source.topic().getBytes(StandardCharsets.UTF_8));
        headers.add(KafkaHeaders.DLT_ORIGINAL_PARTITION, ByteBuffer.allocate(4).putInt(source.partition()).array());
        headers.add(KafkaHeaders.DLT_ORIGINAL_OFFSET, ByteBuffer.allocate(8).putLong(source.offset()).array());
        return new ProducerRecord<>(topics.deadLetter(), null, letter.key(), letter.value(), headers);
    }

    private void abortQuietly(RuntimeException cause) {
        try {
            producer.abortTransaction();
        } catch (RuntimeException abortFailure) {
            cause.addSuppressed(abortFailure);
        }
    }

    @Override
    public void close() {
        try {
            onClose.close();
        } catch (Exception e) {
            // only the metrics binding: nothing to recover
        }
        producer.close();
    }
}
