package io.assignmentworker.intake;

import java.util.NavigableMap;
import java.util.NavigableSet;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.CompletableFuture;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;

/**
 * One partition's records under way. Records finish in any order; the partition commits only up to its
 * lowest unfinished record, and remembers in the commit metadata which later ones are done already.
 * Used by the intake thread only; its {@link #ownership} goes with the work read under it, to any thread.
 */
final class PartitionProgress {

    /** Records under way, each with the bytes its request keeps (see {@link InFlightSize}). */
    private final NavigableMap<Long, Integer> pending = new TreeMap<>();
    private long pendingBytes;
    private final NavigableSet<Long> doneAhead = new TreeSet<>();
    private final NavigableSet<Long> doneBefore;
    private final NavigableSet<Long> handedBack = new TreeSet<>();
    private long next;
    private boolean dirty;
    private final Ownership ownership;

    /**
     * @param ownership       the assignment this progress is of
     * @param committedOffset where the group's committed position stands
     * @param doneBefore      records after it whose outcome was published before (from the commit metadata)
     */
    PartitionProgress(Ownership ownership, long committedOffset, NavigableSet<Long> doneBefore) {
        this.ownership = ownership;
        this.next = committedOffset;
        this.doneBefore = doneBefore;
    }

    /** Whether the partition still belongs to this worker; read from any thread. */
    boolean owned() {
        return ownership.writes().owned();
    }

    /** The assignment this progress is of: what the work read under it carries. */
    Ownership ownership() {
        return ownership;
    }

    /** Which of the partition's requests may write, and which have begun to (thread-safe). */
    PartitionWrites writes() {
        return ownership.writes();
    }

    /**
     * The partition was revoked or lost: work under way for it that has not begun to write never will.
     *
     * @return completes when the requests that had begun to write have finished
     */
    CompletableFuture<Void> release() {
        return ownership.writes().release();
    }

    /** Whether the record's outcome was published before a restart or rebalance; it is then taken as done. */
    boolean skipIfDoneBefore(long offset) {
        if (!doneBefore.remove(offset)) {
            return false;
        }
        next = Math.max(next, offset + 1);
        doneAhead.add(offset);
        dirty = true;
        return true;
    }

    void received(long offset) {
        pending.put(offset, 0);
        next = Math.max(next, offset + 1);
    }

    /** The record's request keeps {@code bytes} while it is under way (back-pressure bounds their sum). */
    void keeps(long offset, int bytes) {
        Integer before = pending.computeIfPresent(offset, (o, b) -> bytes);
        if (before != null) {
            pendingBytes += bytes;
        }
    }

    void completed(long offset) {
        Integer bytes = pending.remove(offset);
        if (bytes != null) {
            if (!handedBack.remove(offset)) {
                pendingBytes -= bytes;
            }
            doneAhead.add(offset);
            dirty = true;
        }
    }

    /**
     * The record finished without an outcome of its own: it belongs to the partition's next owner, which reads
     * it again. It stays uncommitted, but no longer counts as under way.
     */
    void handedBack(long offset) {
        Integer bytes = pending.get(offset);
        if (bytes != null && handedBack.add(offset)) {
            pendingBytes -= bytes;
        }
    }

    boolean dirty() {
        return dirty;
    }

    /** After a failed commit: the next turn must commit this partition again. */
    void markDirty() {
        dirty = true;
    }

    /** The offset and metadata to commit now; marks the partition clean. */
    OffsetAndMetadata committable() {
        long low = pending.isEmpty() ? next : pending.firstKey();
        doneAhead.headSet(low, false).clear();
        dirty = false;
        return new OffsetAndMetadata(low, OffsetMetadata.encode(low, doneAhead));
    }

    /** Records read past the committable offset: what back-pressure bounds. */
    long span() {
        return pending.isEmpty() ? 0 : next - pending.firstKey();
    }

    /** The bytes the requests under way keep. */
    long inFlightBytes() {
        return pendingBytes;
    }

    int inFlight() {
        return pending.size() - handedBack.size();
    }
}
