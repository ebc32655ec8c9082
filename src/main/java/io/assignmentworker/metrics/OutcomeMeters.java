package io.assignmentworker.metrics;

import static io.assignmentworker.metrics.WorkerMetrics.DEAD_LETTERS;
import static io.assignmentworker.metrics.WorkerMetrics.OUTCOMES;

import io.assignmentworker.outcome.ErrorCategory;
import io.assignmentworker.outcome.Outcome;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;

/** What became of requests: outcomes committed, and records dead-lettered. */
final class OutcomeMeters {

    private final MeterRegistry registry;

    OutcomeMeters(MeterRegistry registry) {
        this.registry = registry;
        outcomeCounter("CREATED", "none");
        outcomeCounter("CREATED", "already_existed");
        for (ErrorCategory category : ErrorCategory.values()) {
            outcomeCounter("FAILED", category.name());
        }
        deadLetterCounter();
    }

    void published(Outcome outcome, boolean deadLetter) {
        String status = outcome.map(created -> "CREATED", failed -> "FAILED");
        String category = outcome.map(created -> created.alreadyExisted() ? "already_existed" : "none",
                failed -> failed.error().category().name());
        outcomeCounter(status, category).increment();
        if (deadLetter) {
            deadLetterCounter().increment();
        }
    }

    private Counter outcomeCounter(String status, String category) {
        return Counter.builder(OUTCOMES).description("Outcomes committed, by status and error category")
                .tag("status", status).tag("category", category).register(registry);
    }

    private Counter deadLetterCounter() {
        return Counter.builder(DEAD_LETTERS).description("Unreadable records copied to the dead-letter topic")
                .register(registry);
    }
}
