package io.assignmentworker.rollout;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import io.assignmentworker.metrics.WorkerMetrics;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.processor.PunctuationType;
import org.apache.kafka.streams.processor.api.MockProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.KeyValueStore;
import org.apache.kafka.streams.state.Stores;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.slf4j.LoggerFactory;
import tools.jackson.databind.json.JsonMapper;

/** What the aggregator keeps: at most max-tracked rollouts, and none created by a request that failed validation. */
class RolloutAggregatorBoundsTest {

    private static final Instant T0 = Instant.parse("2026-11-29T01:00:00Z");
    private static final Duration EMIT = Duration.ofMillis(500);

    private final KeyValueStore<String, RolloutStatus> store = Stores.keyValueStoreBuilder(
                    Stores.inMemoryKeyValueStore(RolloutAggregator.STORE), Serdes.String(),
                    new RolloutJson(JsonMapper.builder().build()).statusSerde())
            .withLoggingDisabled().build();
    private final SimpleMeterRegistry registry = new SimpleMeterRegistry();
    private final WorkerMetrics metrics = new WorkerMetrics(registry);
    private final RolloutCounts counts = new RolloutCounts();
    private final SteppingClock clock = new SteppingClock();
    private final ListAppender<ILoggingEvent> warnings = new ListAppender<>();
    private final Logger limitLog = (Logger) LoggerFactory.getLogger(TrackingLimit.class);

    RolloutAggregatorBoundsTest() {
        warnings.start();
        limitLog.addAppender(warnings);
    }

    @AfterEach
    void detachLog() {
        limitLog.detachAppender(warnings);
    }

    /** Each reading one second after the previous, so every update has its own updatedAt. */
    private static final class SteppingClock extends Clock {
        private Instant now = T0;

        @Override
        public Instant instant() {
            now = now.plusSeconds(1);
            return now;
        }

        @Override
        public ZoneId getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(ZoneId zone) {
            return this;
        }
    }

    private RolloutAggregator aggregator(int maxTracked) {
        return new RolloutAggregator(clock, Duration.ofDays(30), EMIT, new TrackingLimit(maxTracked, counts, metrics),
                status -> { });
    }

    private MockProcessorContext<String, RolloutStatus> started(RolloutAggregator aggregator) {
        MockProcessorContext<String, RolloutStatus> context = new MockProcessorContext<>();
        if (!store.isOpen()) {
            store.init(context.getStateStoreContext(), store);
        }
        context.addStateStore(store);
        aggregator.init(context);
        return context;
    }

    private static void emit(MockProcessorContext<String, RolloutStatus> context) {
        context.scheduledPunctuators().stream()
                .filter(p -> p.getType() == PunctuationType.WALL_CLOCK_TIME && p.getInterval().equals(EMIT))
                .forEach(p -> p.getPunctuator().punctuate(T0.toEpochMilli()));
    }

    private static Record<String, RolloutEvent> created(String rolloutId) {
        return new Record<>(rolloutId, new RolloutEvent("CREATED", false, null, T0, T0, null, null), 0L);
    }

    private static Record<String, RolloutEvent> failed(String rolloutId, String category) {
        return new Record<>(rolloutId, new RolloutEvent("FAILED", false, category, T0, T0, null, null), 0L);
    }

    private static Record<String, RolloutEvent> manifest(String rolloutId, int expected) {
        return new Record<>(rolloutId, RolloutEvent.manifest(expected, T0, rolloutId + ".csv"), 0L);
    }

    /** A rollout of one request, complete. */
    private static void complete(RolloutAggregator aggregator, String rolloutId) {
        aggregator.process(manifest(rolloutId, 1));
        aggregator.process(created(rolloutId));
    }

    /** What was forwarded: rolloutId → total, or null for a tombstone. */
    private static List<String> forwarded(MockProcessorContext<String, RolloutStatus> context) {
        List<String> keys = new ArrayList<>();
        context.forwarded().forEach(f -> keys.add(f.record().key() + (f.record().value() == null ? "=deleted" : "")));
        return keys;
    }

    private double counter(String name) {
        return registry.get(name).counter().count();
    }

    private long warningsContaining(String text) {
        return warnings.list.stream().filter(e -> e.getLevel() == Level.WARN)
                .filter(e -> e.getFormattedMessage().contains(text)).count();
    }

    @ParameterizedTest
    @ValueSource(strings = {"INVALID_REQUEST", "UNREADABLE_RECORD"})
    void aRequestThatFailedValidationCreatesNoRollout(String category) {
        RolloutAggregator aggregator = aggregator(10);
        MockProcessorContext<String, RolloutStatus> context = started(aggregator);

        aggregator.process(failed("made-up-by-the-sender", category));
        emit(context);

        assertThat(context.forwarded()).isEmpty();
        assertThat(store.get("made-up-by-the-sender")).isNull();
        assertThat(counts.tracked()).isZero();
    }

    @Test
    void aRequestThatFailedValidationCountsInARolloutThatExists() {
        RolloutAggregator aggregator = aggregator(10);
        MockProcessorContext<String, RolloutStatus> context = started(aggregator);

        aggregator.process(manifest("r", 2));
        aggregator.process(failed("r", "INVALID_REQUEST"));
        aggregator.process(created("r"));
        aggregator.process(failed("other", "NOT_FOUND"));
        emit(context);

        RolloutStatus r = store.get("r");
        assertThat(r.failedByCategory()).isEqualTo(Map.of("INVALID_REQUEST", 1L));
        assertThat(r.complete()).isTrue();
        assertThat(store.get("other")).as("a request that passed validation creates its rollout").isNotNull();
    }

    @Test
    void aRequestThatFailedValidationBeforeItsManifestCountsOnceTheRolloutExists() {
        RolloutAggregator aggregator = aggregator(10);
        MockProcessorContext<String, RolloutStatus> context = started(aggregator);

        aggregator.process(failed("manifest-last", "INVALID_REQUEST"));
        aggregator.process(created("manifest-last"));
        aggregator.process(manifest("manifest-last", 2));
        emit(context);

        RolloutStatus status = store.get("manifest-last");
        assertThat(status.failedByCategory()).isEqualTo(Map.of("INVALID_REQUEST", 1L));
        assertThat(status.complete()).isTrue();
    }

    @Test
    void remembersRejectedRequestsOfUnknownRolloutsForAFewRolloutIdsOnly() {
        RolloutAggregator aggregator = aggregator(10);
        MockProcessorContext<String, RolloutStatus> context = started(aggregator);

        aggregator.process(failed("first", "INVALID_REQUEST"));
        for (int i = 0; i < RolloutAggregator.REJECTED_HELD; i++) {
            aggregator.process(failed("made-up-" + i, "INVALID_REQUEST"));
        }
        aggregator.process(manifest("first", 1));
        aggregator.process(manifest("made-up-" + (RolloutAggregator.REJECTED_HELD - 1), 1));
        emit(context);

        assertThat(store.get("first").failed()).as("forgotten: the oldest of too many").isZero();
        assertThat(store.get("made-up-" + (RolloutAggregator.REJECTED_HELD - 1)).failed()).isEqualTo(1);
        assertThat(counts.tracked()).isEqualTo(2);
    }

    @Test
    void makesRoomForANewRolloutByForgettingTheLeastRecentlyUpdatedCompleteOne() {
        RolloutAggregator aggregator = aggregator(3);
        MockProcessorContext<String, RolloutStatus> context = started(aggregator);
        emit(context);
        complete(aggregator, "a");
        complete(aggregator, "b");
        aggregator.process(created("in-progress"));
        aggregator.process(created("a")); // a reused: now updated more recently than b
        emit(context);
        context.resetForwards();

        aggregator.process(created("new"));
        emit(context);

        assertThat(forwarded(context)).containsExactly("b=deleted", "new");
        assertThat(store.get("b")).isNull();
        assertThat(store.get("a")).isNotNull();
        assertThat(store.get("in-progress")).isNotNull();
        assertThat(counts.tracked()).isEqualTo(3);
        assertThat(counter(WorkerMetrics.ROLLOUTS_EVICTED)).isEqualTo(1);
        assertThat(warningsContaining("worker.rollouts.max-tracked (3)")).isEqualTo(1);
    }

    @Test
    void leavesANewRolloutUntrackedWhenEveryTrackedRolloutIsInProgress() {
        RolloutAggregator aggregator = aggregator(2);
        MockProcessorContext<String, RolloutStatus> context = started(aggregator);
        emit(context);
        aggregator.process(manifest("a", 10));
        aggregator.process(created("b"));

        for (int i = 0; i < 5; i++) {
            aggregator.process(created("c"));
        }
        aggregator.process(manifest("c", 5));
        aggregator.process(created("a"));
        emit(context);

        assertThat(store.get("c")).isNull();
        assertThat(store.get("a").total()).as("tracked rollouts keep counting").isEqualTo(1);
        assertThat(counts.tracked()).isEqualTo(2);
        assertThat(counter(WorkerMetrics.ROLLOUTS_UNTRACKED)).isEqualTo(6);
        assertThat(counter(WorkerMetrics.ROLLOUTS_EVICTED)).isZero();
        assertThat(warningsContaining("holds 2 rollouts, worker.rollouts.max-tracked (2)"))
                .as("one line for the crossing, not one per event").isEqualTo(1);
        assertThat(warningsContaining("Rollout c is not tracked")).as("rate-limited").isEqualTo(1);
    }

    @Test
    void aTaskThatStartsWithMoreRolloutsThanTheLimitForgetsCompleteOnesOldestFirst() {
        RolloutAggregator before = aggregator(10);
        started(before);
        complete(before, "b"); // the oldest: keys are read back in order a, b, c, d
        complete(before, "c");
        complete(before, "a");
        before.process(created("d"));
        before.process(created("e"));
        before.close();
        assertThat(counts.tracked()).as("a closed task counts nothing").isZero();

        RolloutAggregator after = aggregator(3);
        MockProcessorContext<String, RolloutStatus> context = started(after);
        emit(context);

        assertThat(forwarded(context)).containsExactlyInAnyOrder("b=deleted", "c=deleted", "a", "d", "e");
        assertThat(forwarded(context).subList(0, 2)).containsExactly("b=deleted", "c=deleted");
        assertThat(counts.tracked()).isEqualTo(3);

        context.resetForwards();
        RolloutAggregator lower = aggregator(1);
        after.close();
        context = started(lower);
        emit(context);
        assertThat(forwarded(context)).as("rollouts in progress are never forgotten early")
                .containsExactlyInAnyOrder("a=deleted", "d", "e");
        lower.process(created("f"));
        assertThat(store.get("f")).isNull();
    }

    @Test
    void countsWhatItHoldsAsItFoldsAndNothingOnceClosed() {
        RolloutAggregator aggregator = aggregator(10);
        MockProcessorContext<String, RolloutStatus> context = started(aggregator);
        aggregator.process(manifest("a", 10));
        aggregator.process(created("a"));
        aggregator.process(created("a"));
        aggregator.process(created("no-manifest"));
        complete(aggregator, "done");

        assertThat(counts.tracked()).isEqualTo(3);
        assertThat(counts.active()).isEqualTo(2);
        assertThat(counts.pending()).isEqualTo(8);

        aggregator.process(manifest("a", 2));
        assertThat(counts.active()).isEqualTo(1);
        assertThat(counts.pending()).isZero();
        aggregator.close();
        assertThat(counts.tracked()).isZero();
        assertThat(counts.active()).isZero();

        started(aggregator(10));
        assertThat(counts.tracked()).as("a task that starts counts its restored store").isEqualTo(3);
        assertThat(counts.active()).isEqualTo(1);
    }
}
