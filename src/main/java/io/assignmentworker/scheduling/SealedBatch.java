package io.assignmentworker.scheduling;

import io.assignmentworker.graph.WritePermit;
import io.assignmentworker.request.AssignmentRequest;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Supplier;

/**
 * A batch as its {@code /assign} write sees it: still growing until the write's read is back and the write asks
 * for its requests, then sealed. At the seal, a request whose partition this worker gave up meanwhile (its permit
 * is withdrawn: it was read before a revocation that has since been undone) is set aside unwritten; the rest are
 * the write's.
 */
final class SealedBatch {

    private final Supplier<List<ReceivedRequest>> growing;
    private final Supplier<List<ReceivedRequest>> seal;
    private List<ReceivedRequest> sealed;
    private boolean[] writable;
    private List<AssignmentRequest> writableRequests;

    SealedBatch(OpenBatch batch) {
        this(batch::snapshot, batch::seal);
    }

    private SealedBatch(Supplier<List<ReceivedRequest>> growing, Supplier<List<ReceivedRequest>> seal) {
        this.growing = growing;
        this.seal = seal;
    }

    /** A batch sealed from the start. */
    static SealedBatch of(List<ReceivedRequest> works) {
        SealedBatch batch = new SealedBatch(() -> works, () -> works);
        batch.sealed();
        return batch;
    }

    /** The requests now: sealed, or as far as the batch has grown. */
    synchronized List<ReceivedRequest> current() {
        return sealed != null ? sealed : growing.get();
    }

    /** Seals the batch (once): every request in it, in order. */
    synchronized List<ReceivedRequest> sealed() {
        if (sealed == null) {
            sealed = seal.get();
            writable = new boolean[sealed.size()];
            List<AssignmentRequest> requests = new ArrayList<>(sealed.size());
            for (int i = 0; i < sealed.size(); i++) {
                writable[i] = sealed.get(i).permit().ask() != WritePermit.Answer.WITHDRAWN;
                if (writable[i]) {
                    requests.add(sealed.get(i).request());
                }
            }
            writableRequests = List.copyOf(requests);
        }
        return sealed;
    }

    /** Seals the batch (once): the requests the write carries, in order. */
    synchronized List<AssignmentRequest> writableRequests() {
        sealed();
        return writableRequests;
    }

    /** Whether the sealed batch's {@code i}-th request is written (its permit was not withdrawn at the seal). */
    synchronized boolean writable(int i) {
        sealed();
        return writable[i];
    }

    /**
     * The write's permit. Until the seal, a growing batch holds requests read before and after a revocation that
     * was undone; it may write while any of them may (that one proves this worker owns the partition now), and
     * is withdrawn only once all are. From the seal on, every request the write carries must say go.
     */
    WritePermit permit() {
        return () -> {
            List<ReceivedRequest> members;
            boolean isSealed;
            synchronized (this) {
                isSealed = sealed != null;
                members = isSealed ? writableMembers() : growing.get();
            }
            return isSealed ? Permits.ofBatch(members).ask() : Permits.ofGrowingBatch(members).ask();
        };
    }

    private List<ReceivedRequest> writableMembers() {
        List<ReceivedRequest> members = new ArrayList<>(sealed.size());
        for (int i = 0; i < sealed.size(); i++) {
            if (writable[i]) {
                members.add(sealed.get(i));
            }
        }
        return members;
    }
}
