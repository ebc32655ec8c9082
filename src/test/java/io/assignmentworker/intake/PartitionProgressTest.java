package io.assignmentworker.intake;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.TreeSet;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.junit.jupiter.api.Test;

class PartitionProgressTest {

    @Test
    void commitsOnlyUpToTheLowestUnfinishedRecord() {
        PartitionProgress progress = new PartitionLedger().assign(SessionFixture.P0, 10, new TreeSet<>());
        for (long offset = 10; offset < 15; offset++) {
            progress.received(offset);
        }
        progress.completed(11);
        progress.completed(13);

        OffsetAndMetadata commit = progress.committable();

        assertThat(commit.offset()).isEqualTo(10);
        assertThat(OffsetMetadata.decode(commit.offset(), commit.metadata())).containsExactly(11L, 13L);
        assertThat(progress.inFlight()).isEqualTo(3);
        assertThat(progress.span()).isEqualTo(5);
    }

    @Test
    void countsTheBytesItsRequestsUnderWayKeepUntilTheyFinishOrAreHandedBack() {
        PartitionProgress progress = new PartitionLedger().assign(SessionFixture.P0, 0, new TreeSet<>());
        for (long offset = 0; offset < 3; offset++) {
            progress.received(offset);
            progress.keeps(offset, 1_000 * (int) (offset + 1));
        }

        assertThat(progress.inFlightBytes()).isEqualTo(6_000);
        progress.completed(1);
        assertThat(progress.inFlightBytes()).isEqualTo(4_000);
        progress.handedBack(2);
        progress.handedBack(2);
        assertThat(progress.inFlightBytes()).isEqualTo(1_000);
        progress.completed(0);
        assertThat(progress.inFlightBytes()).isZero();
        assertThat(progress.inFlight()).isZero();
    }

    @Test
    void movesPastEverythingOnceTheGapCloses() {
        PartitionProgress progress = new PartitionLedger().assign(SessionFixture.P0, 10, new TreeSet<>());
        progress.received(10);
        progress.received(12); // 11 is a transaction marker: never delivered
        progress.completed(12);
        progress.completed(10);

        OffsetAndMetadata commit = progress.committable();

        assertThat(commit.offset()).isEqualTo(13);
        assertThat(commit.metadata()).isEmpty();
        assertThat(progress.span()).isZero();
    }

    @Test
    void skipsRecordsWhoseOutcomeWasPublishedBeforeARestart() {
        PartitionProgress before = new PartitionLedger().assign(SessionFixture.P0, 0, new TreeSet<>());
        for (long offset = 0; offset < 4; offset++) {
            before.received(offset);
        }
        before.completed(1);
        before.completed(3);
        OffsetAndMetadata commit = before.committable();

        PartitionProgress after = new PartitionLedger().assign(SessionFixture.P0, commit.offset(),
                OffsetMetadata.decode(commit.offset(), commit.metadata()));

        assertThat(after.skipIfDoneBefore(0)).isFalse();
        after.received(0);
        assertThat(after.skipIfDoneBefore(1)).isTrue();
        assertThat(after.skipIfDoneBefore(2)).isFalse();
        after.received(2);
        assertThat(after.skipIfDoneBefore(3)).isTrue();
        after.completed(0);
        OffsetAndMetadata next = after.committable();
        assertThat(next.offset()).isEqualTo(2);
        assertThat(OffsetMetadata.decode(2, next.metadata())).containsExactly(3L);
    }

    @Test
    void metadataOfTheLargestSpanFitsKafkasDefaultLimit() {
        TreeSet<Long> done = new TreeSet<>();
        for (long offset = 1; offset < IntakeProperties.MAX_SPAN + 500; offset += 2) {
            done.add(offset);
        }

        String metadata = OffsetMetadata.encode(0, done);

        assertThat(metadata.length()).isLessThan(4096);
        assertThat(OffsetMetadata.decode(0, metadata)).isEqualTo(done);
    }

    @Test
    void ignoresMetadataItDidNotWrite() {
        assertThat(OffsetMetadata.decode(5, "committed by someone else")).isEmpty();
        assertThat(OffsetMetadata.decode(5, "iaw1:%%%")).isEmpty();
        assertThat(OffsetMetadata.decode(5, null)).isEmpty();
    }
}
