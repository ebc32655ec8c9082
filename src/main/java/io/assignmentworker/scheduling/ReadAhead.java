package io.assignmentworker.scheduling;

import java.time.Duration;
import java.util.function.LongSupplier;

/**
 * Whether reading further ahead of the writes would make them carry more. A policy's {@code /assign} can only
 * carry what was read, so while writes coalesce the intake reads as far as {@code worker.intake.max-in-flight}
 * lets it. While they go as one create per request with the budget to spare, a request read early only waits in
 * the worker for a connection, seconds at a time, long enough for the collector to move all it keeps to the old
 * generation (measured: docs/benchmarks.md, "CPU per request", sixth session); the intake then reads nearer.
 *
 * <p>Nearer only while batches went as creates with room to spare within the last {@code hold} (one budget
 * window), and none was coalesced in it: so a worker starts reading far, as it always did; a tenant whose budget
 * binds is never starved of reads by another tenant's creates; and requests held up by an outage (whose batches
 * were decided before it) do not keep the intake near once a window has passed without a new decision. Read
 * from the intake's threads, told from the scheduling stage's: two volatile words.
 */
public final class ReadAhead {

    private final long hold;
    private final LongSupplier nanoTime;
    private volatile long lastCreatedWithRoom;
    private volatile long lastCoalesced;

    ReadAhead(Duration hold, LongSupplier nanoTime) {
        this.hold = hold.toNanos();
        this.nanoTime = nanoTime;
        long never = nanoTime.getAsLong() - this.hold;
        this.lastCreatedWithRoom = never;
        this.lastCoalesced = never;
    }

    /** A batch is written with {@code /assign}, or waits because its tenant's budget binds. */
    void coalesced() {
        lastCoalesced = nanoTime.getAsLong();
    }

    /** A batch went as one create per request while its tenant's budget had room to spare. */
    void createdWithRoom() {
        lastCreatedWithRoom = nanoTime.getAsLong();
    }

    /** Whether the intake should read as far ahead as it may: see the class. */
    public boolean far() {
        long now = nanoTime.getAsLong();
        return now - lastCreatedWithRoom >= hold || now - lastCoalesced < hold;
    }
}
