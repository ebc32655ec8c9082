package io.assignmentworker.intake;

import io.assignmentworker.outcome.Completion;
import io.assignmentworker.outcome.DeadLetter;
import io.assignmentworker.outcome.ErrorCategory;
import io.assignmentworker.outcome.Outcome;
import io.assignmentworker.outcome.OutcomeError;
import io.assignmentworker.outcome.RecordSource;
import io.assignmentworker.request.AssignmentRequest;
import io.assignmentworker.request.Decoded;
import io.assignmentworker.scheduling.ReceivedRequest;
import java.time.Instant;
import java.util.concurrent.CompletableFuture;
import java.util.function.Consumer;
import org.apache.kafka.clients.consumer.ConsumerRecord;

/**
 * Turns one record into work: a valid request goes to the scheduling stage, anything else gets its FAILED
 * outcome at once (and unreadable bytes a dead letter). From the requests feed, a request whose tenant writes
 * with {@code /assign} is forwarded to the by-policy topic; from the by-policy feed, requests are coalesced
 * per policy. Whatever happens, the record ends in exactly one {@link IntakeSession.Finished}.
 */
final class RecordDispatcher {

    private final Feed feed;
    private final java.util.function.BooleanSupplier leaseFresh;
    private final IntakeSession.Stages stages;
    private final Consumer<IntakeSession.Finished> finished;

    RecordDispatcher(Feed feed, IntakeSession.Stages stages, Consumer<IntakeSession.Finished> finished,
                     java.util.function.BooleanSupplier leaseFresh) {
        this.feed = feed;
        this.leaseFresh = leaseFresh;
        this.stages = stages;
        this.finished = finished;
    }

    void dispatch(ConsumerRecord<byte[], byte[]> record, PartitionProgress owner) {
        RecordSource consumed = new RecordSource(record.topic(), record.partition(), record.offset());
        Instant now = stages.clock().instant();
        RecordSource source = feed == Feed.REQUESTS ? consumed : ForwardHeaders.originalSource(record);
        Instant receivedAt = feed == Feed.REQUESTS ? now : ForwardHeaders.originalReceivedAt(record, now);
        Decoded decoded;
        try {
            decoded = stages.decoder().decode(record.value());
        } catch (RuntimeException unexpected) {
            decoded = new Decoded.Unreadable("record could not be read: " + unexpected);
        }
        if (decoded instanceof Decoded.Valid valid) {
            ReceivedRequest work = new ReceivedRequest(valid.request(), source, receivedAt,
                    owner.writes().permit(record.offset()), leaseFresh);
            CompletableFuture<Completion> completion = feed == Feed.REQUESTS
                    ? stages.scheduler().handle(work).thenApply(handled -> handled.map(
                            answered -> Completion.answered(consumed, answered.outcome()),
                            toOwner -> Completion.forwarded(consumed,
                                    ForwardHeaders.forward(record, toOwner.policyKey(), receivedAt))))
                    : stages.scheduler().assignCoalesced(work).thenApply(outcome -> Completion.answered(consumed,
                            outcome));
            completion.whenComplete((done, failure) -> finished.accept(new IntakeSession.Finished(done != null ? done
                    : Completion.answered(consumed, internalFailure(valid.request(), source, receivedAt, failure)),
                    owner)));
        } else if (decoded instanceof Decoded.Rejected rejected) {
            OutcomeError error = OutcomeError.local(ErrorCategory.INVALID_REQUEST, "InvalidRequest",
                    rejected.message(), false);
            finish(consumed, new Outcome.Failed(rejected.requestId(), rejected.rolloutId(), rejected.tenantId(),
                    rejected.policyId(), error, 0, receivedAt, stages.clock().instant(), source), null, owner);
        } else if (decoded instanceof Decoded.Unreadable unreadable) {
            OutcomeError error = OutcomeError.local(ErrorCategory.UNREADABLE_RECORD, "UnreadableRecord",
                    unreadable.reason() + "; the original record is on " + stages.topics().deadLetter(), false);
            finish(consumed, new Outcome.Failed(null, null, null, null, error, 0, receivedAt,
                    stages.clock().instant(), source),
                    new DeadLetter(record.key(), record.value(), record.headers(), unreadable.reason()), owner);
        }
    }

    private void finish(RecordSource consumed, Outcome outcome, DeadLetter deadLetter, PartitionProgress owner) {
        finished.accept(new IntakeSession.Finished(new Completion(consumed, outcome, deadLetter, null), owner));
    }

    private Outcome internalFailure(AssignmentRequest r, RecordSource source, Instant receivedAt, Throwable failure) {
        return new Outcome.Failed(r.requestId(), r.rolloutId(), r.tenantId(), r.policyId(),
                OutcomeError.local(ErrorCategory.GRAPH_ERROR, "InternalError",
                        "the worker failed unexpectedly: " + failure, true),
                0, receivedAt, stages.clock().instant(), source);
    }
}
