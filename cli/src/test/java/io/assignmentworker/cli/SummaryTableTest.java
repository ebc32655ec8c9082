package io.assignmentworker.cli;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class SummaryTableTest {

    @Test
    void printsRolloutIdsAndDescriptionsFromTheTopicWithoutTheirControlCharacters() {
        RolloutView view = RolloutView.empty("wave-1\u001b]0;owned\u0007", 10L,
                "pilot\u001b[2J\u001b[H\r\nfake line \u202Egnp.exe", false);

        String headline = SummaryTable.headline(view);

        assertThat(headline).doesNotContain("\u001b").doesNotContain("\u0007").doesNotContain("\r")
                .doesNotContain("\n").doesNotContain("\u202E")
                .startsWith("Rollout wave-1?]0;owned? (pilot?[2J?[H??fake line ?gnp.exe)");
    }

    @Test
    void coloursCreatedGreenAndFailedRedOnlyWhenAsked() {
        RolloutView view = new RolloutView("r-1", 3L, 3, 2, 0, 1, 0, 0, 0, java.util.Map.of("NOT_FOUND", 1L), null, true, null,
                false);
        var plain = new java.io.ByteArrayOutputStream();
        var coloured = new java.io.ByteArrayOutputStream();

        SummaryTable.print(new java.io.PrintStream(plain, true), view, "results", false);
        SummaryTable.print(new java.io.PrintStream(coloured, true), view, "results", true);

        assertThat(plain.toString()).doesNotContain("\u001B[");
        assertThat(coloured.toString()).contains("\u001B[32m  CREATED (new)").contains("\u001B[31m  FAILED NOT_FOUND")
                .doesNotContain("\u001B[32m  CREATED (already existed)");
    }
}
