package io.assignmentworker.metrics;

import static io.assignmentworker.metrics.WorkerMetrics.DEAD_LETTERS;
import static io.assignmentworker.metrics.WorkerMetrics.OUTCOMES;

import io.assignmentworker.outcome.ErrorCategory;
import io.assignmentworker.outcome.Outcome;
import io.assignmentworker.request.Operation;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/** What became of requests: outcomes committed, and records dead-lettered. */
final class OutcomeMeters {

    private final MeterRegistry registry;
    /** Looked up per outcome: building and registering a counter each time cost more than counting. */
    private final Map<OutcomeKey, Counter> outcomes = new ConcurrentHashMap<>();
    private final Counter deadLetters;

    OutcomeMeters(MeterRegistry registry) {
        this.registry = registry;
        outcomeCounter(Operation.CREATE, "CREATED", "none");
        outcomeCounter(Operation.CREATE, "CREATED", "already_existed");
        for (Operation operation : List.of(Operation.REMOVE, Operation.UPDATE)) {
            for (Outcome.Changed.Status status : Outcome.Changed.Status.values()) {
                if (operation == Operation.UPDATE || status != Outcome.Changed.Status.UPDATED) {
                    outcomeCounter(operation, status.name(), "none");
                }
            }
        }
        for (Operation operation : Operation.values()) {
            for (ErrorCategory category : ErrorCategory.values()) {
                outcomeCounter(operation, "FAILED", category.name());
            }
        }
        deadLetters = Counter.builder(DEAD_LETTERS).description("Unreadable records copied to the dead-letter topic")
                .register(registry);
    }

    void published(Outcome outcome, boolean deadLetter) {
        String category = outcome.map(created -> created.alreadyExisted() ? "already_existed" : "none",
                changed -> "none", failed -> failed.error().category().name());
        outcomeCounter(outcome.operation(), outcome.statusName(), category).increment();
        if (deadLetter) {
            deadLetters.increment();
        }
    }

    /** An unreadable record has no operation: counted as {@code create}, what a request is without one. */
    private Counter outcomeCounter(Operation operation, String status, String category) {
        Operation counted = operation == null ? Operation.CREATE : operation;
        return outcomes.computeIfAbsent(new OutcomeKey(counted, status, category), key -> Counter.builder(OUTCOMES)
                .description("Outcomes committed, by operation, status and error category")
                .tag("operation", key.operation().wireName())
                .tag("status", key.status()).tag("category", key.category()).register(registry));
    }

    private record OutcomeKey(Operation operation, String status, String category) {
    }
}
