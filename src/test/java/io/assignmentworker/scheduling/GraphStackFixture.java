package io.assignmentworker.scheduling;

import io.assignmentworker.emulator.GraphEmulator;
import io.assignmentworker.graph.AccessTokens;
import io.assignmentworker.graph.AuthProperties;
import io.assignmentworker.graph.GraphClient;
import io.assignmentworker.graph.GraphConfiguration;
import io.assignmentworker.graph.GraphProperties;
import io.assignmentworker.graph.Strategy;
import io.assignmentworker.graph.TenantDirectory;
import io.assignmentworker.graph.TenantStrategies;
import io.assignmentworker.metrics.WorkerMetrics;
import io.github.resilience4j.circuitbreaker.CircuitBreakerRegistry;
import io.github.resilience4j.retry.RetryRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import tools.jackson.databind.json.JsonMapper;

/** The Graph and scheduling stages wired by hand against an emulator, without Spring or Kafka. */
public final class GraphStackFixture implements AutoCloseable {

    public final SimpleMeterRegistry meters = new SimpleMeterRegistry();
    /** This instance's share of the budgets; tests set it as a rebalance would. */
    public final BudgetShare budgetShare = new BudgetShare(true);
    public final TenantPacer pacer;
    public final GraphClient graph;
    public final AssignmentScheduler scheduler;
    private final ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor();
    private final ExecutorService tokenExecutor = Executors.newFixedThreadPool(2);

    public GraphStackFixture(GraphEmulator emulator, String tenantId, String clientId, String secret,
                             SchedulingProperties scheduling) {
        this(emulator, tenantId, clientId, secret, scheduling, Strategy.CREATE);
    }

    public GraphStackFixture(GraphEmulator emulator, String tenantId, String clientId, String secret,
                             SchedulingProperties scheduling, Strategy strategy) {
        this(emulator, new AuthProperties(emulator.authorityHost(), tenantId, clientId, secret, null,
                "https://graph.microsoft.com/.default"), scheduling, strategy);
    }

    /** One tenant, on {@code clock} (what the worker's reads are dated by). */
    public GraphStackFixture(GraphEmulator emulator, String tenantId, String clientId, String secret,
                             SchedulingProperties scheduling, Strategy strategy, Clock clock) {
        this(emulator, new AuthProperties(emulator.authorityHost(), tenantId, clientId, secret, null,
                "https://graph.microsoft.com/.default"), scheduling, strategy, clock);
    }

    /** Several tenants, each with the credentials {@code auth} gives it. */
    public GraphStackFixture(GraphEmulator emulator, AuthProperties auth, SchedulingProperties scheduling,
                             Strategy strategy) {
        this(emulator, auth, scheduling, strategy, Clock.systemUTC());
    }

    private GraphStackFixture(GraphEmulator emulator, AuthProperties auth, SchedulingProperties scheduling,
                              Strategy strategy, Clock clock) {
        WorkerMetrics metrics = new WorkerMetrics(meters);
        JsonMapper mapper = JsonMapper.builder().build();
        GraphProperties properties = new GraphProperties(emulator.graphBaseUrl(), Duration.ofSeconds(5),
                Duration.ofSeconds(5), Duration.ofMinutes(5), 100, strategy, null, 128,
                Duration.ofSeconds(2));
        AccessTokens tokens = new AccessTokens(auth, clock, metrics::tokenRequest, tokenExecutor);
        TenantDirectory tenants = new TenantDirectory(auth.allTenants().stream()
                .map(AuthProperties.TenantCredentials::tenantId).toList(), auth.defaultTenantId());
        TenantStrategies strategies = new TenantStrategies(properties, tenants, metrics);
        pacer = new TenantPacer(scheduling, timer, metrics, CircuitBreakerRegistry.ofDefaults(), budgetShare,
                strategies);
        graph = GraphConfiguration.create(properties, tokens, pacer, mapper, clock, metrics);
        scheduler = new AssignmentScheduler(graph, pacer, tenants, strategies, scheduling,
                RetryRegistry.ofDefaults(), timer, clock, metrics);
    }

    public static SchedulingProperties fastScheduling(int writeBudget, Duration window) {
        return fastScheduling(writeBudget, window, Map.of());
    }

    public static SchedulingProperties fastScheduling(int writeBudget, Duration window,
                                                      Map<String, SchedulingProperties.TenantBudget> tenants) {
        return new SchedulingProperties(writeBudget, writeBudget * 10, window, 6, Duration.ofHours(1), Duration.ofMillis(50),
                Duration.ofMillis(400), Duration.ofSeconds(30), 50, 20, Duration.ofSeconds(1), tenants,
                Duration.ofMillis(100), Duration.ofSeconds(1), 200, true, null);
    }

    @Override
    public void close() {
        timer.shutdownNow();
        tokenExecutor.shutdownNow();
    }
}
