package io.assignmentworker.intake;

import static io.assignmentworker.intake.SessionFixture.P0;
import static io.assignmentworker.intake.SessionFixture.P1;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.apache.kafka.clients.consumer.MockConsumer;
import org.apache.kafka.clients.producer.MockProducer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.springframework.util.unit.DataSize;

/** What is under way is bounded by the bytes its requests keep, not only by their count. */
class InFlightBytesTest {

    private static final int REQUESTS = 20;
    /** Far below the count bound: only the bytes can pause the partitions. */
    private static final IntakeProperties INTAKE = new IntakeProperties(DataSize.ofKilobytes(64), 32, 1000, 10_000, 10_000,
            DataSize.ofKilobytes(64), Duration.ofMillis(20), Duration.ofSeconds(1), Duration.ofSeconds(5));

    private final SessionFixture fixture = new SessionFixture(1);
    private final MockConsumer<byte[], byte[]> consumer = SessionFixture.consumer();
    private final MockProducer<byte[], byte[]> producer = SessionFixture.producer();
    private final AtomicBoolean keepRunning = new AtomicBoolean(true);
    private IntakeSession session;
    private CompletableFuture<Void> running;

    @AfterEach
    void stop() throws Exception {
        keepRunning.set(false);
        if (session != null) {
            session.wakeUp();
            running.get(30, TimeUnit.SECONDS);
        }
        fixture.close();
    }

    @Test
    void pausesEveryPartitionWhenTheRequestsUnderWayKeepTooManyBytes() {
        start(ForwardHeaders.KEPT_BYTES - 100); // kept whole by a forward

        await().atMost(Duration.ofSeconds(10)).untilAsserted(() ->
                assertThat(consumer.paused()).containsExactlyInAnyOrder(P0, P1));
        assertThat(session.inFlightBytes()).isGreaterThanOrEqualTo(INTAKE.maxInFlightBytes().toBytes());
        assertThat(session.inFlight()).isLessThan(INTAKE.maxInFlight());
    }

    @Test
    void keepsReadingWhenTheSameRequestsAreLean() {
        start(0);

        await().atMost(Duration.ofSeconds(10)).until(() -> session.inFlight() > 0);
        await().during(Duration.ofSeconds(1)).atMost(Duration.ofSeconds(3))
                .untilAsserted(() -> assertThat(consumer.paused()).isEmpty());
        assertThat(session.inFlightBytes()).isLessThan(INTAKE.maxInFlightBytes().toBytes());
    }

    private void start(int headerBytes) {
        session = fixture.session(consumer, SessionFixture.writer(producer), INTAKE);
        consumer.schedulePollTask(() -> {
            consumer.rebalance(List.of(P0, P1));
            for (int offset = 0; offset < REQUESTS / 2; offset++) {
                consumer.addRecord(fixture.create(P0, offset, headerBytes));
                consumer.addRecord(fixture.create(P1, offset, headerBytes));
            }
        });
        running = CompletableFuture.runAsync(() -> session.run(keepRunning::get));
    }
}
