package io.assignmentworker.rollout;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.processor.PunctuationType;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.KeyValueStore;

/**
 * Folds a rollout's events into its status and forwards every new status to the rollouts topic. The store is
 * backed by a changelog, so progress survives restarts and moves with its partition to another instance. A
 * rollout not updated for {@code retention} is forgotten (and its status deleted from the compacted topic).
 */
final class RolloutAggregator implements Processor<String, RolloutEvent, String, RolloutStatus> {

    static final String STORE = "rollouts";
    private static final Duration SWEEP = Duration.ofMinutes(10);

    private final Clock clock;
    private final Duration retention;
    private final Consumer<RolloutStatus> completed;
    private ProcessorContext<String, RolloutStatus> context;
    private KeyValueStore<String, RolloutStatus> store;

    /** @param completed told once when a rollout becomes complete */
    RolloutAggregator(Clock clock, Duration retention, Consumer<RolloutStatus> completed) {
        this.clock = clock;
        this.retention = retention;
        this.completed = completed;
    }

    @Override
    public void init(ProcessorContext<String, RolloutStatus> context) {
        this.context = context;
        this.store = context.getStateStore(STORE);
        context.schedule(SWEEP, PunctuationType.WALL_CLOCK_TIME, this::forgetOld);
    }

    @Override
    public void process(Record<String, RolloutEvent> event) {
        Instant now = clock.instant();
        RolloutStatus before = store.get(event.key());
        RolloutStatus after = (before != null ? before : RolloutStatus.empty(event.key(), now))
                .with(event.value(), now);
        store.put(event.key(), after);
        context.forward(event.withValue(after));
        if (after.complete() && (before == null || !before.complete())) {
            completed.accept(after);
        }
    }

    private void forgetOld(long wallClockMillis) {
        Instant horizon = Instant.ofEpochMilli(wallClockMillis).minus(retention);
        List<String> old = new ArrayList<>();
        try (KeyValueIterator<String, RolloutStatus> all = store.all()) {
            while (all.hasNext()) {
                KeyValue<String, RolloutStatus> entry = all.next();
                if (entry.value.updatedAt() != null && entry.value.updatedAt().isBefore(horizon)) {
                    old.add(entry.key);
                }
            }
        }
        for (String rolloutId : old) {
            store.delete(rolloutId);
            context.forward(new Record<>(rolloutId, null, wallClockMillis));
        }
    }
}
