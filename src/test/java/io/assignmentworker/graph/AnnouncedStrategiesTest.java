package io.assignmentworker.graph;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import org.junit.jupiter.api.Test;

class AnnouncedStrategiesTest {

    private static final String TENANT = "8F1C7E2A-1B2C-4D5E-8F90-0A1B2C3D4E5F";
    private static final Duration HOLD = Duration.ofSeconds(65);
    private static final Duration LEASE = Duration.ofSeconds(5);

    private final MutableClock clock = new MutableClock(Instant.parse("2026-12-03T08:00:00Z"));
    private final AnnouncedStrategies announced = new AnnouncedStrategies(HOLD, LEASE, clock);

    @Test
    void theFirstAnnouncementOfATenantDecides() {
        announced.fold(TENANT.toLowerCase(), announcement(Strategy.ASSIGN, StrategyAnnouncement.CONFIGURED), now());
        announced.fold(TENANT.toLowerCase(), announcement(Strategy.CREATE, StrategyAnnouncement.CONFIGURED), now());

        assertThat(announced.strategyOf(TENANT)).as("an old instance's create after assign").hasValue(Strategy.ASSIGN);
        assertThat(announced.assignHeldFor(TENANT)).as("no instance ever created: nothing to wait for").isZero();
    }

    @Test
    void aSwitchFromCreateHoldsAssignWritesForTheRequestTimeoutAndLease() {
        announced.fold(TENANT, announcement(Strategy.CREATE, StrategyAnnouncement.CONFIGURED), now());
        assertThat(announced.strategyOf(TENANT)).hasValue(Strategy.CREATE);

        announced.fold(TENANT, announcement(Strategy.ASSIGN, StrategyAnnouncement.CONFIGURED), now());

        assertThat(announced.strategyOf(TENANT)).hasValue(Strategy.ASSIGN);
        assertThat(announced.assignHeldFor(TENANT)).isEqualTo(HOLD);
        clock.advance(Duration.ofSeconds(60));
        assertThat(announced.assignHeldFor(TENANT)).isEqualTo(Duration.ofSeconds(5));
        clock.advance(Duration.ofSeconds(5));
        assertThat(announced.assignHeldFor(TENANT)).isZero();
    }

    @Test
    void aSwitchBecauseTheCreateRouteIsRefusedHoldsNothing() {
        announced.fold(TENANT, announcement(Strategy.CREATE, StrategyAnnouncement.CONFIGURED), now());
        announced.fold(TENANT, announcement(Strategy.ASSIGN, StrategyAnnouncement.CREATE_ROUTE_REFUSED), now());

        assertThat(announced.strategyOf(TENANT)).hasValue(Strategy.ASSIGN);
        assertThat(announced.assignHeldFor(TENANT)).as("no create can land in such a tenant").isZero();
    }

    @Test
    void anOldSwitchReadAgainAfterARestartHoldsNothing() {
        Instant longAgo = now().minus(Duration.ofHours(2));
        announced.fold(TENANT, announcement(Strategy.CREATE, StrategyAnnouncement.CONFIGURED), longAgo);
        announced.fold(TENANT, announcement(Strategy.ASSIGN, StrategyAnnouncement.CONFIGURED), longAgo);

        assertThat(announced.assignHeldFor(TENANT)).isZero();
    }

    @Test
    void aTombstoneWithdrawsTheGroupsDecision() {
        announced.fold(TENANT, announcement(Strategy.ASSIGN, StrategyAnnouncement.CONFIGURED), now());
        announced.fold(TENANT, null, now());
        assertThat(announced.strategyOf(TENANT)).isEmpty();

        announced.fold(TENANT, announcement(Strategy.CREATE, StrategyAnnouncement.CONFIGURED), now());
        assertThat(announced.strategyOf(TENANT)).hasValue(Strategy.CREATE);
    }

    @Test
    void theViewIsFreshOnlyForTheLeaseAfterItCaughtUp() throws InterruptedException {
        assertThat(announced.fresh()).as("never read").isFalse();
        assertThat(announced.awaitCaughtUp(Duration.ofMillis(10))).isFalse();

        announced.caughtUp(System.nanoTime());
        assertThat(announced.fresh()).isTrue();
        assertThat(announced.awaitCaughtUp(Duration.ZERO)).isTrue();

        announced.caughtUp(System.nanoTime() - LEASE.toNanos());
        assertThat(announced.fresh()).as("caught up a lease ago").isFalse();
    }

    private Instant now() {
        return clock.instant();
    }

    private StrategyAnnouncement announcement(Strategy strategy, String reason) {
        return new StrategyAnnouncement(strategy, reason, now(), "test/1");
    }

    private static final class MutableClock extends Clock {
        private Instant now;

        MutableClock(Instant now) {
            this.now = now;
        }

        void advance(Duration duration) {
            now = now.plus(duration);
        }

        @Override
        public Instant instant() {
            return now;
        }

        @Override
        public ZoneId getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(ZoneId zone) {
            return this;
        }
    }
}
