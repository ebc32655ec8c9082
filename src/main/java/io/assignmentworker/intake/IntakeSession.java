package io.assignmentworker.intake;

import io.assignmentworker.metrics.WorkerMetrics;
import io.assignmentworker.outcome.Completion;
import io.assignmentworker.outcome.OutcomeWriter;
import io.assignmentworker.request.RequestDecoder;
import io.assignmentworker.scheduling.AssignmentScheduler;
import io.assignmentworker.scheduling.BudgetShare;
import io.assignmentworker.topics.TopicsProperties;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.BooleanSupplier;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.ConsumerRebalanceListener;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.WakeupException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One life of the Kafka consumer and its transactional producer, on the intake thread. Each turn: poll,
 * hand new records to the {@link RecordDispatcher}, publish the outcomes that finished together with the
 * offsets they make committable, and pause partitions that have too much under way.
 */
final class IntakeSession {

    private static final Logger log = LoggerFactory.getLogger(IntakeSession.class);
    /**
     * Beyond the request timeout, how long a write's request may take to finish once Graph answered (a batch reads
     * its write back) before its partition goes without it.
     */
    private static final java.time.Duration HAND_OVER_MARGIN = java.time.Duration.ofSeconds(5);

    /**
     * The stages and services a session hands work to.
     *
     * @param graphRequestTimeout {@code worker.graph.request-timeout}: how long a write already sent may take to be
     *                            answered, so how long a partition's hand-over waits for its writes
     */
    record Stages(RequestDecoder decoder, AssignmentScheduler scheduler, BudgetShare budgetShare,
                  TopicsProperties topics, Clock clock, WorkerMetrics metrics,
                  java.time.Duration graphRequestTimeout) {
    }

    private final Feed feed;
    private final Consumer<byte[], byte[]> consumer;
    private final OutcomeWriter writer;
    private final AssignmentScheduler scheduler;
    private final BudgetShare budgetShare;
    private final String topic;
    private int topicPartitions;
    private final IntakeProperties properties;
    private final WorkerMetrics metrics;
    private final RecordDispatcher dispatcher;
    private final Map<TopicPartition, PartitionProgress> partitions = new HashMap<>();
    private final ConcurrentLinkedQueue<Finished> finished = new ConcurrentLinkedQueue<>();
    private final List<Completion> unpublished = new ArrayList<>();
    private final Set<TopicPartition> paused = new HashSet<>();
    private volatile int inFlight;
    private volatile long inFlightBytes;
    private volatile long lastTurnNanos = System.nanoTime();
    private volatile long lastPollNanos = System.nanoTime();
    private volatile long lastRebalanceNanos = System.nanoTime();
    private volatile long unconfirmedUntilNanos = System.nanoTime();
    private final java.time.Duration sessionTimeout;
    private final java.time.Duration handOverWait;
    private volatile Status status = new Status(0, 0, 0);
    /** Written on the intake thread only; read by health. */
    private volatile SessionState state = SessionState.RUNNING;
    private final Rebalance rebalance = new Rebalance();

    /** What health checks and operators see of a session. */
    record Status(int assignedPartitions, int pausedPartitions, int inFlight) {
    }

    /** @param sessionTimeout the consumer's {@code session.timeout.ms}: how long a paused worker stays a member */
    IntakeSession(Feed feed, Consumer<byte[], byte[]> consumer, OutcomeWriter writer, Stages stages,
                  IntakeProperties properties, java.time.Duration sessionTimeout) {
        this.feed = feed;
        this.sessionTimeout = sessionTimeout;
        this.consumer = consumer;
        this.writer = writer;
        this.properties = properties;
        this.metrics = stages.metrics();
        this.scheduler = stages.scheduler();
        this.budgetShare = stages.budgetShare();
        this.topic = feed.topic(stages.topics());
        this.handOverWait = stages.graphRequestTimeout().plus(HAND_OVER_MARGIN);
        this.dispatcher = new RecordDispatcher(feed, stages, this::finished, this::leaseFresh,
                () -> consumer.partitionsFor(topic).size());
        consumer.subscribe(List.of(topic), rebalance);
    }

    /**
     * Turns until {@code keepRunning} says stop (then drains: see {@link #finishInFlight}) or the session is
     * {@link SessionState.Fenced fenced}; returns either way, and {@link #state} says which.
     */
    void run(BooleanSupplier keepRunning) {
        try {
            while (state == SessionState.RUNNING && keepRunning.getAsBoolean()) {
                turn(true);
            }
            if (state == SessionState.RUNNING) {
                state = SessionState.DRAINING;
                finishInFlight();
            }
        } catch (RuntimeException e) {
            // Thrown outside poll and publish (by a record's dispatch, say): whether the turn it broke left the
            // session sound is unknown, so it ends like a fenced one; what it did not commit is read again.
            fence(KafkaFailures.classify(e));
        }
        if (state instanceof SessionState.Fenced) {
            abandon();
        }
    }

    /** Running, draining (stop was asked) or fenced (ending; see {@link SessionState}). */
    SessionState state() {
        return state;
    }

    void wakeUp() {
        consumer.wakeup();
    }

    int inFlight() {
        return inFlight;
    }

    /** The bytes requests under way keep, estimated (see {@link InFlightSize}). */
    long inFlightBytes() {
        return inFlightBytes;
    }

    private void turn(boolean read) {
        for (ConsumerRecord<byte[], byte[]> record : poll()) {
            PartitionProgress progress = partitions.get(new TopicPartition(record.topic(), record.partition()));
            if (progress != null && !progress.skipIfDoneBefore(record.offset())) {
                progress.received(record.offset());
                dispatcher.dispatch(record, progress);
            }
        }
        publish();
        applyBackPressure(read);
        lastTurnNanos = System.nanoTime();
        status = new Status(partitions.size(), paused.size(), inFlight);
    }

    /**
     * The records to dispatch: none once the session is fenced, even by a rebalance callback of this very poll
     * (they stay uncommitted for the next session). What the poll threw decides whether the session goes on.
     */
    private ConsumerRecords<byte[], byte[]> poll() {
        try {
            long pollStarted = System.nanoTime();
            var records = consumer.poll(properties.pollTimeout());
            pollReturned(pollStarted);
            if (!(state instanceof SessionState.Fenced)) {
                return records;
            }
        } catch (WakeupException stopping) {
            // stop() woke the poll up; the loop condition decides what happens next
        } catch (KafkaException e) {
            KafkaFailures.Failure failure = KafkaFailures.classify(e);
            if (failure.endsSession()) {
                fence(failure);
            } else {
                log.warn("Polling {} failed; polling again: {}", topic, e.toString());
            }
        }
        return ConsumerRecords.empty();
    }

    /**
     * This session can no longer publish (or read): it sends nothing more and ends ({@link #abandon}). Its
     * consumer and producer are not used again: a new session, with new ones, reads again what was not committed.
     */
    private void fence(KafkaFailures.Failure failure) {
        if (state instanceof SessionState.Fenced) {
            return;
        }
        state = new SessionState.Fenced(failure);
        log.error("Kafka session of {} fenced ({}): it reads, writes and publishes nothing more and ends; records "
                + "not committed will be read again", feed.threadName(), failure.reason(), failure.cause());
    }

    /**
     * A fenced session ends: requests of its partitions that have not begun to write never will, those whose
     * write was sent are waited for (as on a revoke: the next owner must not write while they may land), and every
     * partition goes uncommitted. Nothing is published: the producer or the group refused this session.
     */
    private void abandon() {
        List<TopicPartition> owned = new ArrayList<>(partitions.keySet());
        awaitWritesOf(owned);
        rebalance.forget(owned);
        finished.clear();
        unpublished.clear();
        status = new Status(0, 0, 0);
    }

    Status status() {
        return status;
    }

    /**
     * A poll returned. A long gap since the previous one (the process was paused, or starved) means the group may
     * have moved this worker's partitions without it noticing yet: writes wait until a rebalance callback has
     * told it what it owns, or until a whole session timeout has passed without one.
     */
    private void pollReturned(long pollStarted) {
        long now = System.nanoTime();
        if (now - lastPollNanos > properties.writeLease().toNanos() && lastRebalanceNanos < pollStarted) {
            unconfirmedUntilNanos = now + sessionTimeout.toNanos();
        }
        lastPollNanos = now;
    }

    /** Whether this worker may trust that it still owns its partitions (see {@link #pollReturned}). */
    boolean leaseFresh() {
        long now = System.nanoTime();
        return now - lastPollNanos < properties.writeLease().toNanos() && now - unconfirmedUntilNanos >= 0;
    }

    /** Time since the intake thread last finished a turn (poll, publish, back-pressure). */
    java.time.Duration sinceLastTurn() {
        return java.time.Duration.ofNanos(System.nanoTime() - lastTurnNanos);
    }

    /** On stop: read nothing more, let requests under way finish for the grace period, commit, then go. */
    private void finishInFlight() {
        long deadline = System.nanoTime() + properties.shutdownGrace().toNanos();
        while (state == SessionState.DRAINING && countInFlight() > 0 && System.nanoTime() < deadline) {
            turn(false);
        }
        if (state instanceof SessionState.Fenced) {
            return; // abandon() lets the partitions go: nothing can be committed any more
        }
        // Nothing more is written for these partitions; what was sent is answered before they go, so the next
        // owner never writes a policy while this worker's write to it may still land.
        awaitWritesOf(partitions.keySet());
        turn(false);
        int left = countInFlight();
        if (left > 0) {
            log.warn("Stopping with {} requests unfinished after {}; they are not committed and will be read again",
                    left, properties.shutdownGrace());
        }
    }

    /** A request's work ended (any thread): queued for the intake thread, then its partition may settle. */
    private void finished(Finished done) {
        finished.add(done);
        done.owner().writes().finished(done.offset());
    }

    /**
     * Releases the partitions and waits, up to the request timeout and a margin, for the requests of exactly these
     * partitions that had begun to write; those that had not are aborted at once and handed to the next owner
     * uncommitted. Their outcomes are then queued for the publish that follows. Other partitions' work goes on.
     */
    private void awaitWritesOf(Collection<TopicPartition> leaving) {
        List<CompletableFuture<Void>> settling = new ArrayList<>();
        int awaited = 0;
        for (TopicPartition partition : leaving) {
            PartitionProgress progress = partitions.get(partition);
            if (progress != null) {
                settling.add(progress.release());
                awaited += progress.writes().awaited();
            }
        }
        if (awaited == 0) {
            return;
        }
        log.info("Waiting up to {} for {} writes to Graph of partitions {} before they go", handOverWait, awaited,
                leaving);
        try {
            CompletableFuture.allOf(settling.toArray(CompletableFuture[]::new))
                    .get(handOverWait.toMillis(), TimeUnit.MILLISECONDS);
        } catch (TimeoutException e) {
            log.warn("Writes to Graph still unanswered after {} while partitions {} go; their requests are not "
                    + "committed and will be read again by the next owner", handOverWait, leaving);
        } catch (ExecutionException e) {
            log.warn("Waiting for the writes of partitions {} failed: {}", leaving, e.getCause().toString());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /**
     * Takes what finished: outcomes to publish, and requests handed back to their partition's next owner (they
     * stay uncommitted). Work of partitions this session no longer owns is dropped: their next owner reads it.
     */
    private void collectFinished() {
        Finished done;
        while ((done = finished.poll()) != null) {
            PartitionProgress owner = done.owner();
            if (partitions.get(done.partition()) != owner) {
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

    /**
     * Publishes what finished in one transaction with the offsets of every partition it came from. Never without
     * them: Kafka fences a zombie's transaction only through the group generation sent with its offsets, so
     * outcomes or forwards committed without offsets would land even from a worker that lost its partitions.
     */
    private void publish() {
        if (state instanceof SessionState.Fenced) {
            return;
        }
        collectFinished();
        Set<TopicPartition> answered = new HashSet<>();
        for (Completion completion : unpublished) {
            answered.add(completion.partition());
        }
        Map<TopicPartition, OffsetAndMetadata> offsets = new HashMap<>();
        partitions.forEach((partition, progress) -> {
            if (progress.dirty() || answered.contains(partition)) {
                offsets.put(partition, progress.committable());
            }
        });
        inFlight = countInFlight();
        if (unpublished.isEmpty() && offsets.isEmpty()) {
            return;
        }
        if (!memberOfTheGroup()) {
            // The consumer has just lost its membership (its heartbeat was refused after a pause). A commit now
            // would carry no generation, and Kafka accepts such a commit without fencing: a zombie's results and
            // offsets would land. Wait for the next poll, whose rebalance callback says what this worker owns.
            partitions.forEach((partition, progress) -> {
                if (offsets.containsKey(partition)) {
                    progress.markDirty();
                }
            });
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
                fence(failure);
                return;
            }
            log.warn("Could not publish {} outcomes; trying again: {}", unpublished.size(), e.toString());
            partitions.forEach((partition, progress) -> {
                if (offsets.containsKey(partition)) {
                    progress.markDirty();
                }
            });
            return;
        }
        for (Completion completion : published) {
            if (completion.outcome() != null) {
                metrics.outcomePublished(completion.outcome(), completion.deadLetter() != null);
            }
        }
        unpublished.clear();
    }

    private boolean memberOfTheGroup() {
        var group = consumer.groupMetadata();
        return group.generationId() >= 0 && group.memberId() != null && !group.memberId().isEmpty();
    }

    private void applyBackPressure(boolean read) {
        int total = countInFlight();
        long bytes = countInFlightBytes();
        inFlightBytes = bytes;
        boolean allFull = !read || total >= properties.maxInFlight()
                || bytes >= properties.maxInFlightBytes().toBytes();
        Set<TopicPartition> pause = new HashSet<>();
        Set<TopicPartition> resume = new HashSet<>();
        partitions.forEach((partition, progress) -> {
            boolean full = allFull || progress.span() >= properties.maxInFlightPerPartition();
            if (full && !paused.contains(partition)) {
                pause.add(partition);
            } else if (!full && paused.contains(partition)) {
                resume.add(partition);
            }
        });
        if (!pause.isEmpty()) {
            consumer.pause(pause);
            paused.addAll(pause);
        }
        if (!resume.isEmpty()) {
            consumer.resume(resume);
            paused.removeAll(resume);
        }
    }

    private long countInFlightBytes() {
        long total = 0;
        for (PartitionProgress progress : partitions.values()) {
            total += progress.inFlightBytes();
        }
        return total;
    }

    private int countInFlight() {
        int total = 0;
        for (PartitionProgress progress : partitions.values()) {
            total += progress.inFlight();
        }
        return total;
    }

    /** Runs inside poll, on the intake thread. */
    private final class Rebalance implements ConsumerRebalanceListener {

        @Override
        public void onPartitionsRevoked(Collection<TopicPartition> revoked) {
            lastRebalanceNanos = System.nanoTime();
            awaitWritesOfRevoked(revoked);
            // A publish that fails for good fences the session here too: the poll then returns nothing to
            // dispatch, and the session ends.
            publish();
            forget(revoked);
        }

        @Override
        public void onPartitionsLost(Collection<TopicPartition> lost) {
            lastRebalanceNanos = System.nanoTime();
            forget(lost);
        }

        @Override
        public void onPartitionsAssigned(Collection<TopicPartition> assigned) {
            lastRebalanceNanos = System.nanoTime();
            unconfirmedUntilNanos = lastRebalanceNanos;
            if (assigned.isEmpty() || state instanceof SessionState.Fenced) {
                return; // fenced by this rebalance's revoke: the next session takes the partitions on
            }
            Map<TopicPartition, OffsetAndMetadata> committed = consumer.committed(new HashSet<>(assigned));
            for (TopicPartition partition : assigned) {
                OffsetAndMetadata commit = committed.get(partition);
                long offset = commit != null ? commit.offset() : consumer.position(partition);
                String metadata = commit != null ? commit.metadata() : null;
                partitions.put(partition, new PartitionProgress(offset, OffsetMetadata.decode(offset, metadata)));
                paused.remove(partition);
            }
            log.info("Assigned {}", assigned);
            scheduler.partitionsAssigned();
            reportShare();
        }

        /** This instance's share of the budgets follows its share of the partitions. */
        private void reportShare() {
            try {
                topicPartitions = consumer.partitionsFor(topic).size();
            } catch (KafkaException e) {
                log.debug("Partition count of {} unknown for now; keeping {}", topic, topicPartitions);
            }
            if (feed == Feed.REQUESTS) {
                budgetShare.requestsPartitions(partitions.size(), topicPartitions);
            } else {
                budgetShare.byPolicyPartitions(partitions.size(), topicPartitions);
            }
        }

        /**
         * A partition's new owner must not write while this worker still does (it would not see a create or an
         * /assign that lands after it read the policy): the revoked partitions' requests that have not written
         * send nothing, and those whose write was sent are waited for (and published, below).
         */
        private void awaitWritesOfRevoked(Collection<TopicPartition> revoked) {
            awaitWritesOf(revoked);
        }

        private void forget(Collection<TopicPartition> gone) {
            // Work under way for these partitions finishes without effect: their next owner reads it again.
            gone.forEach(partition -> {
                PartitionProgress progress = partitions.remove(partition);
                if (progress != null) {
                    progress.release();
                }
                paused.remove(partition);
            });
            unpublished.removeIf(c -> gone.contains(c.partition()));
            inFlight = countInFlight();
            if (!gone.isEmpty()) {
                log.info("Released {}", gone);
                reportShare();
            }
        }
    }
}
