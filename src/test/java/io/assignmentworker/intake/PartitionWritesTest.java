package io.assignmentworker.intake;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.Test;

class PartitionWritesTest {

    @Test
    void abortsRequestsThatHaveNotBegunToWriteAtOnce() {
        PartitionWrites writes = new PartitionWrites();
        BooleanSupplier queued = writes.permit(7);
        BooleanSupplier reading = writes.permit(8);

        CompletableFuture<Void> settled = writes.release();

        assertThat(settled).as("nothing was written: the partition may go at once").isDone();
        assertThat(queued.getAsBoolean()).as("a queued request asking after the release").isFalse();
        assertThat(reading.getAsBoolean()).isFalse();
        assertThat(writes.owned()).isFalse();
    }

    @Test
    void waitsForExactlyTheRequestsWhoseWriteWasSent() {
        PartitionWrites writes = new PartitionWrites();
        BooleanSupplier sent = writes.permit(1);
        BooleanSupplier notYet = writes.permit(2);
        assertThat(sent.getAsBoolean()).as("the write goes").isTrue();
        assertThat(sent.getAsBoolean()).as("asked again just before the bytes leave").isTrue();

        CompletableFuture<Void> settled = writes.release();

        assertThat(writes.awaited()).isEqualTo(1);
        assertThat(settled).as("a write is in flight").isNotDone();
        assertThat(notYet.getAsBoolean()).as("the request that had not written").isFalse();
        assertThat(sent.getAsBoolean()).as("the writing request starts no further write").isFalse();
        writes.finished(2);
        assertThat(settled).as("the aborted request is not waited for").isNotDone();
        writes.finished(1);
        assertThat(settled).isDone();
        assertThat(writes.release()).as("released again: the same future").isSameAs(settled);
    }

    @Test
    void doesNotWaitForRequestsThatFinishedBeforeTheRelease() {
        PartitionWrites writes = new PartitionWrites();
        BooleanSupplier done = writes.permit(3);
        assertThat(done.getAsBoolean()).isTrue();
        writes.finished(3);

        assertThat(writes.release()).isDone();
    }

    @Test
    void releasingOnePartitionDoesNotWaitForAnother() {
        PartitionWrites revoked = new PartitionWrites();
        PartitionWrites kept = new PartitionWrites();
        assertThat(revoked.permit(1).getAsBoolean()).isTrue();
        BooleanSupplier keptWriting = kept.permit(1);
        assertThat(keptWriting.getAsBoolean()).isTrue();

        CompletableFuture<Void> settled = revoked.release();
        revoked.finished(1);

        assertThat(settled).as("only the revoked partition's write is waited for").isDone();
        assertThat(keptWriting.getAsBoolean()).as("the kept partition writes on").isTrue();
        assertThat(kept.permit(2).getAsBoolean()).isTrue();
    }

    /** Every request that was told yes is finished before the future completes, however the threads interleave. */
    @Test
    void neverSettlesWhileARequestToldToWriteIsUnfinished() throws Exception {
        ExecutorService threads = Executors.newFixedThreadPool(8);
        try {
            for (int round = 0; round < 200; round++) {
                PartitionWrites writes = new PartitionWrites();
                Set<Long> wroteUnfinished = ConcurrentHashMap.newKeySet();
                List<BooleanSupplier> permits = new ArrayList<>();
                for (long offset = 0; offset < 40; offset++) {
                    permits.add(writes.permit(offset));
                }
                CountDownLatch go = new CountDownLatch(1);
                List<CompletableFuture<?>> requests = new ArrayList<>();
                for (int i = 0; i < permits.size(); i++) {
                    long offset = i;
                    BooleanSupplier permit = permits.get(i);
                    requests.add(CompletableFuture.runAsync(() -> {
                        await(go);
                        if (permit.getAsBoolean()) {
                            wroteUnfinished.add(offset);
                            Thread.onSpinWait();
                            wroteUnfinished.remove(offset);
                        }
                        writes.finished(offset);
                    }, threads));
                }
                go.countDown();
                CompletableFuture<Void> settled = writes.release();
                settled.get(10, TimeUnit.SECONDS);
                assertThat(wroteUnfinished).as("requests told to write, unfinished when settled").isEmpty();
                CompletableFuture.allOf(requests.toArray(CompletableFuture[]::new)).get(10, TimeUnit.SECONDS);
            }
        } finally {
            threads.shutdownNow();
        }
    }

    private static void await(CountDownLatch latch) {
        try {
            latch.await();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
