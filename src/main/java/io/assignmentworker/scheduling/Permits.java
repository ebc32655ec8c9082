package io.assignmentworker.scheduling;

import io.assignmentworker.graph.WritePermit;
import java.util.List;
import java.util.function.BooleanSupplier;

/** The scheduling stage's own reasons to hold a write back, added to the permits its requests came with. */
final class Permits {

    private Permits() {
    }

    /** {@code permit}, also waiting while {@code ready} says no (asked only when the permit says go). */
    static WritePermit waitingFor(WritePermit permit, BooleanSupplier ready) {
        return () -> {
            WritePermit.Answer answer = permit.ask();
            return answer == WritePermit.Answer.GO && !ready.getAsBoolean() ? WritePermit.Answer.WAIT : answer;
        };
    }

    /**
     * A coalesced batch's permit. A policy's requests all come from one partition of the by-policy topic (one
     * owner, one session), so the batch writes while every request's permit says go, and is withdrawn once any
     * one's is. Every request is asked (in order, until one is withdrawn): a first yes marks a request as writing.
     */
    static WritePermit ofBatch(List<ReceivedRequest> batch) {
        return () -> {
            boolean waits = false;
            for (ReceivedRequest work : batch) {
                WritePermit.Answer answer = work.permit().ask();
                if (answer == WritePermit.Answer.WITHDRAWN) {
                    return answer;
                }
                waits |= answer == WritePermit.Answer.WAIT;
            }
            return waits ? WritePermit.Answer.WAIT : WritePermit.Answer.GO;
        };
    }

    /**
     * A batch that is still growing: it may hold requests read before a revocation that was undone (withdrawn)
     * next to ones read since. Withdrawn once all are; waits while any other waits; else goes.
     */
    static WritePermit ofGrowingBatch(List<ReceivedRequest> batch) {
        return () -> {
            boolean waits = false;
            boolean anyOwned = false;
            for (ReceivedRequest work : batch) {
                WritePermit.Answer answer = work.permit().ask();
                if (answer != WritePermit.Answer.WITHDRAWN) {
                    anyOwned = true;
                    waits |= answer == WritePermit.Answer.WAIT;
                }
            }
            if (!anyOwned) {
                return WritePermit.Answer.WITHDRAWN;
            }
            return waits ? WritePermit.Answer.WAIT : WritePermit.Answer.GO;
        };
    }
}
