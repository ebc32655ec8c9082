package io.assignmentworker.graph;

import io.assignmentworker.metrics.WorkerMetrics;
import java.net.http.HttpClient;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.Executor;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import tools.jackson.databind.json.JsonMapper;

@Configuration(proxyBeanMethods = false)
public class GraphConfiguration {

    /**
     * An instance sends creates only while it has read the strategies topic to its end less than this long ago, so
     * one that cannot read it (a pause, a broker away) stops creating before it could miss a switch for long.
     */
    static final Duration STRATEGY_VIEW_LEASE = Duration.ofSeconds(5);

    /**
     * The HTTP client's own work (headers, TLS records, parsing: microseconds that do not wait on the network) runs
     * on the thread that hands it over, the caller's or the client's selector thread, instead of going to a pool
     * thread piece by piece. Latency-bound benchmark, per request: on a pool of two, its threads took 0.095-0.102 ms
     * and the selector 0.044-0.052; inline, the selector takes 0.064-0.071 and the worker 0.03-0.04 ms less in all
     * (docs/benchmarks.md). What the worker does with an answer never runs on the selector: the client completes every
     * {@code sendAsync} on the common pool ({@link io.assignmentworker.WorkerApplication}). The host's address is
     * looked up (then cached by the JVM) on the thread that sends, where the pool's thread did it before.
     */
    static final Executor INLINE = Runnable::run;

    @Bean
    TenantDirectory tenantDirectory(AuthProperties auth) {
        return new TenantDirectory(auth.allTenants().stream().map(AuthProperties.TenantCredentials::tenantId).toList(),
                auth.defaultTenantId());
    }

    /**
     * A switch from create holds {@code /assign} writes back for a request timeout (a create sent just before an
     * instance read the switch lands by then) plus the lease of an instance's view of the strategies topic.
     */
    @Bean
    AnnouncedStrategies announcedStrategies(GraphProperties properties, Clock clock) {
        return new AnnouncedStrategies(properties.requestTimeout().plus(STRATEGY_VIEW_LEASE), STRATEGY_VIEW_LEASE,
                clock);
    }

    @Bean
    TenantStrategies tenantStrategies(GraphProperties properties, TenantDirectory tenants, WorkerMetrics metrics,
                                      AnnouncedStrategies announced, StrategyAnnouncer announcer, Clock clock) {
        return new TenantStrategies(properties, tenants, metrics, announced, announcer, clock);
    }

    @Bean(destroyMethod = "shutdownNow")
    ExecutorService tokenExecutor() {
        return Executors.newFixedThreadPool(2, runnable -> {
            Thread thread = new Thread(runnable, "entra-token");
            thread.setDaemon(true);
            return thread;
        });
    }

    @Bean
    AccessTokens accessTokens(AuthProperties auth, Clock clock, WorkerMetrics metrics, ExecutorService tokenExecutor) {
        return new AccessTokens(auth, clock, metrics::tokenRequest, tokenExecutor);
    }

    @Bean
    GraphClient graphClient(GraphProperties properties, AccessTokens tokens, CallGate gate, JsonMapper mapper,
                            Clock clock, WorkerMetrics metrics) {
        return create(properties, tokens, gate, mapper, clock, metrics);
    }

    /** Wires the Graph stage; public for tests that run it without Spring. */
    public static GraphClient create(GraphProperties properties, AccessTokens tokens, CallGate gate, JsonMapper mapper,
                                     Clock clock, WorkerMetrics metrics) {
        // The JVM's default SSL context: a local Graph is trusted with -Djavax.net.ssl.trustStore=…
        HttpClient http = HttpClient.newBuilder().connectTimeout(properties.connectTimeout())
                .executor(INLINE).build();
        GraphCalls calls = new GraphCalls(properties, http, tokens, gate, new GraphErrors(mapper, clock), mapper,
                clock, metrics);
        KnownAssignments known = new KnownAssignments(clock, properties.knownAssignmentsTtl(),
                properties.knownAssignmentsPolicies(), mapper);
        return new GraphClient(calls, known, new PolicyAssigner(calls, known, mapper, metrics), clock,
                properties.maxReadAge());
    }
}
