package io.assignmentworker.intake;

import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.util.unit.DataSize;

/**
 * Reading requests from Kafka ({@code worker.intake.*}).
 *
 * @param maxRecordSize           a larger record value is unreadable: FAILED outcome and dead letter; default 64KB
 * @param maxNestingDepth         deeper JSON is unreadable; default 32
 * @param maxInFlightPerPartition how far past its last committed offset a partition may be read before it is
 *                                paused (back-pressure; also bounds the commit metadata); default 5000, at most 20000. A
 *                                policy's batch can only hold what was read, so this is what one write can carry
 *                                of a rollout whose policies share a partition
 * @param maxInFlight             requests under way across all partitions before every partition is paused;
 *                                default 20000
 * @param maxInFlightCreating     the same bound while the worker's writes go as one create per request with the
 *                                budget to spare, so that reading further ahead would fill no write and only make
 *                                requests wait (see {@code ReadAhead}); default 1000, never above
 *                                {@code maxInFlight}
 * @param maxInFlightBytes        what requests under way may keep on the heap, estimated, before every partition
 *                                is paused: the parsed request, the headers a forward carries on (at most 8 KiB)
 *                                and about 2 KiB around each; never the record itself; default 64MB
 * @param pollTimeout             longest wait in one poll; also how often finished outcomes are committed;
 *                                default 100 ms
 * @param shutdownGrace           on stop, how long requests under way may take to finish and be committed
 *                                before the rest is handed back to Kafka uncommitted; default 20 s
 * @param writeLease              a worker sends Graph writes only while its last poll returned less than this long
 *                                ago; after a longer gap (the process was paused) writes wait until Kafka has
 *                                confirmed which partitions it still owns. Keep it well below the consumer's
 *                                {@code session.timeout.ms}; default 5 s
 */
@ConfigurationProperties("worker.intake")
public record IntakeProperties(@DefaultValue("64KB") DataSize maxRecordSize,
                               @DefaultValue("32") int maxNestingDepth,
                               @DefaultValue("5000") int maxInFlightPerPartition,
                               @DefaultValue("20000") int maxInFlight,
                               @DefaultValue("1000") int maxInFlightCreating,
                               @DefaultValue("64MB") DataSize maxInFlightBytes,
                               @DefaultValue("100ms") Duration pollTimeout,
                               @DefaultValue("20s") Duration shutdownGrace,
                               @DefaultValue("5s") Duration writeLease) {

    static final int MAX_SPAN = 20_000;

    /** Requests that may be under way in all: see {@code maxInFlightCreating}. */
    int maxInFlight(boolean readFarAhead) {
        return readFarAhead ? maxInFlight : Math.min(maxInFlight, maxInFlightCreating);
    }

    public IntakeProperties {
        if (maxRecordSize.toBytes() < 1 || maxRecordSize.toBytes() > Integer.MAX_VALUE) {
            throw new IllegalArgumentException("worker.intake.max-record-size must be between 1B and 2GB, got "
                    + maxRecordSize);
        }
        if (maxNestingDepth < 3) {
            throw new IllegalArgumentException("worker.intake.max-nesting-depth must be at least 3, got "
                    + maxNestingDepth);
        }
        if (maxInFlightPerPartition < 1 || maxInFlightPerPartition > MAX_SPAN) {
            throw new IllegalArgumentException("worker.intake.max-in-flight-per-partition must be 1.." + MAX_SPAN
                    + ", got " + maxInFlightPerPartition);
        }
        if (maxInFlight < 1) {
            throw new IllegalArgumentException("worker.intake.max-in-flight must be at least 1, got " + maxInFlight);
        }
        if (maxInFlightCreating < 1) {
            throw new IllegalArgumentException("worker.intake.max-in-flight-creating must be at least 1, got "
                    + maxInFlightCreating);
        }
        if (maxInFlightBytes.toBytes() < 64 * 1024) {
            throw new IllegalArgumentException("worker.intake.max-in-flight-bytes must be at least 64KB, got "
                    + maxInFlightBytes);
        }
        if (writeLease == null || writeLease.compareTo(pollTimeout.multipliedBy(2)) < 0) {
            throw new IllegalArgumentException("worker.intake.write-lease must be at least twice "
                    + "worker.intake.poll-timeout, got " + writeLease);
        }
        if (pollTimeout.isNegative() || pollTimeout.isZero() || shutdownGrace.isNegative()) {
            throw new IllegalArgumentException("worker.intake.poll-timeout must be positive and "
                    + "worker.intake.shutdown-grace not negative");
        }
    }
}
