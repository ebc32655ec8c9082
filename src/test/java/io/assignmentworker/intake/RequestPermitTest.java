package io.assignmentworker.intake;

import static org.assertj.core.api.Assertions.assertThat;

import io.assignmentworker.graph.WritePermit.Answer;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;

class RequestPermitTest {

    @Test
    void goesWhileThePartitionIsOwnedAndTheLeaseFresh() {
        PartitionWrites writes = new PartitionWrites();

        assertThat(new RequestPermit(writes.permit(1), () -> true).ask()).isEqualTo(Answer.GO);
    }

    @Test
    void waitsWhileTheLeaseIsStaleButStillCountsAsWriting() {
        PartitionWrites writes = new PartitionWrites();
        RequestPermit permit = new RequestPermit(writes.permit(1), () -> false);

        assertThat(permit.ask()).isEqualTo(Answer.WAIT);

        // Ownership was asked first: the request may have begun to write, so the release waits for it.
        writes.release();
        assertThat(writes.awaited()).isEqualTo(1);
    }

    @Test
    void isWithdrawnOnceThePartitionIsReleasedWhateverTheLease() {
        PartitionWrites writes = new PartitionWrites();
        AtomicBoolean leaseAsked = new AtomicBoolean();
        RequestPermit permit = new RequestPermit(writes.permit(1), () -> {
            leaseAsked.set(true);
            return true;
        });

        writes.release();

        assertThat(permit.ask()).isEqualTo(Answer.WITHDRAWN);
        assertThat(leaseAsked).as("a withdrawn permit does not ask the lease").isFalse();
    }
}
