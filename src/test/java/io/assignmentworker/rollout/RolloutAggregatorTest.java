package io.assignmentworker.rollout;

import static org.assertj.core.api.Assertions.assertThat;

import io.assignmentworker.metrics.WorkerMetrics;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.processor.PunctuationType;
import org.apache.kafka.streams.processor.api.MockProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.KeyValueStore;
import org.apache.kafka.streams.state.Stores;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.json.JsonMapper;

/** What the aggregator publishes, and when. */
class RolloutAggregatorTest {

    private static final Instant T0 = Instant.parse("2026-11-29T01:00:00Z");
    private static final Duration EMIT = Duration.ofMillis(500);

    private final KeyValueStore<String, RolloutStatus> store = Stores.keyValueStoreBuilder(
                    Stores.inMemoryKeyValueStore(RolloutAggregator.STORE), Serdes.String(),
                    new RolloutJson(JsonMapper.builder().build()).statusSerde())
            .withLoggingDisabled().build();
    private final List<RolloutStatus> completed = new ArrayList<>();

    private MockProcessorContext<String, RolloutStatus> started(RolloutAggregator aggregator) {
        MockProcessorContext<String, RolloutStatus> context = new MockProcessorContext<>();
        if (!store.isOpen()) {
            store.init(context.getStateStoreContext(), store);
        }
        context.addStateStore(store);
        aggregator.init(context);
        return context;
    }

    private RolloutAggregator aggregator() {
        return new RolloutAggregator(Clock.fixed(T0, ZoneOffset.UTC), Duration.ofDays(30), EMIT,
                new TrackingLimit(10_000, new RolloutCounts(), new WorkerMetrics(new SimpleMeterRegistry())),
                completed::add);
    }

    private static Record<String, RolloutEvent> created(String rolloutId, int second) {
        return new Record<>(rolloutId, new RolloutEvent("CREATED", false, null, T0.plusSeconds(second),
                T0.plusSeconds(second + 1), null, null), 0L);
    }

    private static void emit(MockProcessorContext<String, RolloutStatus> context) {
        context.scheduledPunctuators().stream()
                .filter(p -> p.getType() == PunctuationType.WALL_CLOCK_TIME && p.getInterval().equals(EMIT))
                .forEach(p -> p.getPunctuator().punctuate(T0.toEpochMilli()));
    }

    @Test
    void publishesEachChangedRolloutOncePerIntervalWithItsLatestStatus() {
        RolloutAggregator aggregator = aggregator();
        MockProcessorContext<String, RolloutStatus> context = started(aggregator);
        emit(context); // a task's first publication: its store is empty
        for (int i = 0; i < 1_000; i++) {
            aggregator.process(created(i % 2 == 0 ? "a" : "b", i));
        }
        aggregator.process(new Record<>("a", RolloutEvent.manifest(500, T0, "a.csv"), 0L));

        assertThat(context.forwarded()).as("nothing before the interval ends").isEmpty();
        emit(context);

        assertThat(context.forwarded().stream().map(f -> (String) f.record().key()).toList()).containsExactly("a", "b");
        RolloutStatus a = context.forwarded().get(0).record().value();
        assertThat(a.total()).isEqualTo(500);
        assertThat(a.complete()).isTrue();
        assertThat(completed).extracting(RolloutStatus::rolloutId).containsExactly("a");

        context.resetForwards();
        emit(context);
        assertThat(context.forwarded()).as("nothing changed since").isEmpty();
        aggregator.process(created("b", 2_000));
        emit(context);
        assertThat(context.forwarded().stream().map(f -> (Long) f.record().value().total()).toList()).containsExactly(501L);
    }

    @Test
    void aTaskThatStartsPublishesEveryStatusItsPredecessorFoldedButMayNotHavePublished() {
        RolloutAggregator before = aggregator();
        started(before);
        before.process(created("a", 1));
        before.process(created("a", 2));
        before.close(); // stopped (or crashed) before its next publication

        RolloutAggregator after = aggregator();
        MockProcessorContext<String, RolloutStatus> context = started(after);
        emit(context);

        assertThat(context.forwarded()).hasSize(1);
        assertThat(context.forwarded().get(0).record().value().total()).isEqualTo(2);
        after.process(created("a", 3));
        context.resetForwards();
        emit(context);
        assertThat(context.forwarded().get(0).record().value().total()).as("from the store, not from zero").isEqualTo(3);
    }
}
