package io.assignmentworker.emulator;

import java.util.ArrayDeque;
import java.util.Iterator;

/**
 * Timestamps of the calls admitted in the last window. Not thread-safe: {@link ThrottleGate} guards it, because a
 * write must be checked against two windows atomically.
 */
final class SlidingWindow {
    private final ArrayDeque<Long> admitted = new ArrayDeque<>();

    /** Nanoseconds until one more call fits under {@code budget}; 0 when it fits now. */
    long nanosUntilFree(long now, int budget, long windowNanos) {
        if (budget == EmulatorSettings.UNLIMITED) {
            return 0;
        }
        evictOlderThan(now - windowNanos);
        int excess = admitted.size() - budget;
        if (excess < 0) {
            return 0;
        }
        // The budget may have been lowered at runtime, so more than one stamp may have to leave the window.
        Iterator<Long> oldestFirst = admitted.iterator();
        for (int i = 0; i < excess; i++) {
            oldestFirst.next();
        }
        return oldestFirst.next() + windowNanos - now;
    }

    void admit(long now, int budget) {
        // An unlimited budget keeps no stamps, so benchmarks at high rates do not grow the deque.
        if (budget != EmulatorSettings.UNLIMITED) {
            admitted.addLast(now);
        }
    }

    private void evictOlderThan(long cutoff) {
        while (!admitted.isEmpty() && admitted.peekFirst() <= cutoff) {
            admitted.removeFirst();
        }
    }
}
