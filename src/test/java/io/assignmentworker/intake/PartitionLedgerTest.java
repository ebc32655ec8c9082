package io.assignmentworker.intake;

import static io.assignmentworker.intake.SessionFixture.P0;
import static io.assignmentworker.intake.SessionFixture.P1;
import static org.assertj.core.api.Assertions.assertThat;

import io.assignmentworker.metrics.WorkerMetrics;
import io.assignmentworker.outcome.Completion;
import io.assignmentworker.outcome.ErrorCategory;
import io.assignmentworker.outcome.Outcome;
import io.assignmentworker.outcome.OutcomeError;
import io.assignmentworker.outcome.RecordSource;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Instant;
import java.util.List;
import java.util.TreeSet;
import org.apache.kafka.clients.consumer.MockConsumer;
import org.apache.kafka.clients.producer.MockProducer;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.Test;

/**
 * The ledger's epoch rule: work carries the epoch of the assignment of its partition it was read under, and once
 * that partition was revoked (or lost) and assigned again, that work is stale. It counts towards nothing, and is
 * neither published nor committed; the work of the current assignment is.
 */
class PartitionLedgerTest {

    private final PartitionLedger ledger = new PartitionLedger();
    private final MockConsumer<byte[], byte[]> consumer = SessionFixture.consumer();
    private final MockProducer<byte[], byte[]> producer = SessionFixture.producer();
    private final SessionPublisher publisher = new SessionPublisher(consumer, SessionFixture.writer(producer),
            ledger, new RunState("intake-test"), new WorkerMetrics(new SimpleMeterRegistry()));

    @Test
    void eachAssignmentOfAPartitionHasANewEpoch() {
        Ownership first = ledger.assign(P0, 0, new TreeSet<>()).ownership();
        ledger.release(List.of(P0));
        Ownership second = ledger.assign(P0, 0, new TreeSet<>()).ownership();
        Ownership other = ledger.assign(P1, 0, new TreeSet<>()).ownership();

        assertThat(second.epoch()).isGreaterThan(first.epoch());
        assertThat(ledger.current(first)).as("work of the revoked assignment").isNull();
        assertThat(ledger.current(second)).isSameAs(ledger.progress(P0));
        assertThat(ledger.current(other)).isSameAs(ledger.progress(P1));
    }

    @Test
    void workOfARevokedPartitionIsStaleWhileItIsNotAssignedAgain() {
        Ownership revoked = ledger.assign(P0, 0, new TreeSet<>()).ownership();
        ledger.release(List.of(P0));

        assertThat(ledger.current(revoked)).isNull();
    }

    /**
     * Record 0 of P0 is read under a first assignment; P0 is revoked and assigned again, and the new assignment
     * reads record 0 again. The first read's outcome, arriving late, must neither be published nor complete the
     * second read's record (which would commit past work still under way).
     */
    @Test
    void neverPublishesNorCommitsWorkOfAnEarlierAssignmentOfTheSamePartition() {
        PartitionProgress first = ledger.assign(P0, 0, new TreeSet<>());
        first.received(0);
        Finished lateFromFirst = answered(0, first.ownership());
        ledger.release(List.of(P0)); // revoked
        PartitionProgress second = ledger.assign(P0, 0, new TreeSet<>());
        second.received(0); // the record is read again, under the new assignment

        publisher.finished(lateFromFirst);
        publisher.publish();

        assertThat(producer.history()).as("published for the earlier assignment").isEmpty();
        assertThat(producer.consumerGroupOffsetsHistory()).as("committed for the earlier assignment").isEmpty();
        assertThat(second.inFlight()).as("the current read of record 0 is still under way").isEqualTo(1);

        publisher.finished(answered(0, second.ownership()));
        publisher.publish();

        assertThat(producer.history()).as("the current assignment's outcome").hasSize(1);
        assertThat(producer.consumerGroupOffsetsHistory()).singleElement()
                .satisfies(commit -> assertThat(commit.values().iterator().next().get(P0).offset()).isEqualTo(1));
    }

    private static Finished answered(long offset, Ownership owner) {
        TopicPartition partition = owner.partition();
        RecordSource consumed = new RecordSource(partition.topic(), partition.partition(), offset);
        Instant now = Instant.now();
        OutcomeError error = OutcomeError.local(ErrorCategory.INVALID_REQUEST, "InvalidRequest", "test", false);
        return new Finished.Done(Completion.answered(consumed,
                new Outcome.Failed("r-" + offset, null, null, null, error, 0, now, now, consumed)), owner);
    }
}
