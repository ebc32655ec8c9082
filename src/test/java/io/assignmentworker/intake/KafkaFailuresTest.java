package io.assignmentworker.intake;

import static org.assertj.core.api.Assertions.assertThat;

import io.assignmentworker.metrics.WorkerMetrics;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;
import org.apache.kafka.clients.consumer.CommitFailedException;
import org.apache.kafka.clients.consumer.NoOffsetForPartitionException;
import org.apache.kafka.clients.consumer.OffsetOutOfRangeException;
import org.apache.kafka.clients.consumer.RetriableCommitFailedException;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.FencedInstanceIdException;
import org.apache.kafka.common.errors.GroupAuthorizationException;
import org.apache.kafka.common.errors.InterruptException;
import org.apache.kafka.common.errors.InvalidProducerEpochException;
import org.apache.kafka.common.errors.NotLeaderOrFollowerException;
import org.apache.kafka.common.errors.OutOfOrderSequenceException;
import org.apache.kafka.common.errors.ProducerFencedException;
import org.apache.kafka.common.errors.RebalanceInProgressException;
import org.apache.kafka.common.errors.SaslAuthenticationException;
import org.apache.kafka.common.errors.TimeoutException;
import org.apache.kafka.common.errors.TopicAuthorizationException;
import org.apache.kafka.common.errors.TransactionalIdAuthorizationException;
import org.apache.kafka.common.errors.WakeupException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** Spring Kafka's ladder of fatal versus transient consumer-loop exceptions, as the intake session reads it. */
class KafkaFailuresTest {

    private static final TopicPartition P0 = new TopicPartition("requests", 0);

    static Stream<Arguments> ladder() {
        return Stream.of(
                Arguments.of(new ProducerFencedException("another producer took the transactional id"), "fenced"),
                Arguments.of(new InvalidProducerEpochException("epoch bumped"), "fenced"),
                Arguments.of(new FencedInstanceIdException("static member replaced"), "fenced"),
                // a transactional producer in its error state wraps the fence
                Arguments.of(new KafkaException("Cannot execute transactional method because we are in an error "
                        + "state", new ProducerFencedException("fenced")), "fenced"),
                Arguments.of(new SaslAuthenticationException("bad credentials"), "authentication"),
                Arguments.of(new TopicAuthorizationException(Set.of("results")), "authorization"),
                Arguments.of(new GroupAuthorizationException("group"), "authorization"),
                Arguments.of(new TransactionalIdAuthorizationException("tx id"), "authorization"),
                Arguments.of(new NoOffsetForPartitionException(P0), "no_offset"),
                Arguments.of(new OffsetOutOfRangeException(Map.of(P0, 5L)), "no_offset"),
                Arguments.of(new OutOfOrderSequenceException("lost a batch"), "fatal"),
                Arguments.of(new InterruptException("interrupted"), "fatal"),
                Arguments.of(new IllegalStateException("Invalid transition attempted"), "error"),
                Arguments.of(new TimeoutException("no answer in time"), "transient"),
                Arguments.of(new NotLeaderOrFollowerException("moved"), "transient"),
                Arguments.of(new RetriableCommitFailedException("try again"), "transient"),
                Arguments.of(new CommitFailedException("the group rebalanced"), "transient"),
                Arguments.of(new RebalanceInProgressException("rebalancing"), "transient"),
                Arguments.of(new WakeupException(), "transient"),
                // the at-least-once writer wraps a failed send
                Arguments.of(new KafkaException("a result was not published", new TimeoutException("slow")),
                        "transient"));
    }

    @ParameterizedTest(name = "{0} -> {1}")
    @MethodSource("ladder")
    void classifiesLikeSpringKafkasConsumerLoop(Throwable thrown, String reason) {
        KafkaFailures.Failure failure = KafkaFailures.classify(thrown);

        assertThat(failure.reason()).isEqualTo(reason);
        assertThat(failure.endsSession()).isEqualTo(!"transient".equals(reason));
        assertThat(failure.cause()).isSameAs(thrown);
    }

    @Test
    void everyReasonIsALabelOfTheRestartMetric() {
        assertThat(ladder().map(a -> (String) a.get()[1]).distinct())
                .containsExactlyInAnyOrderElementsOf(WorkerMetrics.INTAKE_SESSION_RESTART_REASONS);
    }

    @Test
    void survivesACauseCycle() {
        KafkaException outer = new KafkaException("outer");
        KafkaException inner = new KafkaException("inner", outer);
        outer.initCause(inner);

        assertThat(KafkaFailures.classify(outer).reason()).isEqualTo("fatal");
    }
}
