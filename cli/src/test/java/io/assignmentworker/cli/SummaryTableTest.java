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
}
