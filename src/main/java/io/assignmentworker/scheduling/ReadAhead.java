package io.assignmentworker.scheduling;

import java.time.Duration;
import java.util.function.BooleanSupplier;
import java.util.function.LongSupplier;

/**
 * Whether reading further ahead of the writes would make them carry more. A policy's {@code /assign} can only
 * carry what was read, so while writes coalesce the intake reads as far as {@code worker.intake.max-in-flight}
 * lets it. While they go as one create per request with the budget to spare, a request read early only waits in
 * the worker for a connection, seconds at a time, long enough for the collector to move all it keeps to the old
 * generation (measured: docs/benchmarks.md, "CPU per request", sixth session); the intake then reads nearer.
 *
 * <p>Nearer only while all of these hold, so that reading nearer never holds anything back:
 * <ul>
 *   <li>a batch went as creates with room to spare within the last {@link #CREATES_HOLD}: a worker starts reading
 *       far, as it always did, and one idle for that long reads far again;</li>
 *   <li>no batch was coalesced within the last {@code coalescedHold} (one budget window), nor waited because its
 *       tenant's budget binds: a tenant whose writes coalesce is never starved of reads by another's creates;</li>
 *   <li>no tenant is held back by an outage or a cool-down: the requests it holds would otherwise fill the nearer
 *       bound and keep every other tenant's requests unread until they end.</li>
 * </ul>
 * Read from the intake's threads, told from the scheduling stage's.
 */
public final class ReadAhead {

    /** How long after its last batch of creates with room to spare a worker still reads nearer. */
    static final Duration CREATES_HOLD = Duration.ofMinutes(1);

    private static final long CREATES_HOLD_NANOS = CREATES_HOLD.toNanos();

    private final long coalescedHold;
    private final LongSupplier nanoTime;
    private final BooleanSupplier anyTenantHeldBack;
    private volatile long lastCreatedWithRoom;
    private volatile long lastCoalesced;

    /**
     * @param coalescedHold     how long after a coalesced batch the intake reads far
     * @param anyTenantHeldBack whether any tenant's calls wait out an outage or a cool-down
     */
    ReadAhead(Duration coalescedHold, LongSupplier nanoTime, BooleanSupplier anyTenantHeldBack) {
        this.coalescedHold = coalescedHold.toNanos();
        this.nanoTime = nanoTime;
        this.anyTenantHeldBack = anyTenantHeldBack;
        long now = nanoTime.getAsLong();
        this.lastCreatedWithRoom = now - CREATES_HOLD_NANOS;
        this.lastCoalesced = now - this.coalescedHold;
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
        return now - lastCreatedWithRoom >= CREATES_HOLD_NANOS || now - lastCoalesced < coalescedHold
                || anyTenantHeldBack.getAsBoolean();
    }
}
