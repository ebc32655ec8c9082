package io.assignmentworker.intake;

import static io.assignmentworker.intake.SessionFixture.P0;
import static io.assignmentworker.intake.SessionFixture.P1;
import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.List;
import java.util.TreeSet;
import java.util.concurrent.atomic.AtomicBoolean;
import org.apache.kafka.clients.consumer.MockConsumer;
import org.junit.jupiter.api.Test;
import org.springframework.util.unit.DataSize;

/**
 * How far the intake reads: every partition pauses at {@code max-in-flight} requests under way, or at
 * {@code max-in-flight-creating} while the scheduling stage says reading far ahead fills no write.
 */
class BackPressureTest {

    private static final int FAR = 10;
    private static final int NEAR = 4;
    private static final IntakeProperties INTAKE = new IntakeProperties(DataSize.ofKilobytes(64), 32, 1000, FAR,
            NEAR, DataSize.ofMegabytes(64), Duration.ofMillis(20), Duration.ofSeconds(1), Duration.ofSeconds(5));

    private final MockConsumer<byte[], byte[]> consumer = SessionFixture.consumer();
    private final PartitionLedger ledger = new PartitionLedger();
    private final AtomicBoolean readFarAhead = new AtomicBoolean(true);
    private final BackPressure backPressure = new BackPressure(consumer, ledger, INTAKE, readFarAhead::get);

    private void underWay(int onP0, int onP1) {
        consumer.assign(List.of(P0, P1));
        PartitionProgress p0 = ledger.assign(P0, 0, new TreeSet<>());
        PartitionProgress p1 = ledger.assign(P1, 0, new TreeSet<>());
        for (int offset = 0; offset < onP0; offset++) {
            p0.received(offset);
        }
        for (int offset = 0; offset < onP1; offset++) {
            p1.received(offset);
        }
    }

    @Test
    void whileReadingFarAheadEveryPartitionPausesOnlyAtMaxInFlight() {
        underWay(3, 3);
        backPressure.apply(true);
        assertThat(consumer.paused()).as("6 under way, more than max-in-flight-creating").isEmpty();

        PartitionProgress p1 = ledger.progress(P1);
        for (int offset = 3; offset < 7; offset++) {
            p1.received(offset);
        }
        backPressure.apply(true);
        assertThat(consumer.paused()).containsExactlyInAnyOrder(P0, P1);
    }

    @Test
    void whileWritesGoAsCreatesWithRoomEveryPartitionPausesAtMaxInFlightCreatingAndResumesWhenFarPaysAgain() {
        underWay(2, 2);
        readFarAhead.set(false);
        backPressure.apply(true);
        assertThat(consumer.paused()).as("4 under way: max-in-flight-creating").containsExactlyInAnyOrder(P0, P1);

        readFarAhead.set(true); // a write coalesced
        backPressure.apply(true);
        assertThat(consumer.paused()).isEmpty();
    }

    @Test
    void maxInFlightCreatingNeverRaisesTheBound() {
        IntakeProperties creatingAboveMax = new IntakeProperties(DataSize.ofKilobytes(64), 32, 1000, NEAR, FAR,
                DataSize.ofMegabytes(64), Duration.ofMillis(20), Duration.ofSeconds(1), Duration.ofSeconds(5));
        assertThat(creatingAboveMax.maxInFlight(false)).isEqualTo(NEAR);
        assertThat(creatingAboveMax.maxInFlight(true)).isEqualTo(NEAR);
    }
}
