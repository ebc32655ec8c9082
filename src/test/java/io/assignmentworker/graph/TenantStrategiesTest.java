package io.assignmentworker.graph;

import static org.assertj.core.api.Assertions.assertThat;

import io.assignmentworker.metrics.WorkerMetrics;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class TenantStrategiesTest {

    private static final String TENANT = "8f1c7e2a-1b2c-4d5e-8f90-0a1b2c3d4e5f";

    private final AnnouncedStrategies announced = new AnnouncedStrategies(Duration.ofSeconds(65),
            Duration.ofSeconds(5), Clock.systemUTC());
    private final List<StrategyAnnouncement> sent = new ArrayList<>();

    @Test
    void anInstanceConfiguredCreateFollowsTheGroupsAssign() {
        TenantStrategies create = strategies(Strategy.CREATE);
        announced.caughtUp(System.nanoTime());
        announced.fold(TENANT, new StrategyAnnouncement(Strategy.ASSIGN, StrategyAnnouncement.CONFIGURED,
                Instant.now(), "other/1"), Instant.now());

        create.announceConfigured();

        assertThat(sent).as("nothing to announce: the group has decided").isEmpty();
        assertThat(create.coalesces(TENANT)).isTrue();
        assertThat(create.createsAllowed(TENANT)).isFalse();
        assertThat(create.createRefused(TENANT)).as("a create held back is written the other way").isTrue();
    }

    @Test
    void createsWaitUntilTheGroupHasDecidedOnCreatesAndTheViewIsFresh() {
        TenantStrategies create = strategies(Strategy.CREATE);
        assertThat(create.createsAllowed(TENANT)).as("nothing read yet").isFalse();

        announced.caughtUp(System.nanoTime());
        create.announceConfigured();
        assertThat(sent).extracting(StrategyAnnouncement::strategy).containsExactly(Strategy.CREATE);
        assertThat(create.createsAllowed(TENANT)).as("announced, not read back yet").isFalse();

        announced.fold(TENANT, sent.get(0), Instant.now());
        assertThat(create.createsAllowed(TENANT)).isTrue();
        assertThat(create.coalesces(TENANT)).isFalse();
    }

    @Test
    void anInstanceConfiguredAssignSwitchesAGroupThatCreates() {
        TenantStrategies assign = strategies(Strategy.ASSIGN);
        announced.caughtUp(System.nanoTime());
        announced.fold(TENANT, new StrategyAnnouncement(Strategy.CREATE, StrategyAnnouncement.CONFIGURED,
                Instant.now(), "old/1"), Instant.now());

        assign.announceConfigured();

        assertThat(sent).extracting(StrategyAnnouncement::strategy).containsExactly(Strategy.ASSIGN);
        assertThat(assign.coalesces(TENANT)).as("at once, here").isTrue();
        announced.fold(TENANT, sent.get(0), Instant.now());
        assertThat(assign.assignHeldFor(TENANT)).as("creates sent elsewhere may still land")
                .isGreaterThan(Duration.ofSeconds(60));
    }

    @Test
    void anAutoTenantIsWrittenByItsPoliciesOwnersWhoCreateLoneRequestsUntilTheRouteIsRefused() {
        TenantStrategies auto = strategies(Strategy.AUTO);
        announced.caughtUp(System.nanoTime());
        auto.announceConfigured();
        announced.fold(TENANT, sent.get(0), Instant.now());

        assertThat(sent).extracting(StrategyAnnouncement::strategy).containsExactly(Strategy.ASSIGN);
        assertThat(auto.coalesces(TENANT)).isTrue();
        assertThat(auto.assignHeldFor(TENANT)).as("no creates were ever routed elsewhere").isZero();
        assertThat(auto.createsLoneRequests(TENANT)).isTrue();

        auto.loneCreateRefused(TENANT);
        auto.loneCreateRefused(TENANT);

        assertThat(auto.createsLoneRequests(TENANT)).isFalse();
        assertThat(sent).as("nothing for the group to switch").hasSize(1);
        assertThat(strategies(Strategy.ASSIGN).createsLoneRequests(TENANT)).isFalse();
    }

    @Test
    void anAutoInstanceMovesAGroupThatWritesWithCreatesToItsPoliciesOwners() {
        TenantStrategies create = strategies(Strategy.CREATE);
        announced.caughtUp(System.nanoTime());
        create.announceConfigured();
        announced.fold(TENANT, sent.get(0), Instant.now());

        TenantStrategies auto = strategies(Strategy.AUTO);
        auto.announceConfigured();

        assertThat(sent).extracting(StrategyAnnouncement::strategy).containsExactly(Strategy.CREATE, Strategy.ASSIGN);
        announced.fold(TENANT, sent.get(1), Instant.now());
        assertThat(auto.assignHeldFor(TENANT)).as("creates sent elsewhere may still land")
                .isGreaterThan(Duration.ofSeconds(60));
    }

    @Test
    void aCreateTenantRefusingTheCreateRouteFailsTheRequest() {
        TenantStrategies create = strategies(Strategy.CREATE);
        announced.caughtUp(System.nanoTime());
        create.announceConfigured();
        announced.fold(TENANT, sent.get(0), Instant.now());

        assertThat(create.createRefused(TENANT)).isFalse();
        assertThat(sent).hasSize(1);
    }

    private TenantStrategies strategies(Strategy configured) {
        GraphProperties properties = new GraphProperties(URI.create("https://graph.microsoft.com/beta"),
                Duration.ofSeconds(10), Duration.ofSeconds(60), Duration.ofMinutes(5), 2000, Strategy.AUTO,
                Map.of(TENANT, configured), 128, Duration.ofSeconds(2));
        return new TenantStrategies(properties, new TenantDirectory(List.of(TENANT), TENANT),
                new WorkerMetrics(new SimpleMeterRegistry()), announced, (tenant, a) -> sent.add(a),
                Clock.systemUTC());
    }
}
