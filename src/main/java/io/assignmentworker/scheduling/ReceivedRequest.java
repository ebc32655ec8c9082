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
 * @param owned      whether this worker still owns the record's partition; a coalesced write is not sent once
 *                   it is false (the partition's new owner writes the policy)
 */
public record ReceivedRequest(AssignmentRequest request, RecordSource source, Instant receivedAt,
                              BooleanSupplier owned) {

    public ReceivedRequest(AssignmentRequest request, RecordSource source, Instant receivedAt) {
        this(request, source, receivedAt, () -> true);
    }
}
