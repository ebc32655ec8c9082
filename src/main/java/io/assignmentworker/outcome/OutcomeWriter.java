package io.assignmentworker.outcome;

import io.assignmentworker.topics.TopicsProperties;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.InvalidRecordException;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.InterruptException;
import org.apache.kafka.common.errors.RecordBatchTooLargeException;
import org.apache.kafka.common.errors.RecordTooLargeException;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.internals.RecordHeader;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.kafka.support.KafkaHeaders;

/**
 * Front door of the outcome stage: publishes results (with the ownership ledger's entry of each change they
 * report, dead letters, and requests forwarded to the owner of their policy) and commits the consumed offsets with them, in one Kafka transaction. Called only from the intake thread, which owns the consumer.
 *
 * <p>With {@code worker.outcome.exactly-once=false} (brokers without transaction support) it falls back to
 * publish, flush, then commit offsets: at least once, never lost.
 */
public final class OutcomeWriter implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(OutcomeWriter.class);

    /** How many bytes of an unreadable record's own headers its dead letter keeps. */
    static final int DEAD_LETTER_HEADER_BYTES = 64 * 1024;

    private final Producer<byte[], byte[]> producer;
    private final TopicsProperties topics;
    private final OutcomeJson json;
    private final boolean transactional;
    private final int maxRecordBytes;
    private final AutoCloseable onClose;

    /**
     * @param maxRecordBytes the largest record the producer sends ({@code max.request.size}); dead letters are cut
     *                       to fit it
     * @param onClose        closed with the writer (the producer's metrics binding)
     */
    public OutcomeWriter(Producer<byte[], byte[]> producer, TopicsProperties topics, OutcomeJson json,
                         boolean transactional, int maxRecordBytes, AutoCloseable onClose) {
        this.producer = producer;
        this.onClose = onClose;
        this.topics = topics;
        this.json = json;
        this.transactional = transactional;
        this.maxRecordBytes = maxRecordBytes;
        if (transactional) {
            producer.initTransactions();
        }
    }

    /**
     * Publishes the completions and commits {@code offsets} for {@code consumer}'s group, all or nothing.
     *
     * <p>A dead letter or forward that Kafka refuses for good (too large for the topic, or otherwise invalid
     * there) must not fail every transaction it is in, forever: its completion is answered instead (FAILED
     * {@code UNREADABLE_RECORD}, naming what was refused) and the rest is published again without it.
     *
     * @return what was published: the completions, with those whose copy Kafka refused answered instead
     * @throws org.apache.kafka.common.KafkaException when it could not; nothing is committed then and the
     *         caller may try the same completions again (or must rebuild on a fatal producer error)
     */
    public List<Completion> write(List<Completion> completions, Map<TopicPartition, OffsetAndMetadata> offsets,
                                  Consumer<?, ?> consumer) {
        List<Completion> published = transactional ? inTransaction(completions, offsets, consumer)
                : atLeastOnce(completions, offsets, consumer);
        for (Completion completion : published) {
            if (completion.outcome() != null) {
                OutcomeLog.committed(completion.outcome());
            }
        }
        return published;
    }

    private List<Completion> inTransaction(List<Completion> completions,
                                           Map<TopicPartition, OffsetAndMetadata> offsets, Consumer<?, ?> consumer) {
        List<Completion> batch = completions;
        while (true) {
            List<Sent> sent = new ArrayList<>();
            producer.beginTransaction();
            try {
                send(batch, sent);
                if (!offsets.isEmpty()) {
                    producer.sendOffsetsToTransaction(offsets, consumer.groupMetadata());
                }
                producer.commitTransaction();
                return batch;
            } catch (RuntimeException e) {
                abortQuietly(e);
                Map<Integer, Throwable> refused = refusedCopies(sent);
                if (refused.isEmpty()) {
                    throw e;
                }
                // Each round answers at least one more copy, so this ends.
                batch = answerRefused(batch, refused);
            }
        }
    }

    /**
     * Publishes, flushes, checks every send, then commits. A refused copy is answered in a second round, after its
     * first result went out: at least once allows that duplicate, and the later result says what happened.
     */
    private List<Completion> atLeastOnce(List<Completion> completions,
                                         Map<TopicPartition, OffsetAndMetadata> offsets, Consumer<?, ?> consumer) {
        Map<Integer, Throwable> refused = sendAndFlush(completions);
        List<Completion> published = answerRefused(completions, refused);
        if (!refused.isEmpty()) {
            // The answers carry no copies, so nothing of this round can be refused that way.
            sendAndFlush(refused.keySet().stream().map(published::get).toList());
        }
        if (!offsets.isEmpty()) {
            consumer.commitSync(offsets);
        }
        return published;
    }

    /** @return the copies Kafka refused for good; any other failed send throws */
    private Map<Integer, Throwable> sendAndFlush(List<Completion> completions) {
        List<Sent> sent = new ArrayList<>();
        send(completions, sent);
        producer.flush();
        Map<Integer, Throwable> refused = refusedCopies(sent);
        // flush() returns whether or not the sends succeeded: an offset must not commit past a lost result.
        requireAllSent(sent, refused);
        return refused;
    }

    /** What one send was for: the completion at {@code index}, and whether it was a copy the worker made. */
    private record Sent(int index, boolean copy, Future<RecordMetadata> future) {
    }

    private void send(List<Completion> completions, List<Sent> sent) {
        for (int i = 0; i < completions.size(); i++) {
            Completion completion = completions.get(i);
            if (completion.forward() != null) {
                Forward forward = completion.forward();
                sent.add(new Sent(i, true, producer.send(new ProducerRecord<>(topics.byPolicy(), null, forward.key(),
                        forward.value(), forward.headers()))));
                continue;
            }
            Outcome outcome = completion.outcome();
            byte[] key = outcome.key() == null ? null : outcome.key().getBytes(StandardCharsets.UTF_8);
            sent.add(new Sent(i, false, producer.send(new ProducerRecord<>(topics.results(), key,
                    json.toBytes(outcome)))));
            // The ledger entry goes with its result, all or nothing: the ledger never misses a change an outcome
            // reports, nor holds one that no outcome reports.
            java.util.Optional<ChangeRecord.Entry> change = json.ledgerEntry(outcome);
            if (change.isPresent()) {
                sent.add(new Sent(i, false, producer.send(new ProducerRecord<>(topics.ledger(), change.get().key(),
                        change.get().value()))));
            }
            if (completion.deadLetter() != null) {
                sent.add(new Sent(i, true, producer.send(deadLetterRecord(completion.deadLetter(),
                        outcome.source()))));
            }
        }
    }

    /** The copies Kafka refused for good, by the index of their completion, with why. */
    private static Map<Integer, Throwable> refusedCopies(List<Sent> sent) {
        Map<Integer, Throwable> refused = new TreeMap<>();
        for (Sent one : sent) {
            Throwable failure = failure(one.future());
            if (one.copy() && isRefusedForGood(failure)) {
                refused.put(one.index(), failure);
            }
        }
        return refused;
    }

    private static boolean isRefusedForGood(Throwable failure) {
        return failure instanceof RecordTooLargeException || failure instanceof RecordBatchTooLargeException
                || failure instanceof InvalidRecordException;
    }

    private static Throwable failure(Future<RecordMetadata> future) {
        if (!future.isDone()) {
            return null;
        }
        try {
            future.get();
            return null;
        } catch (ExecutionException e) {
            return e.getCause();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new InterruptException(e);
        } catch (RuntimeException e) {
            return e;
        }
    }

    private static void requireAllSent(List<Sent> sent, Map<Integer, Throwable> refused) {
        for (Sent one : sent) {
            if (one.copy() && refused.containsKey(one.index())) {
                continue;
            }
            try {
                one.future().get();
            } catch (ExecutionException e) {
                throw new KafkaException("a result, dead letter or forward was not published; nothing is "
                        + "committed and the records are answered again", e.getCause());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new InterruptException(e);
            }
        }
    }

    /** The completions, with those whose copy was refused answered instead of copied. */
    private List<Completion> answerRefused(List<Completion> completions, Map<Integer, Throwable> refused) {
        List<Completion> answered = new ArrayList<>(completions);
        refused.forEach((index, why) -> {
            Completion completion = completions.get(index);
            answered.set(index, answer(completion, why));
        });
        return answered;
    }

    private Completion answer(Completion completion, Throwable why) {
        RecordSource consumed = completion.consumed();
        if (completion.forward() != null) {
            log.warn("Kafka refused to forward the request read at {}-{}@{} to {}; it is answered FAILED: {}",
                    consumed.topic(), consumed.partition(), consumed.offset(), topics.byPolicy(), why.toString());
            return Completion.answered(consumed, completion.forward().refused(topics.byPolicy(), why.toString(),
                    Instant.now()));
        }
        Outcome.Failed failed = (Outcome.Failed) completion.outcome();
        log.warn("Kafka refused the dead letter of the record read at {}-{}@{} on {}; its result says so: {}",
                consumed.topic(), consumed.partition(), consumed.offset(), topics.deadLetter(), why.toString());
        OutcomeError error = OutcomeError.local(failed.error().category(), failed.error().code(),
                completion.deadLetter().reason() + "; the record could not be copied to " + topics.deadLetter()
                        + ": " + why, false);
        return new Completion(consumed, new Outcome.Failed(failed.requestId(), failed.rolloutId(),
                failed.tenantId(), failed.policyId(), error, failed.attempts(), failed.receivedAt(),
                failed.completedAt(), failed.source(), failed.operation()), null, null);
    }

    /** The unreadable record with where it came from and why, cut to what the producer sends (see RecordFit). */
    private ProducerRecord<byte[], byte[]> deadLetterRecord(DeadLetter letter, RecordSource source) {
        List<Header> added = List.of(
                new RecordHeader(KafkaHeaders.DLT_EXCEPTION_MESSAGE, letter.reason().getBytes(StandardCharsets.UTF_8)),
                new RecordHeader(KafkaHeaders.DLT_ORIGINAL_TOPIC, source.topic().getBytes(StandardCharsets.UTF_8)),
                new RecordHeader(KafkaHeaders.DLT_ORIGINAL_PARTITION,
                        ByteBuffer.allocate(4).putInt(source.partition()).array()),
                new RecordHeader(KafkaHeaders.DLT_ORIGINAL_OFFSET,
                        ByteBuffer.allocate(8).putLong(source.offset()).array()));
        RecordFit.Fitted fitted = RecordFit.fit(letter.key(), letter.value(), letter.headers(), added,
                DEAD_LETTER_HEADER_BYTES, maxRecordBytes);
        return new ProducerRecord<>(topics.deadLetter(), null, fitted.key(), fitted.value(), fitted.headers());
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
