package io.assignmentworker.graph;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import org.junit.jupiter.api.Test;

class ConcurrencyLimitTest {

    private final ConcurrencyLimit limit = new ConcurrencyLimit(2);
    private final List<CompletableFuture<String>> calls = new ArrayList<>();

    private CompletableFuture<String> submit() {
        return limit.run(() -> {
            CompletableFuture<String> call = new CompletableFuture<>();
            calls.add(call);
            return call;
        });
    }

    @Test
    void startsNoMoreThanTheLimitAndTheRestInArrivalOrderAsSlotsFree() {
        CompletableFuture<String> first = submit();
        submit();
        CompletableFuture<String> third = submit();
        CompletableFuture<String> fourth = submit();

        assertThat(calls).hasSize(2);
        assertThat(limit.waiting()).isEqualTo(2);

        calls.get(0).complete("one");
        assertThat(first).isCompletedWithValue("one");
        assertThat(calls).hasSize(3);

        calls.get(2).complete("three");
        assertThat(third).isCompletedWithValue("three");
        assertThat(calls).hasSize(4);
        assertThat(fourth).isNotDone();
        assertThat(limit.running()).isEqualTo(2);
        assertThat(limit.waiting()).isZero();
    }

    @Test
    void aFailedOrThrowingCallFreesItsSlotAndPassesItsFailureOn() {
        CompletableFuture<String> throwing = limit.run(() -> {
            throw new IllegalStateException("bad request");
        });
        CompletableFuture<String> first = submit();
        CompletableFuture<String> second = submit();
        calls.get(0).completeExceptionally(new IllegalArgumentException("503"));

        assertThatThrownBy(throwing::join).isInstanceOf(CompletionException.class).hasRootCauseMessage("bad request");
        assertThatThrownBy(first::join).hasRootCauseMessage("503");
        assertThat(calls).hasSize(2);
        calls.get(1).complete("ok");
        assertThat(second).isCompletedWithValue("ok");
        assertThat(limit.running()).isZero();
    }

    @Test
    void manyWaitingCallsThatFinishAtOnceRunOneAfterAnotherWithoutDeepeningTheStack() {
        CompletableFuture<String> first = submit();
        submit();
        List<CompletableFuture<String>> vetoed = new ArrayList<>();
        for (int i = 0; i < 100_000; i++) {
            vetoed.add(limit.run(() -> CompletableFuture.failedFuture(new IllegalStateException("vetoed"))));
        }

        calls.get(0).complete("one"); // frees a slot: every vetoed call after it finishes at once

        assertThat(first).isCompletedWithValue("one");
        assertThat(vetoed).allMatch(CompletableFuture::isCompletedExceptionally);
        assertThat(limit.waiting()).isZero();
        assertThat(limit.running()).isEqualTo(1);
    }
}
