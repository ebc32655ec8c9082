package io.assignmentworker.intake;

import static io.assignmentworker.intake.SessionFixture.P0;
import static io.assignmentworker.intake.SessionFixture.P1;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.apache.kafka.clients.consumer.CommitFailedException;
import org.apache.kafka.clients.consumer.MockConsumer;
import org.apache.kafka.clients.producer.MockProducer;
import org.apache.kafka.common.errors.TimeoutException;
import org.apache.kafka.common.errors.TopicAuthorizationException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** An intake session that can no longer publish ends, and sends Graph nothing more. */
class IntakeSessionTest {

    private static final int CREATES = 8;

    private final SessionFixture fixture = new SessionFixture(2);
    private final MockConsumer<byte[], byte[]> consumer = SessionFixture.consumer();
    private final MockProducer<byte[], byte[]> producer = SessionFixture.producer();
    private final AtomicBoolean keepRunning = new AtomicBoolean(true);
    private IntakeSession session;
    private CompletableFuture<Void> running;

    @AfterEach
    void stop() throws Exception {
        keepRunning.set(false);
        if (session != null) {
            session.wakeUp();
            running.get(10, TimeUnit.SECONDS);
        }
        fixture.close();
    }

    @Test
    void endsAndWritesNothingMoreWhenItsPublishIsFencedInARevokeCallback() throws Exception {
        session = fixture.session(consumer, SessionFixture.writer(producer));
        consumer.schedulePollTask(() -> {
            consumer.rebalance(List.of(P0, P1));
            consumer.addRecord(SessionFixture.unreadable(P1, 0));
            for (int offset = 1; offset <= CREATES; offset++) {
                consumer.addRecord(fixture.create(P1, offset));
            }
        });
        // The first publish fails for now: the answer of P1@0 waits for the next one.
        producer.commitTransactionException = new TimeoutException("the transaction coordinator did not answer");
        consumer.schedulePollTask(() -> {
            producer.fenceProducer();
            consumer.rebalance(List.of(P1)); // P0 goes: its revoke callback publishes, and is refused for good
        });

        running = CompletableFuture.runAsync(() -> session.run(keepRunning::get));

        running.get(15, TimeUnit.SECONDS);
        long createsWhenItEnded = fixture.creates();
        assertThat(session.state()).isInstanceOfSatisfying(SessionState.Fenced.class,
                fenced -> assertThat(fenced.failure().reason()).isEqualTo("fenced"));
        assertThat(createsWhenItEnded).as("requests were still waiting for the write budget when it was fenced")
                .isLessThan(CREATES);
        Thread.sleep(3_000); // at 2 writes a second, the waiting requests would all have written by now
        assertThat(fixture.creates()).as("Graph writes after the session ended").isEqualTo(createsWhenItEnded);
        assertThat(producer.history()).as("nothing was published").isEmpty();
        assertThat(producer.consumerGroupOffsetsHistory()).as("nothing was committed").isEmpty();
        assertThat(session.status().assignedPartitions()).isZero();
    }

    @Test
    void endsWithoutThrowingWhenItsPollIsRefusedAuthorization() throws Exception {
        session = fixture.session(consumer, SessionFixture.writer(producer));
        consumer.schedulePollTask(() -> consumer.rebalance(List.of(P0, P1)));
        consumer.schedulePollTask(() -> consumer.setPollException(
                new TopicAuthorizationException(Set.of(SessionFixture.TOPIC))));

        running = CompletableFuture.runAsync(() -> session.run(keepRunning::get));

        running.get(15, TimeUnit.SECONDS);
        assertThat(session.state()).isInstanceOfSatisfying(SessionState.Fenced.class,
                fenced -> assertThat(fenced.failure().reason()).isEqualTo("authorization"));
    }

    @Test
    void keepsRunningAndPublishesLaterWhenACommitIsRefusedBecauseTheGroupMovedOn() throws Exception {
        session = fixture.session(consumer, SessionFixture.writer(producer));
        producer.commitTransactionException = new CommitFailedException("the coordinator is not aware of this member");
        consumer.schedulePollTask(() -> {
            consumer.rebalance(List.of(P0, P1));
            consumer.addRecord(SessionFixture.unreadable(P0, 0));
        });

        running = CompletableFuture.runAsync(() -> session.run(keepRunning::get));

        await().atMost(Duration.ofSeconds(5)).until(() -> producer.transactionAborted());
        assertThat(session.state()).isEqualTo(SessionState.RUNNING);
        producer.commitTransactionException = null; // the next poll rejoined the group
        await().atMost(Duration.ofSeconds(5)).untilAsserted(() -> assertThat(producer.history())
                .as("result and dead letter").hasSize(2));
        assertThat(running).isNotDone();
    }

    /**
     * Requests of a revoked partition that had asked to write but not yet written are handed back: their writes
     * are never sent, nothing is published for them, and the partition's offset is never committed past them.
     */
    @Test
    void handsBackTheRequestsOfARevokedPartitionWithoutAnOutcomeOrACommitPastThem() throws Exception {
        // Every request asks its permit (and so counts as writing) before its first read, which takes a second:
        // the revoke waits for them, and they end, handed back, while their partition is still this worker's.
        fixture.emulator.tenant(SessionFixture.TENANT).latency(Duration.ofSeconds(1), Duration.ZERO);
        session = fixture.session(consumer, SessionFixture.writer(producer));
        consumer.schedulePollTask(() -> {
            consumer.rebalance(List.of(P0, P1));
            consumer.addRecord(SessionFixture.unreadable(P0, 0));
            for (int offset = 1; offset <= 4; offset++) {
                consumer.addRecord(fixture.create(P0, offset));
            }
        });
        consumer.schedulePollTask(() -> consumer.rebalance(List.of(P1)));

        running = CompletableFuture.runAsync(() -> session.run(keepRunning::get));

        await().atMost(Duration.ofSeconds(15)).until(() -> session.status().assignedPartitions() == 1);
        Thread.sleep(2_000); // anything still under way for P0 would have finished by now
        assertThat(session.state()).isEqualTo(SessionState.RUNNING);
        assertThat(fixture.creates()).as("writes sent for the handed-back requests").isZero();
        assertThat(producer.history()).as("only the unreadable record's result and dead letter").hasSize(2);
        assertThat(producer.consumerGroupOffsetsHistory()).as("P0 is committed").isNotEmpty()
                .allSatisfy(commit -> commit.values().forEach(offsets -> {
                    if (offsets.containsKey(P0)) {
                        assertThat(offsets.get(P0).offset()).as("never past the first handed-back request")
                                .isEqualTo(1);
                    }
                }));
    }

    @Test
    void drainsAndPublishesWhenAskedToStop() throws Exception {
        session = fixture.session(consumer, SessionFixture.writer(producer));
        consumer.schedulePollTask(() -> {
            consumer.rebalance(List.of(P0, P1));
            consumer.addRecord(SessionFixture.unreadable(P0, 0));
        });
        AtomicBoolean once = new AtomicBoolean(true);

        running = CompletableFuture.runAsync(() -> session.run(() -> once.getAndSet(false)));

        running.get(15, TimeUnit.SECONDS);
        assertThat(session.state()).isEqualTo(SessionState.DRAINING);
        assertThat(producer.history()).as("the answer read before the stop").hasSize(2); // result and dead letter
        assertThat(producer.consumerGroupOffsetsHistory()).as("offsets committed with it").singleElement()
                .satisfies(commit -> assertThat(commit.values().iterator().next().get(P0).offset()).isEqualTo(1));
    }
}
