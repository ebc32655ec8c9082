package io.assignmentworker.metrics;

import static io.assignmentworker.metrics.WorkerMetrics.GRAPH_CALLS;
import static io.assignmentworker.metrics.WorkerMetrics.GRAPH_CALLS_WAITING;
import static io.assignmentworker.metrics.WorkerMetrics.GRAPH_RETRIES;
import static io.assignmentworker.metrics.WorkerMetrics.TOKEN_REQUESTS;

import io.assignmentworker.outcome.ErrorCategory;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.time.Duration;
import java.util.EnumSet;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

/** Calls to Graph and Entra ID: exchanges, retries, token requests, calls waiting for a connection. */
final class GraphMeters {

    /**
     * What can be tried again: 429s, 5xx and no answer (GraphErrors, AccessTokens), and an incomplete list
     * (ListReads). Every other category is final at its first answer.
     */
    static final Set<ErrorCategory> RETRIED = EnumSet.of(ErrorCategory.THROTTLED, ErrorCategory.UNAVAILABLE,
            ErrorCategory.GRAPH_ERROR);

    /**
     * Buckets for Graph's latency: the dashboard's p50, p95 and p99 by operation, from a fast read (tens of ms) to a
     * call that timed out. Twelve buckets instead of a percentile histogram's seventy, per operation and status.
     */
    private static final Duration[] CALL_BUCKETS = {Duration.ofMillis(25), Duration.ofMillis(50),
            Duration.ofMillis(100), Duration.ofMillis(250), Duration.ofMillis(500), Duration.ofSeconds(1),
            Duration.ofMillis(2500), Duration.ofSeconds(5), Duration.ofSeconds(10), Duration.ofSeconds(30),
            Duration.ofSeconds(60), Duration.ofSeconds(120)};

    private final MeterRegistry registry;
    /** Looked up on every call: building and registering a timer each time cost more than recording it. */
    private final Map<CallKey, Timer> callTimers = new ConcurrentHashMap<>();

    GraphMeters(MeterRegistry registry) {
        this.registry = registry;
        // At zero from the start, so a rate shows 0 rather than nothing; only reasons the worker ever retries.
        for (ErrorCategory category : RETRIED) {
            retryCounter(category.name());
        }
        for (boolean success : new boolean[] {true, false}) {
            tokenCounter(success, true);
            tokenCounter(success, false);
        }
    }

    void call(String operation, String status, long nanos) {
        callTimers.computeIfAbsent(new CallKey(operation, status), key -> Timer.builder(GRAPH_CALLS)
                        .description("Graph calls by operation and HTTP status")
                        .tag("operation", key.operation()).tag("status", key.status())
                        .serviceLevelObjectives(CALL_BUCKETS).register(registry))
                .record(nanos, TimeUnit.NANOSECONDS);
    }

    /** A timer of {@link #GRAPH_CALLS}: few operations, the statuses Graph answers. */
    private record CallKey(String operation, String status) {
    }

    void retry(String reason) {
        retryCounter(reason).increment();
    }

    private Counter retryCounter(String reason) {
        return Counter.builder(GRAPH_RETRIES).description("Requests tried again after a transient failure")
                .tag("reason", reason).register(registry);
    }

    void tokenRequest(boolean success, boolean afterRejection) {
        tokenCounter(success, afterRejection).increment();
    }

    private Counter tokenCounter(boolean success, boolean afterRejection) {
        return Counter.builder(TOKEN_REQUESTS).description("Token requests to Entra ID")
                .tag("result", success ? "success" : "failure")
                .tag("trigger", afterRejection ? "rejected" : "expiry")
                .register(registry);
    }

    void callsWaiting(Supplier<Number> count) {
        Gauge.builder(GRAPH_CALLS_WAITING, count)
                .description("Graph calls due (budget granted) waiting for one of worker.graph.max-concurrent-calls")
                .register(registry);
    }
}
