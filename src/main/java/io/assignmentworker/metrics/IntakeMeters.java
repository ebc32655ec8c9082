package io.assignmentworker.metrics;

import static io.assignmentworker.metrics.WorkerMetrics.INTAKE_SESSION_RESTARTS;
import static io.assignmentworker.metrics.WorkerMetrics.INTAKE_SESSION_RESTART_REASONS;
import static io.assignmentworker.metrics.WorkerMetrics.IN_FLIGHT;
import static io.assignmentworker.metrics.WorkerMetrics.IN_FLIGHT_BYTES;
import static io.assignmentworker.metrics.WorkerMetrics.IN_FLIGHT_LIMIT;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.kafka.KafkaClientMetrics;
import java.util.function.Supplier;
import org.apache.kafka.clients.consumer.Consumer;

/** What the intake holds and how its Kafka sessions fare: requests under way, session restarts, client meters. */
final class IntakeMeters {

    private final MeterRegistry registry;

    IntakeMeters(MeterRegistry registry) {
        this.registry = registry;
    }

    void inFlight(Supplier<Number> count) {
        Gauge.builder(IN_FLIGHT, count).description("Requests read from Kafka whose outcome is not yet committed")
                .register(registry);
    }

    void inFlightBytes(Supplier<Number> bytes) {
        Gauge.builder(IN_FLIGHT_BYTES, bytes).baseUnit("bytes")
                .description("What the requests under way keep on the heap, estimated (worker.intake.max-in-flight-bytes)")
                .register(registry);
    }

    void inFlightLimit(Supplier<Number> limit) {
        Gauge.builder(IN_FLIGHT_LIMIT, limit)
                .description("Requests each intake feed may have under way now: worker.intake.max-in-flight, or "
                        + "max-in-flight-creating while writes go as creates with the budget to spare")
                .register(registry);
    }

    void sessionRestartsAtZero(String feed) {
        INTAKE_SESSION_RESTART_REASONS.forEach(reason -> sessionRestartsCounter(feed, reason));
    }

    void sessionRestarted(String feed, String reason) {
        sessionRestartsCounter(feed, reason).increment();
    }

    private Counter sessionRestartsCounter(String feed, String reason) {
        return Counter.builder(INTAKE_SESSION_RESTARTS)
                .description("Intake sessions (Kafka consumer and producer) ended and started again, by feed and reason")
                .tag("feed", feed).tag("reason", reason).register(registry);
    }

    AutoCloseable kafkaClient(Consumer<?, ?> consumer) {
        KafkaClientMetrics metrics = new KafkaClientMetrics(consumer);
        metrics.bindTo(registry);
        return metrics;
    }
}
