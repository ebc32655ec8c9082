package io.assignmentworker.rollout;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Consumer;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.processor.PunctuationType;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.KeyValueStore;

/**
 * Folds a rollout's events into its status and publishes the statuses that changed, at most once per
 * {@code emitInterval} each: a rollout of 10,000 requests is 10,000 events but a few dozen statuses. The store is
 * backed by a changelog, so progress survives restarts and moves with its partition to another instance. A
 * rollout not updated for {@code retention} is forgotten (and its status deleted from the compacted topic).
 *
 * <p>Which statuses changed since the last publication is kept in memory only, so a task that starts (after a
 * restart, a crash or a rebalance) publishes every status of its store once: whatever its predecessor had folded
 * but not yet published is published then, and publishing a status twice changes nothing in a compacted topic.
 */
final class RolloutAggregator implements Processor<String, RolloutEvent, String, RolloutStatus> {

    static final String STORE = "rollouts";
    private static final Duration SWEEP = Duration.ofMinutes(10);

    private final Clock clock;
    private final Duration retention;
    private final Duration emitInterval;
    private final Consumer<RolloutStatus> completed;
    /** The store's statuses as objects, so an event does not cost a JSON read of its rollout's status. */
    private final Map<String, RolloutStatus> current = new HashMap<>();
    private final Set<String> changed = new LinkedHashSet<>();
    private ProcessorContext<String, RolloutStatus> context;
    private KeyValueStore<String, RolloutStatus> store;
    private boolean publishAll;

    /**
     * @param emitInterval how often changed statuses are published
     * @param completed    told once when a rollout becomes complete
     */
    RolloutAggregator(Clock clock, Duration retention, Duration emitInterval, Consumer<RolloutStatus> completed) {
        this.clock = clock;
        this.retention = retention;
        this.emitInterval = emitInterval;
        this.completed = completed;
    }

    @Override
    public void init(ProcessorContext<String, RolloutStatus> context) {
        this.context = context;
        this.store = context.getStateStore(STORE);
        current.clear();
        changed.clear();
        publishAll = true;
        context.schedule(SWEEP, PunctuationType.WALL_CLOCK_TIME, this::forgetOld);
        context.schedule(emitInterval, PunctuationType.WALL_CLOCK_TIME, this::publishChanged);
    }

    @Override
    public void process(Record<String, RolloutEvent> event) {
        Instant now = clock.instant();
        String rolloutId = event.key();
        RolloutStatus before = current.computeIfAbsent(rolloutId, store::get);
        RolloutStatus after = (before != null ? before : RolloutStatus.empty(rolloutId, now)).with(event.value(), now);
        store.put(rolloutId, after);
        current.put(rolloutId, after);
        changed.add(rolloutId);
        if (after.complete() && (before == null || !before.complete())) {
            completed.accept(after);
        }
    }

    @Override
    public void close() {
        current.clear();
        changed.clear();
    }

    private void publishChanged(long wallClockMillis) {
        if (publishAll) {
            publishAll = false;
            try (KeyValueIterator<String, RolloutStatus> all = store.all()) {
                while (all.hasNext()) {
                    changed.add(all.next().key);
                }
            }
        }
        for (String rolloutId : changed) {
            RolloutStatus status = current.computeIfAbsent(rolloutId, store::get);
            if (status != null) {
                context.forward(new Record<>(rolloutId, status, wallClockMillis));
            }
        }
        changed.clear();
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
            current.remove(rolloutId);
            changed.remove(rolloutId);
            context.forward(new Record<>(rolloutId, null, wallClockMillis));
        }
    }
}
