package io.assignmentworker.outcome;

import java.util.Objects;
import org.apache.kafka.common.TopicPartition;

/**
 * A consumed record that is done with, ready to be committed: with the request's outcome (and, for an
 * unreadable record, its dead letter), or forwarded to the owner of its policy.
 *
 * @param consumed   the record whose offset this completes
 * @param outcome    the request's outcome, or {@code null} when forwarded
 * @param deadLetter the original record for the dead-letter topic, or {@code null}
 * @param forward    the record for the by-policy topic, or {@code null}
 */
public record Completion(RecordSource consumed, Outcome outcome, DeadLetter deadLetter, Forward forward) {

    public Completion {
        Objects.requireNonNull(consumed, "consumed");
        if ((outcome == null) == (forward == null)) {
            throw new IllegalArgumentException("a completion has either an outcome or a forward");
        }
    }

    /** The outcome of a request forwarded earlier, completing the by-policy record {@code consumed}. */
    public static Completion answered(RecordSource consumed, Outcome outcome) {
        return new Completion(consumed, outcome, null, null);
    }

    public static Completion forwarded(RecordSource consumed, Forward forward) {
        return new Completion(consumed, null, null, forward);
    }

    public TopicPartition partition() {
        return new TopicPartition(consumed.topic(), consumed.partition());
    }

    public long offset() {
        return consumed.offset();
    }
}
