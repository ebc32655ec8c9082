package io.assignmentworker.intake;

import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.NavigableSet;
import java.util.Set;
import java.util.function.BiConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;

/**
 * The partitions a session owns, each with its {@link PartitionProgress}, and which assignment of each is the
 * current one. Every assignment of a partition gets the next {@link Ownership#epoch epoch} of that partition, and
 * the work read under it carries it; work whose epoch is not its partition's current one is stale: its partition
 * was revoked or lost since it was read (and perhaps assigned again), so it is neither counted nor published nor
 * committed (parallel-consumer's {@code PartitionStateManager} does the same). Used by the intake thread only,
 * except {@link #inFlight}.
 */
final class PartitionLedger {

    private final Map<TopicPartition, PartitionProgress> partitions = new HashMap<>();
    /** The last epoch given to each partition. Kept after a revoke, so that its next assignment gets a new one. */
    private final Map<TopicPartition, Long> epochs = new HashMap<>();
    /** Counted on the intake thread, read by health and metrics. */
    private volatile int inFlight;

    /**
     * The partition is this session's from now on, under a new epoch.
     *
     * @param committedOffset where the group's committed position stands
     * @param doneBefore      records after it whose outcome was published before (from the commit metadata)
     */
    PartitionProgress assign(TopicPartition partition, long committedOffset, NavigableSet<Long> doneBefore) {
        long epoch = epochs.merge(partition, 1L, Long::sum);
        PartitionProgress progress = new PartitionProgress(new Ownership(partition, epoch, new PartitionWrites()),
                committedOffset, doneBefore);
        partitions.put(partition, progress);
        return progress;
    }

    /** The progress of a partition this session owns, or null. */
    PartitionProgress progress(TopicPartition partition) {
        return partitions.get(partition);
    }

    /**
     * The progress that work read under {@code ownership} counts towards, or null when that work is stale: its
     * partition is no longer this session's, or was assigned again since (another epoch).
     */
    PartitionProgress current(Ownership ownership) {
        PartitionProgress progress = partitions.get(ownership.partition());
        return progress != null && progress.ownership().epoch() == ownership.epoch() ? progress : null;
    }

    /**
     * The partitions are no longer this session's: their requests that have not begun to write never will, and
     * whatever was read under their assignment is stale from now on.
     */
    void release(Collection<TopicPartition> gone) {
        for (TopicPartition partition : gone) {
            PartitionProgress progress = partitions.remove(partition);
            if (progress != null) {
                progress.release();
            }
        }
        recount();
    }

    /** A copy: the caller may release what it lists. */
    List<TopicPartition> owned() {
        return new ArrayList<>(partitions.keySet());
    }

    int size() {
        return partitions.size();
    }

    void forEach(BiConsumer<TopicPartition, PartitionProgress> action) {
        partitions.forEach(action);
    }

    /**
     * The offsets to commit now: those of every partition that moved, or that one of {@code answered} came from
     * (an outcome is never published without its partition's offset: see {@link SessionPublisher}).
     */
    Map<TopicPartition, OffsetAndMetadata> committable(Set<TopicPartition> answered) {
        Map<TopicPartition, OffsetAndMetadata> offsets = new HashMap<>();
        partitions.forEach((partition, progress) -> {
            if (progress.dirty() || answered.contains(partition)) {
                offsets.put(partition, progress.committable());
            }
        });
        return offsets;
    }

    /** These offsets were not committed: the next publish commits their partitions again. */
    void notCommitted(Set<TopicPartition> uncommitted) {
        partitions.forEach((partition, progress) -> {
            if (uncommitted.contains(partition)) {
                progress.markDirty();
            }
        });
    }

    /** The requests under way now (intake thread). */
    int countInFlight() {
        int total = 0;
        for (PartitionProgress progress : partitions.values()) {
            total += progress.inFlight();
        }
        return total;
    }

    /** Counts the requests under way for {@link #inFlight}. */
    void recount() {
        inFlight = countInFlight();
    }

    /** Requests under way, as last counted; read from any thread. */
    int inFlight() {
        return inFlight;
    }

    /** The bytes the requests under way keep (see {@link InFlightSize}). */
    long inFlightBytes() {
        long total = 0;
        for (PartitionProgress progress : partitions.values()) {
            total += progress.inFlightBytes();
        }
        return total;
    }
}
