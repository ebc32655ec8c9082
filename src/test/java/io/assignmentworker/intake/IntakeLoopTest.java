package io.assignmentworker.intake;

import static io.assignmentworker.intake.SessionFixture.P0;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.assignmentworker.metrics.WorkerMetrics;
import io.assignmentworker.outcome.OutcomeWriter;
import io.assignmentworker.topics.TopicsLeftAlone;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.MockConsumer;
import org.apache.kafka.clients.producer.MockProducer;
import org.apache.kafka.common.errors.ProducerFencedException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.Status;

/** A fenced session ends, health says so while the loop restarts, and a new session reads what was not committed. */
class IntakeLoopTest {

    private final SessionFixture fixture = new SessionFixture(100);
    private final List<MockProducer<byte[], byte[]>> producers = List.of(SessionFixture.producer(),
            SessionFixture.producer());
    private final AtomicInteger sessions = new AtomicInteger();
    private final ConcurrentLinkedQueue<Health> seen = new ConcurrentLinkedQueue<>();
    private IntakeLoop loop;

    @AfterEach
    void stop() {
        if (loop != null) {
            loop.signalStop();
            loop.awaitStopped();
        }
        fixture.close();
    }

    @Test
    void startsANewSessionAfterAFencedOneAndReportsItDownMeanwhile() {
        // The first session's producer was replaced by another with its transactional id.
        producers.get(0).commitTransactionException = new ProducerFencedException("a newer producer took over");
        loop = new IntakeLoop(Feed.REQUESTS, this::consumer, this::writer, fixture.stages, SessionFixture.INTAKE,
                TopicsLeftAlone.of(SessionFixture.TOPICS), Duration.ofSeconds(10),
                () -> { });

        loop.start();

        await().atMost(Duration.ofSeconds(10)).pollInterval(Duration.ofMillis(5)).until(() -> {
            seen.add(loop.health());
            return sessions.get() == 2 && Status.UP.equals(loop.health().getStatus());
        });
        assertThat(seen).as("health between the fence and the new session")
                .anySatisfy(health -> {
                    assertThat(health.getStatus()).isEqualTo(Status.DOWN);
                    assertThat(health.getDetails()).containsEntry("reason", "fenced").containsEntry("restarts", 1)
                            .containsKey("lastFailure");
                    assertThat(health.getDetails().get("state")).isIn("FENCED", "RESTARTING");
                });
        assertThat(loop.health().getDetails()).containsEntry("state", "RUNNING").containsEntry("restarts", 1);
        assertThat(fixture.stack.meters.get(WorkerMetrics.INTAKE_SESSION_RESTARTS)
                .tags("feed", "requests", "reason", "fenced").counter().count()).isEqualTo(1);
        await().atMost(Duration.ofSeconds(5)).untilAsserted(() -> assertThat(producers.get(1).history())
                .as("the new session answers the record again: result and dead letter").hasSize(2));
        assertThat(producers.get(0).history()).as("the fenced session published nothing").isEmpty();
    }

    /** Each session's consumer is given partition 0 and reads the same uncommitted record. */
    private Consumer<byte[], byte[]> consumer() {
        sessions.incrementAndGet();
        MockConsumer<byte[], byte[]> consumer = SessionFixture.consumer();
        consumer.schedulePollTask(() -> {
            consumer.rebalance(List.of(P0));
            consumer.addRecord(SessionFixture.unreadable(P0, 0));
        });
        return consumer;
    }

    private OutcomeWriter writer() {
        return SessionFixture.writer(producers.get(Math.min(sessions.get(), 1)));
    }
}
