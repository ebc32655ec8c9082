package io.assignmentworker.scheduling;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

/**
 * One policy's batch in the {@link Coalescer}: open to new requests until it is full or its writer seals it.
 * Guarded by the coalescer's map of open batches, which it leaves when it closes.
 */
final class OpenBatch {

    private final Map<String, OpenBatch> open;
    private final String policyKey;
    private final long openedAt;
    private final List<ReceivedRequest> works = new ArrayList<>();
    private final List<CompletableFuture<?>> outcomes = new ArrayList<>();
    private long lastArrival;
    private int takenBack;
    private boolean handedOver;
    private List<ReceivedRequest> sealed;

    OpenBatch(Map<String, OpenBatch> open, String policyKey, long openedAt) {
        this.open = open;
        this.policyKey = policyKey;
        this.openedAt = openedAt;
        this.lastArrival = openedAt;
    }

    String policyKey() {
        return policyKey;
    }

    /** What the batch holds now, in arrival order; until it is sealed, it may still grow. */
    List<ReceivedRequest> snapshot() {
        synchronized (open) {
            return sealed != null ? sealed : List.copyOf(works);
        }
    }

    /** Closes the batch to new requests (idempotent): the requests it holds, in arrival order, for good. */
    List<ReceivedRequest> seal() {
        synchronized (open) {
            if (sealed == null) {
                close();
                sealed = List.copyOf(works);
            }
            return sealed;
        }
    }

    /** The outcome of each sealed request, in order (seals the batch if its writer did not). */
    List<CompletableFuture<?>> sealOutcomes() {
        synchronized (open) {
            seal();
            return List.copyOf(outcomes);
        }
    }

    // The coalescer's side, called with the map's lock held.

    void take(ReceivedRequest work, CompletableFuture<?> outcome, long now) {
        works.add(work);
        outcomes.add(outcome);
        lastArrival = now;
    }

    /**
     * Takes a request that came before every request the batch holds (one an earlier batch sent on): after those
     * taken back the same way, ahead of the rest, so a subject's requests keep their order.
     */
    void takeBack(ReceivedRequest work, CompletableFuture<?> outcome, long now) {
        works.add(takenBack, work);
        outcomes.add(takenBack, outcome);
        takenBack++;
        lastArrival = now;
    }

    int size() {
        return works.size();
    }

    /** No request joins from now on (a full batch, or a sealed one); the next one opens a new batch. */
    void close() {
        open.remove(policyKey, this);
    }

    /** Marks the batch as handed to the sequencer; {@code false} when it was already. */
    boolean handOver() {
        if (handedOver) {
            return false;
        }
        handedOver = true;
        return true;
    }

    boolean handedOver() {
        return handedOver;
    }

    long openedAt() {
        return openedAt;
    }

    long lastArrival() {
        return lastArrival;
    }
}
