package io.assignmentworker.scheduling;

import io.assignmentworker.outcome.RecordSource;
import io.assignmentworker.request.AssignmentRequest;
import java.time.Instant;

/** A valid request as read from Kafka: the scheduling stage's input. */
public record ReceivedRequest(AssignmentRequest request, RecordSource source, Instant receivedAt) {
}
