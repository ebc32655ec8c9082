package io.assignmentworker.scheduling;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

class PolicySequencerTest {

    private static final CompletableFuture<Void> DONE = CompletableFuture.completedFuture(null);

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

    @Test
    void runsEachPolicysWorkOneAtATimeInOrderWhenSubmissionsAndCompletionsComeFromManyThreads() {
        int policies = 4;
        int perPolicy = 500;
        ExecutorService submitters = Executors.newFixedThreadPool(policies);
        ExecutorService completers = Executors.newFixedThreadPool(4);
        try {
            List<List<Integer>> started = IntStream.range(0, policies)
                    .mapToObj(p -> Collections.synchronizedList(new ArrayList<Integer>())).toList();
            List<AtomicInteger> running = IntStream.range(0, policies).mapToObj(p -> new AtomicInteger()).toList();
            AtomicInteger mostAtOnce = new AtomicInteger();
            // Each policy's first work holds the rest back until every submission is in, so the queues are full
            // when completions start, and from then on every completion comes from a pool thread.
            CompletableFuture<Void> release = new CompletableFuture<>();
            CountDownLatch go = new CountDownLatch(1);
            List<CompletableFuture<List<CompletableFuture<Integer>>>> submitted = IntStream.range(0, policies)
                    .mapToObj(p -> CompletableFuture.supplyAsync(() -> {
                        awaitQuietly(go);
                        List<CompletableFuture<Integer>> results = new ArrayList<>();
                        for (int i = 0; i < perPolicy; i++) {
                            int n = i;
                            results.add(sequencer.submit("t/p" + p, () -> {
                                mostAtOnce.accumulateAndGet(running.get(p).incrementAndGet(), Math::max);
                                started.get(p).add(n);
                                CompletableFuture<Void> after = n == 0 ? release : DONE;
                                return after.thenApplyAsync(ignored -> {
                                    running.get(p).decrementAndGet();
                                    return n;
                                }, completers);
                            }));
                        }
                        return results;
                    }, submitters)).toList();
            go.countDown();
            List<CompletableFuture<Integer>> results = submitted.stream()
                    .flatMap(each -> each.orTimeout(30, TimeUnit.SECONDS).join().stream())
                    .toList();
            assertThat(started).allSatisfy(policy -> assertThat(policy).containsExactly(0));

            release.complete(null);

            assertThat(CompletableFuture.allOf(results.toArray(CompletableFuture[]::new)))
                    .succeedsWithin(Duration.ofSeconds(30));
            assertThat(mostAtOnce).as("never two of a policy's works at once").hasValue(1);
            List<Integer> inOrder = IntStream.range(0, perPolicy).boxed().toList();
            assertThat(started).allSatisfy(policy -> assertThat(policy).isEqualTo(inOrder));
        } finally {
            submitters.shutdownNow();
            completers.shutdownNow();
        }
    }

    private static void awaitQuietly(CountDownLatch latch) {
        try {
            latch.await();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
