package io.assignmentworker.intake;

import io.assignmentworker.scheduling.AssignmentScheduler;
import io.assignmentworker.scheduling.BudgetShare;
import java.util.Collection;
import java.util.HashSet;
import java.util.Map;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.ConsumerRebalanceListener;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.TopicPartition;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What a session does when the group moves its partitions. On a revoke it hands the partitions over (their writes
 * sent are waited for), publishes what finished and lets them go; on a loss it only lets them go (it may no longer
 * publish for them); on an assignment it takes each up under a new epoch from its committed offset. Either way the
 * instance's share of the budgets follows its share of the partitions. Runs inside poll, on the intake thread.
 */
final class RebalanceCoordinator implements ConsumerRebalanceListener {

    /** Logged as the session: operators (and the process tests) follow Assigned/Released in its log lines. */
    private static final Logger log = LoggerFactory.getLogger(IntakeSession.class);

    private final Feed feed;
    private final String topic;
    private final Consumer<byte[], byte[]> consumer;
    private final PartitionLedger ledger;
    private final SessionPublisher publisher;
    private final HandOver handOver;
    private final BackPressure backPressure;
    private final WriteLease lease;
    private final RunState state;
    private final AssignmentScheduler scheduler;
    private final BudgetShare budgetShare;
    private int topicPartitions;

    /** The session's parts the callbacks work with; all of them used on the intake thread. */
    record Parts(PartitionLedger ledger, SessionPublisher publisher, HandOver handOver, BackPressure backPressure,
                 WriteLease lease, RunState state) {
    }

    RebalanceCoordinator(Feed feed, String topic, Consumer<byte[], byte[]> consumer, Parts parts,
                         AssignmentScheduler scheduler, BudgetShare budgetShare) {
        this.feed = feed;
        this.topic = topic;
        this.consumer = consumer;
        this.ledger = parts.ledger();
        this.publisher = parts.publisher();
        this.handOver = parts.handOver();
        this.backPressure = parts.backPressure();
        this.lease = parts.lease();
        this.state = parts.state();
        this.scheduler = scheduler;
        this.budgetShare = budgetShare;
    }

    @Override
    public void onPartitionsRevoked(Collection<TopicPartition> revoked) {
        lease.rebalanced();
        handOver.awaitWritesOf(revoked);
        // A publish that fails for good fences the session here too: the poll then returns nothing to
        // dispatch, and the session ends.
        publisher.publish();
        forget(revoked);
    }

    @Override
    public void onPartitionsLost(Collection<TopicPartition> lost) {
        lease.rebalanced();
        forget(lost);
    }

    @Override
    public void onPartitionsAssigned(Collection<TopicPartition> assigned) {
        lease.confirmed();
        if (assigned.isEmpty() || state.fenced()) {
            return; // fenced by this rebalance's revoke: the next session takes the partitions on
        }
        Map<TopicPartition, OffsetAndMetadata> committed = consumer.committed(new HashSet<>(assigned));
        for (TopicPartition partition : assigned) {
            OffsetAndMetadata commit = committed.get(partition);
            long offset = commit != null ? commit.offset() : consumer.position(partition);
            String metadata = commit != null ? commit.metadata() : null;
            ledger.assign(partition, offset, OffsetMetadata.decode(offset, metadata));
        }
        backPressure.forget(assigned);
        log.info("Assigned {}", assigned);
        scheduler.partitionsAssigned();
        reportShare();
    }

    /**
     * The partitions are no longer this session's. Work under way for them finishes without effect: their next
     * owner reads it again.
     */
    void forget(Collection<TopicPartition> gone) {
        ledger.release(gone);
        backPressure.forget(gone);
        publisher.forget(gone);
        if (!gone.isEmpty()) {
            log.info("Released {}", gone);
            reportShare();
        }
    }

    /** This instance's share of the budgets follows its share of the partitions. */
    private void reportShare() {
        try {
            topicPartitions = consumer.partitionsFor(topic).size();
        } catch (KafkaException e) {
            log.debug("Partition count of {} unknown for now; keeping {}", topic, topicPartitions);
        }
        if (feed == Feed.REQUESTS) {
            budgetShare.requestsPartitions(ledger.size(), topicPartitions);
        } else {
            budgetShare.byPolicyPartitions(ledger.size(), topicPartitions);
        }
    }
}
