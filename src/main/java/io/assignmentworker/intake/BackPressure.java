package io.assignmentworker.intake;

import java.util.Collection;
import java.util.HashSet;
import java.util.Set;
import java.util.function.BooleanSupplier;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.common.TopicPartition;

/**
 * Pauses the partitions that have too much under way, and resumes them once they have less: too many requests or
 * bytes in all ({@code worker.intake.max-in-flight}, {@code max-in-flight-bytes}) pauses every partition, too long
 * a span of one partition ({@code max-in-flight-per-partition}) pauses that one. "Too many" is
 * {@code max-in-flight-creating} while the scheduling stage says reading far ahead fills no write
 * ({@code ReadAhead}). Intake thread only, except {@link #inFlightBytes}.
 */
final class BackPressure {

    private final Consumer<byte[], byte[]> consumer;
    private final PartitionLedger ledger;
    private final IntakeProperties properties;
    private final BooleanSupplier readFarAhead;
    private final Set<TopicPartition> paused = new HashSet<>();
    /** Counted on the intake thread, read by health and metrics. */
    private volatile long inFlightBytes;

    BackPressure(Consumer<byte[], byte[]> consumer, PartitionLedger ledger, IntakeProperties properties,
                 BooleanSupplier readFarAhead) {
        this.readFarAhead = readFarAhead;
        this.consumer = consumer;
        this.ledger = ledger;
        this.properties = properties;
    }

    /** @param read false while draining: every partition pauses, nothing more is read */
    void apply(boolean read) {
        int total = ledger.countInFlight();
        long bytes = ledger.inFlightBytes();
        inFlightBytes = bytes;
        boolean allFull = !read || total >= properties.maxInFlight(readFarAhead.getAsBoolean())
                || bytes >= properties.maxInFlightBytes().toBytes();
        Set<TopicPartition> pause = new HashSet<>();
        Set<TopicPartition> resume = new HashSet<>();
        ledger.forEach((partition, progress) -> {
            boolean full = allFull || progress.span() >= properties.maxInFlightPerPartition();
            if (full && !paused.contains(partition)) {
                pause.add(partition);
            } else if (!full && paused.contains(partition)) {
                resume.add(partition);
            }
        });
        if (!pause.isEmpty()) {
            consumer.pause(pause);
            paused.addAll(pause);
        }
        if (!resume.isEmpty()) {
            consumer.resume(resume);
            paused.removeAll(resume);
        }
    }

    /** The partitions were assigned afresh, or left: the consumer no longer holds them paused. */
    void forget(Collection<TopicPartition> partitions) {
        paused.removeAll(partitions);
    }

    int pausedCount() {
        return paused.size();
    }

    /** The bytes requests under way keep, as last counted (see {@link InFlightSize}); read from any thread. */
    long inFlightBytes() {
        return inFlightBytes;
    }
}
