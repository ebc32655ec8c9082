package io.assignmentworker.intake;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.common.TopicPartition;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Lets partitions go the way their next owner needs: that owner must not write while this worker still does (it
 * would not see a create or an /assign that lands after it read the policy), so the leaving partitions' requests
 * that have not written send nothing, and those whose write was sent are waited for. Intake thread only.
 */
final class HandOver {

    private static final Logger log = LoggerFactory.getLogger(HandOver.class);
    /**
     * Beyond the request timeout, how long a write's request may take to finish once Graph answered (a batch reads
     * its write back) before its partition goes without it.
     */
    private static final Duration MARGIN = Duration.ofSeconds(5);

    private final PartitionLedger ledger;
    private final Duration wait;

    /**
     * @param graphRequestTimeout {@code worker.graph.request-timeout}: how long a write already sent may take to be
     *                            answered
     */
    HandOver(PartitionLedger ledger, Duration graphRequestTimeout) {
        this.ledger = ledger;
        this.wait = graphRequestTimeout.plus(MARGIN);
    }

    /**
     * Releases the partitions and waits, up to the request timeout and a margin, for the requests of exactly these
     * partitions that had begun to write; those that had not are aborted at once and handed to the next owner
     * uncommitted. Their outcomes are then queued for the publish that follows. Other partitions' work goes on.
     */
    void awaitWritesOf(Collection<TopicPartition> leaving) {
        List<CompletableFuture<Void>> settling = new ArrayList<>();
        int awaited = 0;
        for (TopicPartition partition : leaving) {
            PartitionProgress progress = ledger.progress(partition);
            if (progress != null) {
                settling.add(progress.release());
                awaited += progress.writes().awaited();
            }
        }
        if (awaited == 0) {
            return;
        }
        log.info("Waiting up to {} for {} writes to Graph of partitions {} before they go", wait, awaited, leaving);
        try {
            CompletableFuture.allOf(settling.toArray(CompletableFuture[]::new))
                    .get(wait.toMillis(), TimeUnit.MILLISECONDS);
        } catch (TimeoutException e) {
            log.warn("Writes to Graph still unanswered after {} while partitions {} go; their requests are not "
                    + "committed and will be read again by the next owner", wait, leaving);
        } catch (ExecutionException e) {
            log.warn("Waiting for the writes of partitions {} failed: {}", leaving, e.getCause().toString());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
