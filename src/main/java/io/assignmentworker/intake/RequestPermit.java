package io.assignmentworker.intake;

import io.assignmentworker.graph.WritePermit;
import java.util.function.BooleanSupplier;

/**
 * What Kafka says of one request's writes, as the opaque permit Graph asks before each of them.
 *
 * @param owned      its partition's {@link PartitionWrites#permit}: whether this worker still owns the request's
 *                   partition (and, on the first yes, that the request has begun to write). Once it says no, the
 *                   permit is withdrawn: the request is handed back, and the partition's next owner answers it
 * @param leaseFresh whether this worker's Kafka session is known to be alive (it polled recently and was not
 *                   paused long enough to lose its partitions unnoticed); while it is not, writes wait
 */
record RequestPermit(BooleanSupplier owned, BooleanSupplier leaseFresh) implements WritePermit {

    @Override
    public Answer ask() {
        // Ownership first, every time: its first yes is what marks the request as writing (see PartitionWrites).
        if (!owned.getAsBoolean()) {
            return Answer.WITHDRAWN;
        }
        return leaseFresh.getAsBoolean() ? Answer.GO : Answer.WAIT;
    }
}
