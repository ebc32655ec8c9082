package io.assignmentworker.graph;

import io.assignmentworker.metrics.WorkerMetrics;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Which way each tenant's assignments are written now, decided once for the whole consumer group: the strategy
 * announced on the strategies topic ({@link AnnouncedStrategies}) wins over this instance's configuration, so
 * instances configured differently (a rolling upgrade) never mix creates with
 * another instance's {@code /assign} writes of the same policy. At start-up each configured tenant not announced
 * yet is announced as configured; a tenant configured {@code assign} but announced {@code create} is switched.
 * {@code auto} and {@code assign} tenants are both announced {@code assign}: their requests go to their policies'
 * owners, and an {@code auto} owner still writes a request that is alone in its batch as one create, until the
 * tenant refuses the create route.
 *
 * <p>Creates go only for tenants announced {@code create}, while this instance's view of the topic is fresh;
 * {@code /assign} writes wait out the hold after a switch (see {@link AnnouncedStrategies}).
 */
public final class TenantStrategies {

    private static final Logger log = LoggerFactory.getLogger(TenantStrategies.class);

    private final GraphProperties properties;
    private final TenantDirectory tenants;
    private final WorkerMetrics metrics;
    private final AnnouncedStrategies announced;
    private final StrategyAnnouncer announcer;
    private final Clock clock;
    private final String instance;
    private static final Duration UNDECIDED_RECHECK = Duration.ofMillis(500);

    private final Map<String, Boolean> switched = new ConcurrentHashMap<>();
    private final Map<String, Boolean> loneCreatesRefused = new ConcurrentHashMap<>();
    /** {@code auto} tenants that took a create: their lone requests go as creates without a probe. */
    private final Map<String, Boolean> createsTaken = new ConcurrentHashMap<>();
    /** {@code auto} tenants whose first lone creates are under way, one at a time. */
    private final Map<String, Boolean> probing = new ConcurrentHashMap<>();
    private boolean announcedConfigured;

    /** Without Kafka: this instance alone decides (tests, tools); its configured strategies are announced at once. */
    public TenantStrategies(GraphProperties properties, TenantDirectory tenants, WorkerMetrics metrics) {
        this(properties, tenants, metrics, AnnouncedStrategies.local(Clock.systemUTC()), null, Clock.systemUTC());
        announceConfigured();
    }

    /**
     * @param announced what the group decided, as read from the strategies topic
     * @param announcer publishes this instance's decisions (null: folded into {@code announced} directly)
     */
    public TenantStrategies(GraphProperties properties, TenantDirectory tenants, WorkerMetrics metrics,
                            AnnouncedStrategies announced, StrategyAnnouncer announcer, Clock clock) {
        this.properties = properties;
        this.tenants = tenants;
        this.metrics = metrics;
        this.announced = announced;
        this.clock = clock;
        this.announcer = announcer != null ? announcer
                : (tenant, announcement) -> announced.fold(tenant, announcement, clock.instant());
        this.instance = System.getenv().getOrDefault("HOSTNAME", "worker") + "/" + ProcessHandle.current().pid();
        for (String tenantId : tenants.tenantIds()) {
            metrics.tenantStrategy(tenantId, "create", () -> coalesces(tenantId) ? 0 : 1);
            metrics.tenantStrategy(tenantId, "assign", () -> coalesces(tenantId) ? 1 : 0);
        }
    }

    /** Whether the tenant's requests go to coalesced {@code /assign} writes rather than one create each. */
    public boolean coalesces(String tenantId) {
        Optional<Strategy> group = announced.strategyOf(tenantId);
        if (group.isPresent() && group.get() == Strategy.ASSIGN) {
            return true;
        }
        if (!switched.isEmpty() && switched.containsKey(tenantId.toLowerCase(Locale.ROOT))) {
            return true;
        }
        return group.isEmpty() && properties.strategyOf(tenantId) != Strategy.CREATE;
    }

    /**
     * Whether a policy's owner writes a request that is alone in its batch as one create rather than an
     * {@code /assign}: in {@code auto} tenants, until the tenant refuses the create route.
     */
    public boolean createsLoneRequests(String tenantId) {
        return properties.strategyOf(tenantId) == Strategy.AUTO
                && !loneCreatesRefused.containsKey(tenantId.toLowerCase(Locale.ROOT));
    }

    /**
     * Whether lone requests of an {@code auto} tenant may go as creates now: always once the tenant took one; until
     * then one batch of them at a time. Every create a tenant refuses is a write of its budget spent for nothing,
     * and a rollout's first seconds would otherwise send one per policy before the first refusal came back. A
     * {@code true} must be followed by {@link #loneCreatesDone}.
     */
    public boolean tryLoneCreates(String tenantId) {
        String key = tenantId.toLowerCase(Locale.ROOT);
        return createsTaken.containsKey(key) || probing.putIfAbsent(key, Boolean.TRUE) == null;
    }

    /** The creates {@link #tryLoneCreates} let go are answered; {@code taken} when the tenant took one. */
    public void loneCreatesDone(String tenantId, boolean taken) {
        String key = tenantId.toLowerCase(Locale.ROOT);
        if (taken) {
            createsTaken.put(key, Boolean.TRUE);
        }
        probing.remove(key);
    }

    /** An {@code auto} tenant refused a lone request's create: its owners write every batch with {@code /assign}. */
    public void loneCreateRefused(String tenantId) {
        if (loneCreatesRefused.putIfAbsent(tenantId.toLowerCase(Locale.ROOT), Boolean.TRUE) == null) {
            log.warn("Tenant {} refuses POST …/deviceCompliancePolicies/{id}/assignments (No OData route); this "
                    + "instance now writes even a lone request of the tenant with POST …/{id}/assign, which keeps "
                    + "every existing assignment", tenantId);
            metrics.strategySwitched(tenantId);
        }
    }

    /**
     * Whether a create for the tenant may be sent now: the group writes it with creates, and this instance's view
     * of the strategies topic is fresh (else it might have missed a switch). When not, the create waits.
     */
    public boolean createsAllowed(String tenantId) {
        return announced.fresh() && announced.strategyOf(tenantId).orElse(null) == Strategy.CREATE
                && !coalesces(tenantId);
    }

    /** How long the tenant's {@code /assign} writes must still wait after a switch from create (else zero). */
    public Duration assignHeldFor(String tenantId) {
        if (announced.strategyOf(tenantId).orElse(null) != Strategy.ASSIGN) {
            // This instance coalesces a tenant the group has not (as far as it has read) decided to write with
            // /assign: its own switch is not read back yet, or the strategies topic is not read. Another instance
            // may still send creates; nothing is written until the decision, and its hold, are known.
            return UNDECIDED_RECHECK;
        }
        return announced.assignHeldFor(tenantId);
    }

    /**
     * The tenant refused the create route, or the create was held back because the tenant was switched to
     * {@code /assign} meanwhile. An {@code auto} tenant switches to assign (announced to the group); for a
     * {@code create} tenant that the group has not switched, the refusal is the request's outcome.
     *
     * @return whether the request should be written by the assign path instead
     */
    public boolean createRefused(String tenantId) {
        if (coalesces(tenantId)) {
            return true;
        }
        if (properties.strategyOf(tenantId) != Strategy.AUTO) {
            return false;
        }
        String key = tenantId.toLowerCase(Locale.ROOT);
        if (switched.putIfAbsent(key, Boolean.TRUE) == null) {
            log.warn("Tenant {} refuses POST …/deviceCompliancePolicies/{id}/assignments (No OData route); "
                    + "its assignments are written from now on by coalesced POST …/{id}/assign calls, which keep "
                    + "every existing assignment; announced to the group", tenantId);
            metrics.strategySwitched(tenantId);
            announce(key, Strategy.ASSIGN, StrategyAnnouncement.CREATE_ROUTE_REFUSED);
        }
        return true;
    }

    /**
     * Once, after the strategies topic has been read to its end: announces each configured tenant the group has
     * not decided yet, switches to assign those configured {@code assign} that the group writes with creates,
     * and says which tenants follow the group rather than this instance's configuration.
     */
    public synchronized void announceConfigured() {
        if (announcedConfigured) {
            return;
        }
        announcedConfigured = true;
        List<String> following = new ArrayList<>();
        for (String tenantId : tenants.tenantIds()) {
            String key = tenantId.toLowerCase(Locale.ROOT);
            // auto and assign both route a tenant's requests to its policies' owners; auto's owners still create
            // a lone request (see createsLoneRequests).
            Strategy configured = properties.strategyOf(tenantId) == Strategy.CREATE ? Strategy.CREATE
                    : Strategy.ASSIGN;
            Optional<Strategy> group = announced.strategyOf(tenantId);
            if (group.isEmpty()) {
                announce(key, configured, StrategyAnnouncement.CONFIGURED);
            } else if (group.get() == Strategy.CREATE && configured == Strategy.ASSIGN) {
                switched.put(key, Boolean.TRUE);
                log.warn("Tenant {} is written with creates by the group and configured {} here: switching the "
                        + "group to its policies' owners; their /assign writes wait a request timeout ({}) and a little more for "
                        + "creates in flight elsewhere", tenantId,
                        properties.strategyOf(tenantId).name().toLowerCase(Locale.ROOT), properties.requestTimeout());
                announce(key, Strategy.ASSIGN, StrategyAnnouncement.CONFIGURED);
            } else if (group.get() != configured) {
                following.add(tenantId + "=" + group.get().name().toLowerCase(Locale.ROOT) + " (announced by "
                        + announced.announcementOf(tenantId).map(StrategyAnnouncement::instance).orElse("?") + ")");
            }
        }
        if (!following.isEmpty()) {
            log.warn("Tenants written as the group decided, not as configured here: {}", following);
        }
    }

    private void announce(String tenantKey, Strategy strategy, String reason) {
        announcer.announce(tenantKey, new StrategyAnnouncement(strategy, reason, Instant.now(clock), instance));
    }
}
