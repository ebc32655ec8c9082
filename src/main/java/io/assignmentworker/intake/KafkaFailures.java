package io.assignmentworker.intake;

import io.assignmentworker.metrics.WorkerMetrics;
import java.util.IdentityHashMap;
import java.util.Map;
import org.apache.kafka.clients.consumer.CommitFailedException;
import org.apache.kafka.clients.consumer.InvalidOffsetException;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.errors.AuthenticationException;
import org.apache.kafka.common.errors.AuthorizationException;
import org.apache.kafka.common.errors.FencedInstanceIdException;
import org.apache.kafka.common.errors.IllegalGenerationException;
import org.apache.kafka.common.errors.InvalidProducerEpochException;
import org.apache.kafka.common.errors.ProducerFencedException;
import org.apache.kafka.common.errors.RebalanceInProgressException;
import org.apache.kafka.common.errors.RetriableException;
import org.apache.kafka.common.errors.UnknownMemberIdException;
import org.apache.kafka.common.errors.WakeupException;

/**
 * What an exception of the Kafka clients means for the intake session that got it, decided here and nowhere
 * else. The ladder follows Spring Kafka's {@code KafkaMessageListenerContainer}: a fenced producer or group
 * instance, failed authentication or authorization, and a partition without a committed offset or reset policy
 * end the consumer; retriable errors, and a commit refused because the group has moved on (the next poll rejoins
 * and says what this worker owns), do not. Anything else a client refuses for good ends the session too: its
 * producer may be unusable, and a new session (new consumer and producer) reads again what was not committed.
 * {@link IntakeLoop}'s restart backoff (1 s, doubling to 30 s) plays the part of Spring Kafka's
 * {@code authExceptionRetryInterval}: a principal without rights is retried, never in a hot loop.
 *
 * <p>Clients wrap causes (a producer in an error state throws a plain {@code KafkaException} whose cause is the
 * {@link ProducerFencedException}; the at-least-once writer wraps a failed send), so the whole cause chain is
 * read, outermost first.
 */
final class KafkaFailures {

    private KafkaFailures() {
    }

    /** One exception, classified. */
    sealed interface Failure {

        Throwable cause();

        /** For health and the restart metric's label: one of {@link WorkerMetrics#INTAKE_SESSION_RESTART_REASONS}. */
        String reason();

        /** Whether the session that got it must end (it may neither read nor publish any more). */
        default boolean endsSession() {
            return !(this instanceof Transient);
        }

        /** For health and logs: the reason and the exception's own words. */
        default String describe() {
            return reason() + ": " + cause();
        }
    }

    /** Try again on the next turn with the same clients. */
    record Transient(Throwable cause) implements Failure {
        @Override
        public String reason() {
            return "transient";
        }
    }

    /** Another producer or group member took this one's place: this session is a zombie. */
    record Fenced(Throwable cause) implements Failure {
        @Override
        public String reason() {
            return "fenced";
        }
    }

    /**
     * The clients cannot go on: {@code authentication}, {@code authorization}, {@code no_offset}, {@code fatal}
     * (another error a Kafka client refused for good) or {@code error} (not a Kafka client's exception).
     */
    record Fatal(String reason, Throwable cause) implements Failure {
    }

    static Failure classify(Throwable thrown) {
        Map<Throwable, Boolean> seen = new IdentityHashMap<>();
        for (Throwable t = thrown; t != null && seen.put(t, Boolean.TRUE) == null; t = t.getCause()) {
            Failure known = known(t, thrown);
            if (known != null) {
                return known;
            }
        }
        return thrown instanceof KafkaException ? new Fatal("fatal", thrown)
                : new Fatal("error", thrown);
    }

    /** The rung of one exception of the chain, or null when it says nothing itself (a wrapper). */
    private static Failure known(Throwable t, Throwable thrown) {
        if (t instanceof ProducerFencedException || t instanceof InvalidProducerEpochException
                || t instanceof FencedInstanceIdException) {
            return new Fenced(thrown);
        }
        if (t instanceof AuthenticationException) {
            return new Fatal("authentication", thrown);
        }
        if (t instanceof AuthorizationException) {
            return new Fatal("authorization", thrown);
        }
        if (t instanceof InvalidOffsetException) {
            // NoOffsetForPartitionException and OffsetOutOfRangeException: no position without a reset policy
            return new Fatal("no_offset", thrown);
        }
        if (t instanceof RetriableException || t instanceof CommitFailedException
                || t instanceof RebalanceInProgressException || t instanceof IllegalGenerationException
                || t instanceof UnknownMemberIdException || t instanceof WakeupException) {
            return new Transient(thrown);
        }
        return null;
    }
}
