package io.assignmentworker.intake;

import java.time.Duration;
import java.util.function.IntSupplier;
import java.util.function.LongSupplier;
import org.apache.kafka.common.KafkaException;

/**
 * How many partitions one topic has, as the consumer's metadata says: read on first use and kept (a lookup reads
 * the client's metadata cache, but waits for a broker round trip when the topic is not in it). Read again when a
 * record suggests the count changed, at most once a second, so a burst of such records costs one lookup. Used on
 * the intake thread only.
 */
final class PartitionCount {

    static final Duration MIN_REREAD = Duration.ofSeconds(1);

    private final IntSupplier lookup;
    private final LongSupplier nanoTime;
    private int count;
    private long readAtNanos;
    private boolean known;

    /** @param lookup the topic's partition count from the client's metadata: {@code partitionsFor(topic).size()} */
    PartitionCount(IntSupplier lookup, LongSupplier nanoTime) {
        this.lookup = lookup;
        this.nanoTime = nanoTime;
    }

    PartitionCount(IntSupplier lookup) {
        this(lookup, System::nanoTime);
    }

    /** The count last read (read now if it never was). */
    int current() {
        if (!known) {
            read();
        }
        return count;
    }

    /** The count read again, unless it was read less than {@link #MIN_REREAD} ago. */
    int reread() {
        if (!known || nanoTime.getAsLong() - readAtNanos >= MIN_REREAD.toNanos()) {
            read();
        }
        return count;
    }

    /** A topic without partitions cannot be checked against: failing the session re-reads its records later. */
    private void read() {
        int read = lookup.getAsInt();
        if (read < 1) {
            throw new KafkaException("no partitions known for a topic the worker reads; its records are read again");
        }
        count = read;
        readAtNanos = nanoTime.getAsLong();
        known = true;
    }
}
