package io.assignmentworker.rollout;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.json.JsonMapper;

/** A rollout's status folded from its events, and its JSON. */
class RolloutStatusTest {

    private static final Instant T0 = Instant.parse("2026-11-28T21:00:00Z");
    private final RolloutJson json = new RolloutJson(JsonMapper.builder().build());

    private static RolloutEvent outcome(String status, boolean existed, String category, int second) {
        return new RolloutEvent(status, existed, category, T0.plusSeconds(second), T0.plusSeconds(second + 1), null,
                null);
    }

    @Test
    void countsOutcomesByKindAndIsCompleteWhenTheManifestsCountIsReached() {
        RolloutStatus status = RolloutStatus.empty("r", T0)
                .with(outcome("CREATED", false, null, 5), T0)
                .with(outcome("CREATED", true, null, 2), T0)
                .with(outcome("FAILED", false, "NOT_FOUND", 9), T0);
        assertThat(status.complete()).as("no manifest yet").isFalse();

        RolloutStatus done = status.with(RolloutEvent.manifest(3, T0, "r.csv"), T0);

        assertThat(done.total()).isEqualTo(3);
        assertThat(done.created()).isEqualTo(1);
        assertThat(done.alreadyExisted()).isEqualTo(1);
        assertThat(done.failedByCategory()).containsEntry("NOT_FOUND", 1L);
        assertThat(done.complete()).isTrue();
        assertThat(done.duration()).isEqualTo(Duration.ofSeconds(8));
        assertThat(done.description()).isEqualTo("r.csv");
    }

    @Test
    void readsResultsAndManifestsAsEventsOfTheirRollout() {
        var event = json.fromResult(("{\"requestId\":\"r/1\",\"rolloutId\":\"r\",\"status\":\"FAILED\","
                + "\"error\":{\"category\":\"FORBIDDEN\"},\"receivedAt\":\"2026-11-28T21:00:00Z\","
                + "\"completedAt\":\"2026-11-28T21:00:01Z\"}").getBytes(StandardCharsets.UTF_8)).orElseThrow();
        assertThat(event.getKey()).isEqualTo("r");
        assertThat(event.getValue().category()).isEqualTo("FORBIDDEN");

        assertThat(json.fromResult("{\"requestId\":null,\"rolloutId\":null,\"status\":\"FAILED\"}"
                .getBytes(StandardCharsets.UTF_8))).as("no rollout").isEmpty();
        assertThat(json.fromResult("not json".getBytes(StandardCharsets.UTF_8))).isEmpty();
        assertThat(json.fromManifest("r", "{\"expectedCount\":-1}".getBytes(StandardCharsets.UTF_8))).isEmpty();
        assertThat(json.fromManifest("r", "{\"expectedCount\":7}".getBytes(StandardCharsets.UTF_8)).orElseThrow()
                .getValue().expectedCount()).isEqualTo(7);
    }

    @Test
    void writesAndReadsBackTheSameStatus() {
        RolloutStatus status = RolloutStatus.empty("r", T0).with(outcome("FAILED", false, "THROTTLED", 1), T0)
                .with(RolloutEvent.manifest(10, T0, null), T0);

        assertThat(json.status(json.status(status))).isEqualTo(status);
    }
}
