package io.assignmentworker.scheduling;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import org.junit.jupiter.api.Test;

/** This instance's share of each tenant's budget, and the hold before a share that rose is spent. */
class BudgetShareTest {

    private static final Duration HOLD = Duration.ofSeconds(25);

    private long now = 1_000_000_000L;
    private final BudgetShare share = new BudgetShare(true, HOLD, () -> now);

    @Test
    void anInstanceThatStartsSpendsNothingUntilTheHoldAfterItsFirstPartitionsIsOver() {
        assertThat(share.forAssign()).as("before any partition").isZero();
        share.byPolicyPartitions(3, 6);
        assertThat(share.forAssign()).as("the instance it replaced may have spent the window").isZero();

        now += HOLD.toNanos() - 1;
        assertThat(share.forAssign()).isZero();
        now += 1;
        assertThat(share.forAssign()).isEqualTo(0.5);
        assertThat(share.forCreate()).as("each feed has its own share").isZero();
    }

    @Test
    void aFallingShareAppliesAtOnceAndARisingOneOnlyAfterTheHoldFromWhenItRose() {
        share.requestsPartitions(6, 6);
        now += HOLD.toNanos();
        assertThat(share.forCreate()).isEqualTo(1.0);

        share.requestsPartitions(2, 6); // another instance joined
        assertThat(share.forCreate()).isEqualTo(2 / 6.0);

        now += HOLD.toNanos() / 2;
        share.requestsPartitions(3, 6); // it left again: its writes of the last window still count at Graph
        now += HOLD.toNanos() / 2;
        assertThat(share.forCreate()).as("half a hold since the rise").isEqualTo(2 / 6.0);
        now += HOLD.toNanos() / 2;
        assertThat(share.forCreate()).isEqualTo(0.5);
    }

    @Test
    void aShareThatFallsDuringTheHoldCancelsTheRise() {
        share.requestsPartitions(3, 6);
        now += HOLD.toNanos();
        share.requestsPartitions(6, 6);
        share.requestsPartitions(2, 6);
        now += HOLD.toNanos();
        assertThat(share.forCreate()).isEqualTo(2 / 6.0);
    }

    @Test
    void withoutAHoldEveryShareAppliesAtOnce() {
        BudgetShare unheld = new BudgetShare(true, Duration.ZERO, () -> now);
        assertThat(unheld.forCreate()).isEqualTo(1.0);
        unheld.requestsPartitions(1, 6);
        assertThat(unheld.forCreate()).isEqualTo(1 / 6.0);
        unheld.requestsPartitions(6, 6);
        assertThat(unheld.forCreate()).isEqualTo(1.0);
    }

    @Test
    void withSharingOffEveryInstanceUsesTheWholeBudget() {
        BudgetShare off = new BudgetShare(false, HOLD, () -> now);
        off.requestsPartitions(1, 6);
        assertThat(off.forCreate()).isEqualTo(1.0);
        assertThat(off.forAssign()).isEqualTo(1.0);
    }
}
