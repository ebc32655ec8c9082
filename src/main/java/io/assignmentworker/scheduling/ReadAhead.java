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
 * <p>Far wins: for a {@code hold} (one budget window) after any sign that writes coalesce, and until the first
 * batch has gone as creates with room to spare. So a worker starts reading far, as it always did, and a tenant
 * whose budget binds is never starved of reads by another tenant's creates. Read from the intake's threads,
 * told from the scheduling stage's: its state is two volatile words, written only when they change or on a
 * coalesced write.
 */
public final class ReadAhead {

    private final long hold;
    private final LongSupplier nanoTime;
    private volatile boolean createdWithRoom;
    private volatile long lastCoalesced;

    ReadAhead(Duration hold, LongSupplier nanoTime) {
        this.hold = hold.toNanos();
        this.nanoTime = nanoTime;
        this.lastCoalesced = nanoTime.getAsLong() - this.hold;
    }

    /** A batch is written with {@code /assign}, or waits because its tenant's budget binds. */
    void coalesced() {
        lastCoalesced = nanoTime.getAsLong();
    }

    /** A batch went as one create per request while its tenant's budget had room to spare. */
    void createdWithRoom() {
        if (!createdWithRoom) {
            createdWithRoom = true;
        }
    }

    /** Whether the intake should read as far ahead as it may: see the class. */
    public boolean far() {
        return !createdWithRoom || nanoTime.getAsLong() - lastCoalesced < hold;
    }
}
