package io.assignmentworker.intake;

import io.assignmentworker.metrics.WorkerMetrics;
import io.assignmentworker.outcome.OutcomeWriter;
import io.assignmentworker.request.RequestDecoder;
import io.assignmentworker.scheduling.AssignmentScheduler;
import io.assignmentworker.scheduling.BudgetShare;
import io.assignmentworker.topics.TopicsProperties;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.function.BooleanSupplier;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.WakeupException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One life of the Kafka consumer and its transactional producer, on the intake thread. Each turn: poll,
 * hand new records to the {@link RecordDispatcher}, publish the outcomes that finished together with the
 * offsets they make committable ({@link SessionPublisher}), and pause partitions that have too much under way
 * ({@link BackPressure}). Which partitions it owns, and under which epoch, is the {@link PartitionLedger}'s;
 * what happens when the group moves them is the {@link RebalanceCoordinator}'s; where it stands is its
 * {@link RunState}.
 */
final class IntakeSession {

    private static final Logger log = LoggerFactory.getLogger(IntakeSession.class);

    /**
     * The stages and services a session hands work to.
     *
     * @param graphRequestTimeout {@code worker.graph.request-timeout}: how long a write already sent may take to be
     *                            answered, so how long a partition's hand-over waits for its writes
     */
    record Stages(RequestDecoder decoder, AssignmentScheduler scheduler, BudgetShare budgetShare,
                  TopicsProperties topics, Clock clock, WorkerMetrics metrics,
                  Duration graphRequestTimeout) {
    }

    /** What health checks and operators see of a session. */
    record Status(int assignedPartitions, int pausedPartitions, int inFlight) {
    }

    private final Consumer<byte[], byte[]> consumer;
    private final String topic;
    private final IntakeProperties properties;
    private final RunState state;
    private final WriteLease lease;
    private final PartitionLedger ledger = new PartitionLedger();
    private final SessionPublisher publisher;
    private final HandOver handOver;
    private final BackPressure backPressure;
    private final RebalanceCoordinator rebalance;
    private final RecordDispatcher dispatcher;
    private volatile long lastTurnNanos = System.nanoTime();
    private volatile Status status = new Status(0, 0, 0);

    /** @param sessionTimeout the consumer's {@code session.timeout.ms}: how long a paused worker stays a member */
    IntakeSession(Feed feed, Consumer<byte[], byte[]> consumer, OutcomeWriter writer, Stages stages,
                  IntakeProperties properties, Duration sessionTimeout) {
        this.consumer = consumer;
        this.properties = properties;
        this.topic = feed.topic(stages.topics());
        this.state = new RunState(feed.threadName());
        this.lease = new WriteLease(properties.writeLease(), sessionTimeout);
        this.publisher = new SessionPublisher(consumer, writer, ledger, state, stages.metrics());
        this.handOver = new HandOver(ledger, stages.graphRequestTimeout());
        this.backPressure = new BackPressure(consumer, ledger, properties, stages.scheduler().readAhead()::far);
        this.rebalance = new RebalanceCoordinator(feed, topic, consumer,
                new RebalanceCoordinator.Parts(ledger, publisher, handOver, backPressure, lease, state),
                stages.scheduler(), stages.budgetShare());
        this.dispatcher = new RecordDispatcher(feed, stages, publisher::finished, lease::fresh,
                () -> consumer.partitionsFor(topic).size());
        consumer.subscribe(List.of(topic), rebalance);
    }

    /**
     * Turns until {@code keepRunning} says stop (then drains: see {@link #finishInFlight}) or the session is
     * {@link SessionState.Fenced fenced}; returns either way, and {@link #state} says which.
     */
    void run(BooleanSupplier keepRunning) {
        try {
            while (state.running() && keepRunning.getAsBoolean()) {
                turn(true);
            }
            if (state.running()) {
                state.drain();
                finishInFlight();
            }
        } catch (RuntimeException e) {
            // Thrown outside poll and publish (by a record's dispatch, say): whether the turn it broke left the
            // session sound is unknown, so it ends like a fenced one; what it did not commit is read again.
            state.fence(KafkaFailures.classify(e));
        }
        if (state.fenced()) {
            abandon();
        }
    }

    /** Running, draining (stop was asked) or fenced (ending; see {@link SessionState}). */
    SessionState state() {
        return state.get();
    }

    void wakeUp() {
        consumer.wakeup();
    }

    int inFlight() {
        return ledger.inFlight();
    }

    /** The bytes requests under way keep, estimated (see {@link InFlightSize}). */
    long inFlightBytes() {
        return backPressure.inFlightBytes();
    }

    Status status() {
        return status;
    }

    /** Time since the intake thread last finished a turn (poll, publish, back-pressure). */
    Duration sinceLastTurn() {
        return Duration.ofNanos(System.nanoTime() - lastTurnNanos);
    }

    private void turn(boolean read) {
        for (ConsumerRecord<byte[], byte[]> record : poll()) {
            PartitionProgress progress = ledger.progress(new TopicPartition(record.topic(), record.partition()));
            if (progress != null && !progress.skipIfDoneBefore(record.offset())) {
                progress.received(record.offset());
                dispatcher.dispatch(record, progress);
            }
        }
        publisher.publish();
        backPressure.apply(read);
        lastTurnNanos = System.nanoTime();
        status = new Status(ledger.size(), backPressure.pausedCount(), ledger.inFlight());
    }

    /**
     * The records to dispatch: none once the session is fenced, even by a rebalance callback of this very poll
     * (they stay uncommitted for the next session). What the poll threw decides whether the session goes on.
     */
    private ConsumerRecords<byte[], byte[]> poll() {
        try {
            long pollStarted = System.nanoTime();
            var records = consumer.poll(properties.pollTimeout());
            lease.pollReturned(pollStarted);
            if (!state.fenced()) {
                return records;
            }
        } catch (WakeupException stopping) {
            // stop() woke the poll up; the loop condition decides what happens next
        } catch (KafkaException e) {
            KafkaFailures.Failure failure = KafkaFailures.classify(e);
            if (failure.endsSession()) {
                state.fence(failure);
            } else {
                log.warn("Polling {} failed; polling again: {}", topic, e.toString());
            }
        }
        return ConsumerRecords.empty();
    }

    /**
     * A fenced session ends: requests of its partitions that have not begun to write never will, those whose
     * write was sent are waited for (as on a revoke: the next owner must not write while they may land), and every
     * partition goes uncommitted. Nothing is published: the producer or the group refused this session.
     */
    private void abandon() {
        List<TopicPartition> owned = ledger.owned();
        handOver.awaitWritesOf(owned);
        rebalance.forget(owned);
        publisher.drop();
        status = new Status(0, 0, 0);
    }

    /** On stop: read nothing more, let requests under way finish for the grace period, commit, then go. */
    private void finishInFlight() {
        long deadline = System.nanoTime() + properties.shutdownGrace().toNanos();
        while (state.draining() && ledger.countInFlight() > 0 && System.nanoTime() < deadline) {
            turn(false);
        }
        if (state.fenced()) {
            return; // abandon() lets the partitions go: nothing can be committed any more
        }
        // Nothing more is written for these partitions; what was sent is answered before they go, so the next
        // owner never writes a policy while this worker's write to it may still land.
        handOver.awaitWritesOf(ledger.owned());
        turn(false);
        int left = ledger.countInFlight();
        if (left > 0) {
            log.warn("Stopping with {} requests unfinished after {}; they are not committed and will be read again",
                    left, properties.shutdownGrace());
        }
    }
}
