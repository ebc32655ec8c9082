package io.assignmentworker.scheduling;

import io.assignmentworker.outcome.RecordSource;
import io.assignmentworker.request.AssignmentRequest;
import java.time.Instant;
import java.util.function.BooleanSupplier;

/**
 * A valid request as read from Kafka: the scheduling stage's input.
 *
 * @param source     where it was first read (the requests topic)
 * @param receivedAt when it was first read
 * @param owned      whether this worker still owns the record's partition; no write is sent for it once false
 *                   (the partition's new owner answers the request)
 * @param leaseFresh whether this worker's Kafka session is known to be alive; writes wait while it is not
 */
public record ReceivedRequest(AssignmentRequest request, RecordSource source, Instant receivedAt,
                              BooleanSupplier owned, BooleanSupplier leaseFresh) {

    public ReceivedRequest(AssignmentRequest request, RecordSource source, Instant receivedAt, BooleanSupplier owned) {
        this(request, source, receivedAt, owned, () -> true);
    }

    public ReceivedRequest(AssignmentRequest request, RecordSource source, Instant receivedAt) {
        this(request, source, receivedAt, () -> true);
    }
}
