package io.assignmentworker.outcome;

import io.assignmentworker.request.AssignmentRequest;
import java.time.Instant;
import org.apache.kafka.common.header.Headers;

/**
 * A request handed on to the worker that owns its policy, for the by-policy topic.
 *
 * @param key        the policy key, UTF-8
 * @param value      the request, as {@link io.assignmentworker.request.RequestEncoder} writes it
 * @param headers    the original headers that fit the worker's budget, plus where and when the request was first
 *                   read
 * @param request    the request, to answer it should Kafka refuse the forward
 * @param source     where the request was first read
 * @param receivedAt when it was first read
 */
public record Forward(byte[] key, byte[] value, Headers headers, AssignmentRequest request, RecordSource source,
                      Instant receivedAt) {

    /** The outcome of a request whose forward Kafka refused for good: it is answered, not read again forever. */
    public Outcome.Failed refused(String topic, String why, Instant now) {
        OutcomeError error = OutcomeError.local(ErrorCategory.UNREADABLE_RECORD, "ForwardRefused",
                "the request could not be forwarded to " + topic + " for its policy's owner: " + why, false);
        return new Outcome.Failed(request.requestId(), request.rolloutId(), request.tenantId(), request.policyId(),
                error, 0, receivedAt, now, source, request.operation());
    }
}
