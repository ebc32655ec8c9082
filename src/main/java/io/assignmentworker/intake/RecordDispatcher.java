package io.assignmentworker.intake;

import io.assignmentworker.outcome.Completion;
import io.assignmentworker.outcome.DeadLetter;
import io.assignmentworker.outcome.ErrorCategory;
import io.assignmentworker.outcome.Outcome;
import io.assignmentworker.outcome.OutcomeError;
import io.assignmentworker.outcome.RecordSource;
import io.assignmentworker.request.Decoded;
import io.assignmentworker.scheduling.ReceivedRequest;
import java.time.Instant;
import java.util.function.Consumer;
import org.apache.kafka.clients.consumer.ConsumerRecord;

/**
 * Turns one record into work: a valid request goes to the scheduling stage, anything else gets its FAILED
 * outcome at once (and unreadable bytes a dead letter). Whatever happens, the record ends in exactly one
 * {@link IntakeSession.Finished}.
 */
final class RecordDispatcher {

    private final IntakeSession.Stages stages;
    private final Consumer<IntakeSession.Finished> finished;

    RecordDispatcher(IntakeSession.Stages stages, Consumer<IntakeSession.Finished> finished) {
        this.stages = stages;
        this.finished = finished;
    }

    void dispatch(ConsumerRecord<byte[], byte[]> record, PartitionProgress owner) {
        RecordSource source = new RecordSource(record.topic(), record.partition(), record.offset());
        Instant receivedAt = stages.clock().instant();
        Decoded decoded;
        try {
            decoded = stages.decoder().decode(record.value());
        } catch (RuntimeException unexpected) {
            decoded = new Decoded.Unreadable("record could not be read: " + unexpected);
        }
        if (decoded instanceof Decoded.Valid valid) {
            stages.scheduler().schedule(new ReceivedRequest(valid.request(), source, receivedAt))
                    .whenComplete((outcome, failure) -> finished.accept(new IntakeSession.Finished(
                            Completion.of(outcome != null ? outcome : internalFailure(valid, source, receivedAt,
                                    failure)), owner)));
        } else if (decoded instanceof Decoded.Rejected rejected) {
            OutcomeError error = OutcomeError.local(ErrorCategory.INVALID_REQUEST, "InvalidRequest",
                    rejected.message(), false);
            finish(new Outcome.Failed(rejected.requestId(), rejected.rolloutId(), rejected.tenantId(),
                    rejected.policyId(), error, 0, receivedAt, stages.clock().instant(), source), null, owner);
        } else if (decoded instanceof Decoded.Unreadable unreadable) {
            OutcomeError error = OutcomeError.local(ErrorCategory.UNREADABLE_RECORD, "UnreadableRecord",
                    unreadable.reason() + "; the original record is on " + stages.topics().deadLetter(), false);
            finish(new Outcome.Failed(null, null, null, null, error, 0, receivedAt, stages.clock().instant(),
                    source), new DeadLetter(record.key(), record.value(), record.headers(), unreadable.reason()),
                    owner);
        }
    }

    private void finish(Outcome outcome, DeadLetter deadLetter, PartitionProgress owner) {
        finished.accept(new IntakeSession.Finished(new Completion(outcome, deadLetter), owner));
    }

    private Outcome internalFailure(Decoded.Valid valid, RecordSource source, Instant receivedAt, Throwable failure) {
        var r = valid.request();
        return new Outcome.Failed(r.requestId(), r.rolloutId(), r.tenantId(), r.policyId(),
                OutcomeError.local(ErrorCategory.GRAPH_ERROR, "InternalError",
                        "the worker failed unexpectedly: " + failure, true),
                0, receivedAt, stages.clock().instant(), source);
    }
}
