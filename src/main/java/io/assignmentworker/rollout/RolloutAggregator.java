package io.assignmentworker.rollout;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Consumer;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.processor.PunctuationType;
import org.apache.kafka.streams.processor.TaskId;
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
 *
 * <p>What may create state is bounded: the outcome of a request that failed validation counts in a rollout that
 * exists but never creates one (its rolloutId is untrusted; a few are held in memory in case their rollout comes
 * to exist), and the instance holds at most
 * {@code max-tracked} rollouts ({@link TrackingLimit}). To admit a new rollout past that, the least recently
 * updated <em>complete</em> rollout is forgotten early: its summary was published and its results stay on the
 * results topic, whereas refusing new rollouts would hide exactly those an administrator is waiting for. A rollout
 * in progress is never forgotten early (its counts would start again from zero); when all are in progress, the new
 * rollout is not tracked. A task that starts with more (a lower limit, or a failover that put more partitions on
 * this instance) forgets complete rollouts, oldest first, down to the limit.
 */
final class RolloutAggregator implements Processor<String, RolloutEvent, String, RolloutStatus> {

    static final String STORE = "rollouts";
    /** How many rolloutIds of rejected requests are remembered until their rollout exists. */
    static final int REJECTED_HELD = 1_000;
    private static final Duration SWEEP = Duration.ofMinutes(10);

    private final Clock clock;
    private final Duration retention;
    private final Duration emitInterval;
    private final TrackingLimit limit;
    private final Consumer<RolloutStatus> completed;
    /** Every status of the store as an object: an event costs no JSON read, and no scan ever reads the store. */
    private final Map<String, RolloutStatus> current = new HashMap<>();
    /** The complete rollouts, least recently updated first: the ones forgotten early when the limit is reached. */
    private final Set<String> completeOldestFirst = new LinkedHashSet<>();
    private final Set<String> changed = new LinkedHashSet<>();
    /**
     * Outcomes of rejected requests whose rollout does not exist yet, so that a manifest published after its
     * requests (which the schema allows) still completes the rollout. In memory only and for a few rolloutIds,
     * the oldest dropped first: an untrusted rolloutId costs a bounded amount, and nothing that outlives the task.
     */
    private final Map<String, RolloutStatus> rejectedHeld = new LinkedHashMap<>() {
        @Override
        protected boolean removeEldestEntry(Map.Entry<String, RolloutStatus> eldest) {
            return size() > REJECTED_HELD;
        }
    };
    private ProcessorContext<String, RolloutStatus> context;
    private KeyValueStore<String, RolloutStatus> store;
    private TaskId taskId;
    private RolloutCounts.Task counts;
    private boolean started;

    /**
     * @param emitInterval how often changed statuses are published
     * @param completed    told once when a rollout becomes complete
     */
    RolloutAggregator(Clock clock, Duration retention, Duration emitInterval, TrackingLimit limit,
                      Consumer<RolloutStatus> completed) {
        this.clock = clock;
        this.retention = retention;
        this.emitInterval = emitInterval;
        this.limit = limit;
        this.completed = completed;
    }

    @Override
    public void init(ProcessorContext<String, RolloutStatus> context) {
        this.context = context;
        this.store = context.getStateStore(STORE);
        this.taskId = context.taskId();
        this.counts = limit.counts().open(taskId);
        current.clear();
        completeOldestFirst.clear();
        changed.clear();
        rejectedHeld.clear();
        load();
        started = false;
        context.schedule(SWEEP, PunctuationType.WALL_CLOCK_TIME, this::forgetOld);
        context.schedule(emitInterval, PunctuationType.WALL_CLOCK_TIME, this::publishChanged);
    }

    /** The store as restored, in memory; the only full read of it. */
    private void load() {
        List<KeyValue<String, RolloutStatus>> complete = new ArrayList<>();
        try (KeyValueIterator<String, RolloutStatus> all = store.all()) {
            while (all.hasNext()) {
                KeyValue<String, RolloutStatus> entry = all.next();
                current.put(entry.key, entry.value);
                counts.replace(null, entry.value);
                if (entry.value.complete()) {
                    complete.add(entry);
                }
            }
        }
        complete.sort(Comparator.comparing(entry -> entry.value.updatedAt(),
                Comparator.nullsFirst(Comparator.naturalOrder())));
        complete.forEach(entry -> completeOldestFirst.add(entry.key));
    }

    @Override
    public void process(Record<String, RolloutEvent> event) {
        Instant now = clock.instant();
        String rolloutId = event.key();
        RolloutStatus before = current.get(rolloutId);
        if (before == null && event.value().isRejectedRequest()) {
            rejectedHeld.put(rolloutId, rejectedHeld.getOrDefault(rolloutId, RolloutStatus.empty(rolloutId, now))
                    .with(event.value(), now));
            return;
        }
        if (before == null && !admit(rolloutId, now, event.timestamp())) {
            return;
        }
        RolloutStatus start = before != null ? before : rejectedHeld.getOrDefault(rolloutId,
                RolloutStatus.empty(rolloutId, now));
        rejectedHeld.remove(rolloutId);
        RolloutStatus after = start.with(event.value(), now);
        put(rolloutId, before, after);
        changed.add(rolloutId);
        if (after.complete() && (before == null || !before.complete())) {
            completed.accept(after);
        }
    }

    /** Whether a new rollout may be tracked, making room for it if the limit is reached. */
    private boolean admit(String rolloutId, Instant now, long timestamp) {
        if (limit.hasRoom()) {
            return true;
        }
        if (completeOldestFirst.isEmpty()) {
            limit.untracked(rolloutId, now);
            return false;
        }
        forget(completeOldestFirst.iterator().next(), timestamp);
        limit.evicted();
        return true;
    }

    @Override
    public void close() {
        if (counts != null) {
            limit.counts().close(taskId, counts);
        }
        current.clear();
        completeOldestFirst.clear();
        changed.clear();
        rejectedHeld.clear();
    }

    private void put(String rolloutId, RolloutStatus before, RolloutStatus after) {
        store.put(rolloutId, after);
        current.put(rolloutId, after);
        counts.replace(before, after);
        completeOldestFirst.remove(rolloutId);
        if (after.complete()) {
            completeOldestFirst.add(rolloutId);
        }
    }

    /** Deletes a rollout from the store and, with a tombstone, from the rollouts topic. */
    private void forget(String rolloutId, long timestamp) {
        RolloutStatus status = current.remove(rolloutId);
        store.delete(rolloutId);
        counts.replace(status, null);
        completeOldestFirst.remove(rolloutId);
        if (changed.remove(rolloutId) && status != null) {
            // Its latest status (a summary, when forgotten early) is seen by whoever follows the topic live.
            context.forward(new Record<>(rolloutId, status, timestamp));
        }
        context.forward(new Record<>(rolloutId, null, timestamp));
    }

    private void publishChanged(long wallClockMillis) {
        if (!started) {
            started = true;
            // Store writes and tombstones need a punctuation's context, which init does not have.
            while (limit.isExceeded() && !completeOldestFirst.isEmpty()) {
                forget(completeOldestFirst.iterator().next(), wallClockMillis);
                limit.evicted();
            }
            changed.addAll(current.keySet());
        }
        for (String rolloutId : changed) {
            RolloutStatus status = current.get(rolloutId);
            if (status != null) {
                context.forward(new Record<>(rolloutId, status, wallClockMillis));
            }
        }
        changed.clear();
    }

    private void forgetOld(long wallClockMillis) {
        Instant horizon = Instant.ofEpochMilli(wallClockMillis).minus(retention);
        List<String> old = new ArrayList<>();
        current.forEach((rolloutId, status) -> {
            if (status.updatedAt() != null && status.updatedAt().isBefore(horizon)) {
                old.add(rolloutId);
            }
        });
        old.forEach(rolloutId -> forget(rolloutId, wallClockMillis));
    }
}
