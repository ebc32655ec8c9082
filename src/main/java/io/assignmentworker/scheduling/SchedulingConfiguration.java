package io.assignmentworker.scheduling;

import io.assignmentworker.graph.GraphClient;
import io.assignmentworker.graph.TenantDirectory;
import io.assignmentworker.graph.TenantStrategies;
import io.assignmentworker.metrics.WorkerMetrics;
import io.github.resilience4j.circuitbreaker.CircuitBreakerRegistry;
import io.github.resilience4j.micrometer.tagged.TaggedCircuitBreakerMetrics;
import io.github.resilience4j.micrometer.tagged.TaggedRetryMetrics;
import io.github.resilience4j.retry.RetryRegistry;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Clock;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

@Configuration(proxyBeanMethods = false)
class SchedulingConfiguration {

    @Bean
    CircuitBreakerRegistry circuitBreakerRegistry(MeterRegistry meters) {
        CircuitBreakerRegistry registry = CircuitBreakerRegistry.ofDefaults();
        TaggedCircuitBreakerMetrics.ofCircuitBreakerRegistry(registry).bindTo(meters);
        return registry;
    }

    @Bean
    RetryRegistry retryRegistry(MeterRegistry meters) {
        RetryRegistry registry = RetryRegistry.ofDefaults();
        TaggedRetryMetrics.ofRetryRegistry(registry).bindTo(meters);
        return registry;
    }

    /** Paces calls and schedules retries; never blocks, so one thread serves every tenant. */
    @Bean(destroyMethod = "shutdownNow")
    ScheduledExecutorService schedulingTimer() {
        ScheduledThreadPoolExecutor timer = new ScheduledThreadPoolExecutor(1, runnable -> {
            Thread thread = new Thread(runnable, "scheduling-timer");
            thread.setDaemon(true);
            return thread;
        });
        timer.setRemoveOnCancelPolicy(true); // a lane re-timing its wake-up leaves nothing behind
        return timer;
    }

    @Bean
    TenantPacer tenantPacer(SchedulingProperties properties, ScheduledExecutorService schedulingTimer,
                            WorkerMetrics metrics, CircuitBreakerRegistry circuitBreakers, BudgetShare budgetShare,
                            TenantStrategies strategies) {
        return new TenantPacer(properties, schedulingTimer, metrics, circuitBreakers, budgetShare,
                strategies);
    }

    @Bean
    BudgetShare budgetShare(SchedulingProperties properties) {
        return new BudgetShare(properties.shareBudgetByPartitions(), properties.riseHold(), System::nanoTime);
    }

    @Bean
    AssignmentScheduler assignmentScheduler(GraphClient graph, TenantPacer pacer, TenantDirectory tenants,
                                            TenantStrategies strategies, SchedulingProperties properties, RetryRegistry retries,
                                            ScheduledExecutorService schedulingTimer, Clock clock,
                                            WorkerMetrics metrics) {
        return new AssignmentScheduler(graph, pacer, tenants, strategies, properties, retries, schedulingTimer, clock, metrics);
    }
}
