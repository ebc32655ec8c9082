package io.assignmentworker.metrics;

import static io.assignmentworker.metrics.WorkerMetrics.DEAD_LETTERS;
import static io.assignmentworker.metrics.WorkerMetrics.OUTCOMES;

import io.assignmentworker.outcome.ErrorCategory;
import io.assignmentworker.outcome.Outcome;
import io.assignmentworker.request.Operation;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/** What became of requests: outcomes committed, and records dead-lettered. */
final class OutcomeMeters {

    private final MeterRegistry registry;
    /** Every outcome counter, registered up front: looked up per outcome rather than built and registered again. */
    private final Map<OutcomeKey, Counter> outcomes = new HashMap<>();
    private final Counter deadLetters;

    OutcomeMeters(MeterRegistry registry) {
        this.registry = registry;
        registerUpFront(Operation.CREATE, "CREATED", "none");
        registerUpFront(Operation.CREATE, "CREATED", "already_existed");
        for (Operation operation : List.of(Operation.REMOVE, Operation.UPDATE)) {
            for (Outcome.Changed.Status status : Outcome.Changed.Status.values()) {
                if (operation == Operation.UPDATE || status != Outcome.Changed.Status.UPDATED) {
                    registerUpFront(operation, status.name(), "none");
                }
            }
        }
        for (Operation operation : Operation.values()) {
            for (ErrorCategory category : ErrorCategory.values()) {
                registerUpFront(operation, "FAILED", category.name());
            }
        }
        deadLetters = Counter.builder(DEAD_LETTERS).description("Unreadable records copied to the dead-letter topic")
                .register(registry);
    }

    void published(Outcome outcome, boolean deadLetter) {
        String category = outcome.map(created -> created.alreadyExisted() ? "already_existed" : "none",
                changed -> "none", failed -> failed.error().category().name());
        Operation operation = operation(outcome.operation());
        Counter counter = outcomes.get(new OutcomeKey(operation, outcome.statusName(), category));
        (counter != null ? counter : outcomeCounter(operation, outcome.statusName(), category)).increment();
        if (deadLetter) {
            deadLetters.increment();
        }
    }

    private void registerUpFront(Operation operation, String status, String category) {
        outcomes.put(new OutcomeKey(operation, status, category), outcomeCounter(operation, status, category));
    }

    /** An unreadable record has no operation: counted as {@code create}, what a request is without one. */
    private static Operation operation(Operation operation) {
        return operation == null ? Operation.CREATE : operation;
    }

    /** Registered, or found if it was: a combination not registered up front takes this slower way each time. */
    private Counter outcomeCounter(Operation operation, String status, String category) {
        return Counter.builder(OUTCOMES).description("Outcomes committed, by operation, status and error category")
                .tag("operation", operation.wireName())
                .tag("status", status).tag("category", category).register(registry);
    }

    private record OutcomeKey(Operation operation, String status, String category) {
    }
}
