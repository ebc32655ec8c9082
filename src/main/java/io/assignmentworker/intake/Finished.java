package io.assignmentworker.intake;

import io.assignmentworker.outcome.Completion;
import io.assignmentworker.outcome.RecordSource;
import java.util.function.Function;
import org.apache.kafka.common.TopicPartition;

/**
 * How the work of one record ended, and the assignment of its partition it was read under (stale once that
 * partition was revoked or lost, even if it was assigned again since: see {@link PartitionLedger#current}).
 */
sealed interface Finished {

    /** The record whose work this was. */
    RecordSource consumed();

    Ownership owner();

    <R> R map(Function<Done, R> done, Function<HandedBack, R> handedBack);

    default TopicPartition partition() {
        return new TopicPartition(consumed().topic(), consumed().partition());
    }

    default long offset() {
        return consumed().offset();
    }

    /** Answered or forwarded: published with the offsets it makes committable. */
    record Done(Completion completion, Ownership owner) implements Finished {

        @Override
        public RecordSource consumed() {
            return completion.consumed();
        }

        @Override
        public <R> R map(Function<Done, R> done, Function<HandedBack, R> handedBack) {
            return done.apply(this);
        }
    }

    /**
     * Not answered here (the request's write permit was withdrawn: its partition left this worker): nothing is
     * published for it, and it stays uncommitted for the partition's next owner to read again.
     */
    record HandedBack(RecordSource consumed, String reason, Ownership owner) implements Finished {

        @Override
        public <R> R map(Function<Done, R> done, Function<HandedBack, R> handedBack) {
            return handedBack.apply(this);
        }
    }
}
