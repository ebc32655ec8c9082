package io.assignmentworker.outcome;

import java.util.Objects;
import org.apache.kafka.common.TopicPartition;

/**
 * A finished request, ready to be published: its outcome and, for unreadable records, the dead letter.
 *
 * @param deadLetter the original record for the dead-letter topic, or {@code null}
 */
public record Completion(Outcome outcome, DeadLetter deadLetter) {

    public Completion {
        Objects.requireNonNull(outcome, "outcome");
    }

    public static Completion of(Outcome outcome) {
        return new Completion(outcome, null);
    }

    public TopicPartition partition() {
        return new TopicPartition(outcome.source().topic(), outcome.source().partition());
    }

    public long offset() {
        return outcome.source().offset();
    }
}
