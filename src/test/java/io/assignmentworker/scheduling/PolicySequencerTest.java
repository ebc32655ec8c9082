package io.assignmentworker.scheduling;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;

class PolicySequencerTest {

    private final PolicySequencer sequencer = new PolicySequencer();

    @Test
    void tenThousandQueuedRequestsOfOnePolicyThatCompleteAtOnceRunInOrderWithoutNesting() {
        CompletableFuture<Integer> first = new CompletableFuture<>();
        List<Integer> started = new ArrayList<>();
        List<CompletableFuture<Integer>> results = new ArrayList<>();
        results.add(sequencer.submit("t/p", () -> {
            started.add(0);
            return first;
        }));
        for (int i = 1; i < 10_000; i++) {
            int n = i;
            // Answered without waiting (a cached answer, a vetoed write): completes as it starts.
            results.add(sequencer.submit("t/p", () -> {
                started.add(n);
                return CompletableFuture.completedFuture(n);
            }));
        }
        assertThat(started).containsExactly(0);

        first.complete(0);

        assertThat(results).allSatisfy(result -> assertThat(result).isCompleted().isNotCompletedExceptionally());
        assertThat(started).hasSize(10_000).isSorted();
        assertThat(results.get(9_999).join()).isEqualTo(9_999);
    }

    @Test
    void runsOnePolicyAtATimeAndOthersAlongside() {
        CompletableFuture<String> a = new CompletableFuture<>();
        List<String> started = new ArrayList<>();
        sequencer.submit("t/a", () -> {
            started.add("a1");
            return a;
        });
        sequencer.submit("t/a", () -> {
            started.add("a2");
            return CompletableFuture.completedFuture("a2");
        });
        sequencer.submit("t/b", () -> {
            started.add("b1");
            return CompletableFuture.completedFuture("b1");
        });

        assertThat(started).containsExactly("a1", "b1");
        a.complete("a1");
        assertThat(started).containsExactly("a1", "b1", "a2");
    }
}
