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
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

/** Calls to Graph and Entra ID: exchanges, retries, token requests, calls waiting for a connection. */
final class GraphMeters {

    private final MeterRegistry registry;

    GraphMeters(MeterRegistry registry) {
        this.registry = registry;
        for (ErrorCategory category : ErrorCategory.values()) {
            retryCounter(category.name());
        }
        for (boolean success : new boolean[] {true, false}) {
            tokenCounter(success, true);
            tokenCounter(success, false);
        }
    }

    void call(String operation, String status, long nanos) {
        Timer.builder(GRAPH_CALLS).description("Graph calls by operation and HTTP status")
                .tag("operation", operation).tag("status", status)
                .publishPercentileHistogram()
                .register(registry).record(nanos, TimeUnit.NANOSECONDS);
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
