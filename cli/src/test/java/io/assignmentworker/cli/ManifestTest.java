package io.assignmentworker.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.assignmentworker.rollout.RolloutLimits;
import java.time.Instant;
import org.junit.jupiter.api.Test;

/** The manifest the CLI publishes. */
class ManifestTest {

    @Test
    void cutsADescriptionLongerThanTheWorkerKeepsAsTheWorkerWould() {
        String longName = "wave-".repeat(200) + ".csv";

        Manifest manifest = new Manifest("r", 3, Instant.parse("2026-11-29T01:00:00Z"), longName);
        String published = RequestJson.MAPPER.readTree(manifest.json()).path("description").asString();

        assertThat(published).hasSize(RolloutLimits.MAX_DESCRIPTION_LENGTH).endsWith("…")
                .isEqualTo(RolloutLimits.description(longName));
    }

    @Test
    void keepsAnOrdinaryFileNameAsItIs() {
        assertThat(new Manifest("r", 3, Instant.EPOCH, "wave-1.csv").description()).isEqualTo("wave-1.csv");
    }
}
