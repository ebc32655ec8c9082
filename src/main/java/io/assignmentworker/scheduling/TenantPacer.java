package io.assignmentworker.scheduling;

import io.assignmentworker.graph.CallGate;
import io.assignmentworker.graph.CallKind;
import io.assignmentworker.graph.GraphError;
import io.assignmentworker.graph.TenantStrategies;
import io.assignmentworker.metrics.WorkerMetrics;
import io.github.resilience4j.circuitbreaker.CircuitBreaker;
import io.github.resilience4j.circuitbreaker.CircuitBreakerConfig;
import io.github.resilience4j.circuitbreaker.CircuitBreakerRegistry;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ScheduledExecutorService;
import java.util.function.Supplier;

/**
 * The scheduling stage's gate in front of Graph: one {@link TenantLane} per tenant, each with its own pacing,
 * cool-down and circuit, so that one tenant's throttling or outage never slows another.
 */
public final class TenantPacer implements CallGate {

    /**
     * A call unanswered this long counts as answered in its tenant's window. Far beyond any real call (each HTTP
     * exchange is bounded by the request timeout, 60 s; an {@code /assign} makes a few), so the window's count
     * stays right for every call that ends.
     */
    private static final Duration STUCK_CALL = Duration.ofMinutes(5);

    private final SchedulingProperties properties;
    private final ScheduledExecutorService timer;
    private final WorkerMetrics metrics;
    private final CircuitBreakerRegistry circuitBreakers;
    private final BudgetShare share;
    private final TenantStrategies strategies;
    private final Map<String, TenantLane> lanes = new ConcurrentHashMap<>();

    /**
     * @param share      this instance's share of each tenant's budget
     * @param strategies which tenants are written with {@code /assign} (their share follows the by-policy topic)
     */
    public TenantPacer(SchedulingProperties properties, ScheduledExecutorService timer, WorkerMetrics metrics,
                       CircuitBreakerRegistry circuitBreakers, BudgetShare share,
                       TenantStrategies strategies) {
        this.share = share;
        this.strategies = strategies;
        this.properties = properties;
        this.timer = timer;
        this.metrics = metrics;
        this.circuitBreakers = circuitBreakers;
    }

    @Override
    public <T> CompletableFuture<T> pass(String tenantId, CallKind kind, Instant deadline, Supplier<GraphError> veto,
                                         Supplier<CompletableFuture<T>> call) {
        return lane(tenantId).pass(kind, deadline, veto, call);
    }

    /** How many more writes the tenant's window (this instance's share of it) would take now. */
    public int writeRoom(String tenantId) {
        return lane(tenantId).writeRoom();
    }

    /** Whether Graph is failing for the tenant as a whole (its circuit is not closed). */
    public boolean inOutage(String tenantId) {
        return lane(tenantId).inOutage();
    }

    /** Whether any tenant's calls wait out an outage (its circuit is not closed) or a cool-down after a 429. */
    public boolean anyTenantHeldBack() {
        for (TenantLane lane : lanes.values()) {
            if (lane.heldBack()) {
                return true;
            }
        }
        return false;
    }

    private TenantLane lane(String tenantId) {
        return lanes.computeIfAbsent(tenantId, this::newLane);
    }

    private TenantLane newLane(String tenantId) {
        SchedulingProperties.TenantBudget budget = properties.budgetOf(tenantId);
        long now = System.nanoTime();
        TenantPace pace = new TenantPace(budget.writeBudget(), budget.requestBudget(), countedWindow(),
                properties.budgetWindow().dividedBy(10),
                () -> strategies.coalesces(tenantId) ? share.forAssign() : share.forCreate(), now);
        CoolDown coolDown = new CoolDown(new Backoff(properties.initialBackoff(), properties.maxBackoff()),
                properties.maxRetryAfter(), now);
        TenantLane lane = new TenantLane(tenantId, circuitBreaker(tenantId), coolDown, pace, timer, metrics,
                STUCK_CALL);
        metrics.tenantCoolDown(tenantId, lane::coolDownSeconds);
        metrics.tenantPace(tenantId, pace::current);
        metrics.tenantBudgetShare(tenantId, pace::budgetShare);
        return lane;
    }

    /**
     * The window the lane counts its calls over: Graph's, plus 1% for the difference between Graph's clock and this
     * one (the calls' latency needs no margin, see {@link WindowLog}).
     */
    private Duration countedWindow() {
        return properties.budgetWindow().multipliedBy(101).dividedBy(100);
    }

    private CircuitBreaker circuitBreaker(String tenantId) {
        return circuitBreakers.circuitBreaker("graph-" + tenantId, CircuitBreakerConfig.custom()
                .failureRateThreshold(properties.circuitFailureRate())
                .slidingWindowType(CircuitBreakerConfig.SlidingWindowType.COUNT_BASED)
                .slidingWindowSize(properties.circuitWindow())
                .minimumNumberOfCalls(Math.min(10, properties.circuitWindow()))
                .waitDurationInOpenState(properties.circuitOpenDuration())
                .permittedNumberOfCallsInHalfOpenState(3)
                .automaticTransitionFromOpenToHalfOpenEnabled(true)
                .build());
    }
}
