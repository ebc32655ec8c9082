package io.assignmentworker.intake;

import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BooleanSupplier;

/**
 * Which of one partition's requests may still write to Graph, and which have begun to. Each request asks its
 * {@link #permit} before every write it sends (and again just before the bytes go); the first yes marks it as
 * writing. When the partition is {@link #release released}, requests that never got a yes are aborted on the
 * spot (every later ask says no, so they send nothing and their partition's next owner answers them), and the
 * returned future completes once every request that did get a yes has {@link #finished}. That is what a
 * partition's owner waits for before letting it go: exactly its own writes, not the whole worker's.
 *
 * <p>Thread-safe: permits are asked on Graph and timer threads, releases happen on the intake thread.
 */
final class PartitionWrites {

    private static final int WAITING = 0;
    private static final int WRITING = 1;
    /** Writing when the partition was released: awaited. */
    private static final int AWAITED = 2;
    private static final int ABORTED = 3;
    private static final int FINISHED = 4;

    private final Map<Long, AtomicInteger> requests = new ConcurrentHashMap<>();
    private final CompletableFuture<Void> settled = new CompletableFuture<>();
    /** Requests awaited, plus one held by {@link #release} until it has counted them all. */
    private final AtomicInteger unsettled = new AtomicInteger(1);
    private volatile boolean owned = true;

    /** The permit of the request at {@code offset}: asked before each of its writes. */
    BooleanSupplier permit(long offset) {
        AtomicInteger state = requests.computeIfAbsent(offset, o -> new AtomicInteger(WAITING));
        return () -> mayWrite(state);
    }

    private boolean mayWrite(AtomicInteger state) {
        while (true) {
            int now = state.get();
            if (now == WRITING) {
                return owned;
            }
            if (now != WAITING || !owned) {
                return false;
            }
            // The state decides a race with release(): either it sees WRITING (and waits for this request), or
            // this request sees ABORTED (and sends nothing).
            if (state.compareAndSet(WAITING, WRITING)) {
                return true;
            }
        }
    }

    /** Whether the partition still belongs to this worker. */
    boolean owned() {
        return owned;
    }

    /**
     * The request at {@code offset} has its outcome, or was handed back: it writes nothing more. Call after its
     * outcome has been queued for publishing, so the outcome is there when the future of {@link #release} completes.
     */
    void finished(long offset) {
        AtomicInteger state = requests.remove(offset);
        if (state != null && state.getAndSet(FINISHED) == AWAITED) {
            settle();
        }
    }

    /**
     * The partition was revoked or lost: requests that have not begun to write never will; the future completes
     * when those that had begun have finished. Calling it again returns the same future.
     */
    CompletableFuture<Void> release() {
        if (!owned) {
            return settled;
        }
        owned = false;
        for (AtomicInteger state : requests.values()) {
            if (state.compareAndSet(WAITING, ABORTED)) {
                continue;
            }
            unsettled.incrementAndGet();
            if (!state.compareAndSet(WRITING, AWAITED)) {
                unsettled.decrementAndGet(); // finished meanwhile
            }
        }
        settle();
        return settled;
    }

    /** Requests that had begun to write when the partition was released and have not finished yet. */
    int awaited() {
        return owned ? 0 : unsettled.get();
    }

    private void settle() {
        if (unsettled.decrementAndGet() == 0) {
            settled.complete(null);
        }
    }
}
