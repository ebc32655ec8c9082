package io.assignmentworker.intake;

import io.assignmentworker.metrics.WorkerMetrics;
import io.assignmentworker.outcome.Completion;
import io.assignmentworker.outcome.OutcomeWriter;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentLinkedQueue;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What a session publishes, and when: work that finished (on any thread) waits in a mailbox for the intake
 * thread, which publishes the outcomes of current work together with the offsets they make committable. The
 * {@link OutcomeWriter} owns how (one transaction, or publish-flush-commit); this class owns what goes in and
 * what a failure means for the session.
 */
final class SessionPublisher {

    private static final Logger log = LoggerFactory.getLogger(SessionPublisher.class);

    private final Consumer<byte[], byte[]> consumer;
    private final OutcomeWriter writer;
    private final PartitionLedger ledger;
    private final RunState state;
    private final WorkerMetrics metrics;
    private final ConcurrentLinkedQueue<Finished> mailbox = new ConcurrentLinkedQueue<>();
    private final List<Completion> unpublished = new ArrayList<>();

    SessionPublisher(Consumer<byte[], byte[]> consumer, OutcomeWriter writer, PartitionLedger ledger,
                     RunState state, WorkerMetrics metrics) {
        this.consumer = consumer;
        this.writer = writer;
        this.ledger = ledger;
        this.state = state;
        this.metrics = metrics;
    }

    /** A request's work ended (any thread): queued for the intake thread, then its partition may settle. */
    void finished(Finished done) {
        mailbox.add(done);
        done.owner().writes().finished(done.offset());
    }

    /**
     * Publishes what finished in one transaction with the offsets of every partition it came from. Never without
     * them: Kafka fences a zombie's transaction only through the group generation sent with its offsets, so
     * outcomes or forwards committed without offsets would land even from a worker that lost its partitions.
     */
    void publish() {
        if (state.fenced()) {
            return;
        }
        collectFinished();
        Set<TopicPartition> answered = new HashSet<>();
        for (Completion completion : unpublished) {
            answered.add(completion.partition());
        }
        Map<TopicPartition, OffsetAndMetadata> offsets = ledger.committable(answered);
        ledger.recount();
        if (unpublished.isEmpty() && offsets.isEmpty()) {
            return;
        }
        if (!memberOfTheGroup()) {
            // The consumer has just lost its membership (its heartbeat was refused after a pause). A commit now
            // would carry no generation, and Kafka accepts such a commit without fencing: a zombie's results and
            // offsets would land. Wait for the next poll, whose rebalance callback says what this worker owns.
            ledger.notCommitted(offsets.keySet());
            return;
        }
        List<Completion> published;
        try {
            published = writer.write(unpublished, offsets, consumer);
        } catch (RuntimeException e) {
            KafkaFailures.Failure failure = KafkaFailures.classify(e);
            if (failure.endsSession()) {
                // Refused for good (fenced: this worker is no longer the producer or group member it was). This
                // session publishes nothing more, not even from the revoke callback of its consumer's close.
                state.fence(failure);
                return;
            }
            log.warn("Could not publish {} outcomes; trying again: {}", unpublished.size(), e.toString());
            ledger.notCommitted(offsets.keySet());
            return;
        }
        for (Completion completion : published) {
            if (completion.outcome() != null) {
                metrics.outcomePublished(completion.outcome(), completion.deadLetter() != null);
            }
        }
        unpublished.clear();
    }

    /**
     * Takes what finished: outcomes to publish, and requests handed back to their partition's next owner (they
     * stay uncommitted). Stale work (read under an assignment that is no longer the current one, see
     * {@link PartitionLedger#current}) is dropped: the partition's next owner reads it again.
     */
    private void collectFinished() {
        Finished done;
        while ((done = mailbox.poll()) != null) {
            PartitionProgress owner = ledger.current(done.owner());
            if (owner == null) {
                continue;
            }
            long offset = done.offset();
            done.map(published -> {
                owner.completed(offset);
                return unpublished.add(published.completion());
            }, handedBack -> {
                owner.handedBack(offset);
                return false;
            });
        }
    }

    private boolean memberOfTheGroup() {
        var group = consumer.groupMetadata();
        return group.generationId() >= 0 && group.memberId() != null && !group.memberId().isEmpty();
    }

    /** The partitions left: what finished for them is not published (their next owner answers it). */
    void forget(Collection<TopicPartition> gone) {
        unpublished.removeIf(c -> gone.contains(c.partition()));
    }

    /** The session ends fenced: nothing it holds is published. */
    void drop() {
        mailbox.clear();
        unpublished.clear();
    }
}
