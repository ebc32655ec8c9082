package io.assignmentworker.scheduling;

import io.assignmentworker.graph.WritePermit;
import io.assignmentworker.outcome.RecordSource;
import io.assignmentworker.request.AssignmentRequest;
import java.time.Instant;

/**
 * A valid request as read from Kafka: the scheduling stage's input.
 *
 * @param source     where it was first read (the requests topic)
 * @param receivedAt when it was first read
 * @param permit     asked before each of its writes: whether this worker may still write for it, must wait, or
 *                   never will (the request is then {@link Handled.HandedBack handed back})
 */
public record ReceivedRequest(AssignmentRequest request, RecordSource source, Instant receivedAt,
                              WritePermit permit) {

    public ReceivedRequest(AssignmentRequest request, RecordSource source, Instant receivedAt) {
        this(request, source, receivedAt, WritePermit.ALWAYS);
    }
}
