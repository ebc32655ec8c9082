package io.assignmentworker.scheduling;

/**
 * The calls of one kind a tenant's lane made within the last window, so that no window ever holds more than a
 * given number of them, whenever they came: a lane that has been quiet may spend the whole window's budget at
 * once. Graph counts a call when it arrives, which the worker cannot see; it can see when the call was let go and
 * when its answer came back, and the arrival lies between the two. So a call counts as <em>in flight</em> (inside
 * every window) from the moment it is let go until its answer, and from then on at the time of its answer, which
 * is never earlier than its arrival. With that, at the moment a call is let go, every call that Graph could count
 * in the same window as this one is counted here. No margin for latency or jitter is needed, however slow or
 * uneven Graph's answers are.
 *
 * <p>Answers are counted in buckets of a hundredth of the window (memory does not grow with the budget; the
 * benchmark's budgets are a million calls a second). A bucket that reaches partly into the window counts in
 * whole, so a call is counted for up to one bucket longer than the window: never shorter.
 *
 * <p>Not thread-safe: its {@link TenantPace} holds the lock. Times are {@link System#nanoTime()} readings.
 */
final class WindowLog {

    private static final int BUCKETS = 100;

    private final long bucketNanos;
    /** One more bucket than the window spans, so the oldest bucket starts at or before {@code now - window}. */
    private final int[] answered = new int[BUCKETS + 1];
    private final long origin;
    private long newestBucket;
    private int inWindow;
    private int inFlight;

    WindowLog(long windowNanos, long now) {
        this.bucketNanos = Math.max(1, windowNanos / BUCKETS + (windowNanos % BUCKETS == 0 ? 0 : 1));
        this.origin = now;
    }

    /** Calls that count against a call let go at {@code now}: those in flight and those answered within the window. */
    int counted(long now) {
        advance(now);
        return inWindow + inFlight;
    }

    /**
     * Nanoseconds from {@code now} until fewer than {@code cap} calls count; 0 when fewer count now. When the calls
     * in flight alone reach {@code cap}, only an answer frees a place: {@link Long#MAX_VALUE}.
     */
    long nanosUntilBelow(int cap, long now) {
        int excess = counted(now) - cap + 1;
        if (excess <= 0) {
            return 0;
        }
        if (excess > inWindow) {
            return Long.MAX_VALUE;
        }
        for (long bucket = newestBucket - BUCKETS; bucket <= newestBucket; bucket++) {
            excess -= answered[slot(bucket)];
            if (excess <= 0) {
                // That bucket leaves the window once the newest bucket is BUCKETS + 1 past it.
                return origin + (bucket + BUCKETS + 1) * bucketNanos - now;
            }
        }
        throw new IllegalStateException("the window's buckets do not add up to its count");
    }

    /** A call let go at {@code now}. */
    void started() {
        inFlight++;
    }

    /** A call let go earlier was answered (or gave up) at {@code now}. */
    void answered(long now) {
        advance(now);
        inFlight = Math.max(0, inFlight - 1);
        answered[slot(newestBucket)]++;
        inWindow++;
    }

    private void advance(long now) {
        long bucket = Math.max(newestBucket, (now - origin) / bucketNanos);
        long emptied = Math.min(bucket - newestBucket, BUCKETS + 1L);
        for (long i = 1; i <= emptied; i++) {
            int slot = slot(newestBucket + i);
            inWindow -= answered[slot];
            answered[slot] = 0;
        }
        newestBucket = bucket;
    }

    private static int slot(long bucket) {
        return (int) Math.floorMod(bucket, (long) (BUCKETS + 1));
    }
}
