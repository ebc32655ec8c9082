package io.assignmentworker.intake;

import io.assignmentworker.outcome.Completion;
import io.assignmentworker.outcome.DeadLetter;
import io.assignmentworker.outcome.ErrorCategory;
import io.assignmentworker.outcome.Forward;
import io.assignmentworker.outcome.Outcome;
import io.assignmentworker.outcome.OutcomeError;
import io.assignmentworker.outcome.RecordSource;
import io.assignmentworker.request.AssignmentRequest;
import io.assignmentworker.request.Decoded;
import io.assignmentworker.request.RequestEncoder;
import io.assignmentworker.scheduling.Handled;
import io.assignmentworker.scheduling.ReceivedRequest;
import java.time.Instant;
import java.util.concurrent.CompletableFuture;
import java.util.function.BooleanSupplier;
import java.util.function.Consumer;
import java.util.function.IntSupplier;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.header.Headers;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Turns one record into work: a valid request goes to the scheduling stage, anything else gets its FAILED
 * outcome at once (and unreadable bytes a dead letter). From the requests feed, a request whose tenant writes
 * with {@code /assign} is forwarded to the by-policy topic; from the by-policy feed, requests are coalesced
 * per policy, but only those the {@link ByPolicyCheck} finds where their policy belongs: the others are
 * forwarded again, handled as requests, or refused. Whatever happens, the record ends in exactly one
 * {@link Finished}.
 */
final class RecordDispatcher {

    private static final Logger log = LoggerFactory.getLogger(RecordDispatcher.class);

    private final Feed feed;
    private final BooleanSupplier leaseFresh;
    private final IntakeSession.Stages stages;
    private final Consumer<Finished> finished;
    private final ByPolicyCheck check;
    private final RequestEncoder encoder = new RequestEncoder();

    /**
     * @param partitionCount the partition count of the feed's topic from the consumer's metadata; asked only by
     *                       the by-policy feed, on the intake thread, and cached ({@link PartitionCount})
     */
    RecordDispatcher(Feed feed, IntakeSession.Stages stages, Consumer<Finished> finished,
                     BooleanSupplier leaseFresh, IntSupplier partitionCount) {
        this.feed = feed;
        this.leaseFresh = leaseFresh;
        this.stages = stages;
        this.finished = finished;
        this.check = new ByPolicyCheck(stages.scheduler()::byPolicyKey, new PartitionCount(partitionCount));
    }

    void dispatch(ConsumerRecord<byte[], byte[]> record, PartitionProgress progress) {
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
                    new RequestPermit(progress.writes().permit(record.offset()), leaseFresh));
            // From here on only the parsed request and these headers are kept, never the record: a request
            // under way holds what it means, not what its producer padded it with.
            Headers kept = ForwardHeaders.kept(record);
            progress.keeps(record.offset(), InFlightSize.of(valid.request(), kept));
            CompletableFuture<Handled> handled = feed == Feed.REQUESTS
                    ? stages.scheduler().handle(work) : fromByPolicy(record, consumed, work);
            Ownership ownership = progress.ownership();
            handled.whenComplete((done, failure) -> finished.accept(done != null
                    ? finished(consumed, kept, work, done, ownership)
                    : new Finished.Done(Completion.answered(consumed,
                            internalFailure(valid.request(), source, receivedAt, failure)), ownership)));
        } else if (decoded instanceof Decoded.Rejected rejected) {
            OutcomeError error = OutcomeError.local(ErrorCategory.INVALID_REQUEST, "InvalidRequest",
                    rejected.message(), false);
            finish(consumed, new Outcome.Failed(rejected.requestId(), rejected.rolloutId(), rejected.tenantId(),
                    rejected.policyId(), error, 0, receivedAt, stages.clock().instant(), source), null,
                    progress.ownership());
        } else if (decoded instanceof Decoded.Unreadable unreadable) {
            OutcomeError error = OutcomeError.local(ErrorCategory.UNREADABLE_RECORD, "UnreadableRecord",
                    unreadable.reason() + "; the original record is on " + stages.topics().deadLetter(), false);
            finish(consumed, new Outcome.Failed(null, null, null, null, error, 0, receivedAt,
                    stages.clock().instant(), source),
                    new DeadLetter(record.key(), record.value(), record.headers(), unreadable.reason()),
                    progress.ownership());
        }
    }

    /**
     * How the record's work ended: answered; forwarded to its policy's owner naming where it was first read; or
     * handed back, to stay uncommitted for its partition's next owner.
     */
    private Finished finished(RecordSource consumed, Headers kept, ReceivedRequest work, Handled handled,
                              Ownership owner) {
        return handled.map(
                answered -> new Finished.Done(Completion.answered(consumed, answered.outcome()), owner),
                toOwner -> new Finished.Done(Completion.forwarded(consumed, forward(kept, toOwner.policyKey(), work)),
                        owner),
                back -> new Finished.HandedBack(consumed, back.reason(), owner));
    }

    private Forward forward(Headers kept, String policyKey, ReceivedRequest work) {
        return ForwardHeaders.forward(kept, encoder.encode(work.request()), policyKey, work.request(), work.source(),
                work.receivedAt());
    }

    /** A by-policy request: coalesced and written only where its policy belongs (see {@link ByPolicyCheck}). */
    private CompletableFuture<Handled> fromByPolicy(ConsumerRecord<byte[], byte[]> record, RecordSource consumed,
                                                    ReceivedRequest work) {
        boolean forwarded = ForwardHeaders.forwardedFrom(record).isPresent();
        ByPolicyCheck.Decision decision = check.judge(work.request(), forwarded, record.key(), record.partition());
        if (decision.verdict() != ByPolicyCheck.Verdict.WRITE) {
            misrouted(consumed, decision.verdict());
        }
        return switch (decision.verdict()) {
            case WRITE -> stages.scheduler().coalesce(work);
            case WRONG_KEY, WRONG_PARTITION -> CompletableFuture.completedFuture(
                    new Handled.ToPolicyOwner(decision.policyKey()));
            case NOT_ASSIGN_TENANT -> stages.scheduler().handle(work);
            case NOT_FORWARDED -> CompletableFuture.completedFuture(
                    new Handled.Answered(notForwarded(work, consumed)));
        };
    }

    /**
     * Counted and logged once per record, by its coordinates only: its bytes came from an unverified writer. WARN
     * when only a writer other than a worker explains it, INFO otherwise.
     */
    private void misrouted(RecordSource consumed, ByPolicyCheck.Verdict verdict) {
        stages.metrics().byPolicyMisrouted(verdict.reason());
        if (!verdict.suspicious()) {
            log.info("By-policy record {}-{}@{} is not written from here ({}): {}", consumed.topic(),
                    consumed.partition(), consumed.offset(), verdict.reason(), verdict.action());
            return;
        }
        log.warn("By-policy record {}-{}@{} is not written from here ({}): {}", consumed.topic(),
                consumed.partition(), consumed.offset(), verdict.reason(), verdict.action());
    }

    private Outcome notForwarded(ReceivedRequest work, RecordSource consumed) {
        AssignmentRequest r = work.request();
        OutcomeError error = OutcomeError.local(ErrorCategory.INVALID_REQUEST, "NotForwarded", "the record at "
                + consumed.topic() + "-" + consumed.partition() + "@" + consumed.offset() + " has no "
                + ForwardHeaders.TOPIC + "/" + ForwardHeaders.PARTITION + "/" + ForwardHeaders.OFFSET
                + " headers: only the worker writes that internal topic; publish requests to "
                + stages.topics().requests(), false);
        return new Outcome.Failed(r.requestId(), r.rolloutId(), r.tenantId(), r.policyId(), error, 0,
                work.receivedAt(), stages.clock().instant(), work.source(), r.operation());
    }

    private void finish(RecordSource consumed, Outcome outcome, DeadLetter deadLetter, Ownership owner) {
        finished.accept(new Finished.Done(new Completion(consumed, outcome, deadLetter, null), owner));
    }

    private Outcome internalFailure(AssignmentRequest r, RecordSource source, Instant receivedAt, Throwable failure) {
        return new Outcome.Failed(r.requestId(), r.rolloutId(), r.tenantId(), r.policyId(),
                OutcomeError.local(ErrorCategory.GRAPH_ERROR, "InternalError",
                        "the worker failed unexpectedly: " + failure, true),
                0, receivedAt, stages.clock().instant(), source, r.operation());
    }
}
