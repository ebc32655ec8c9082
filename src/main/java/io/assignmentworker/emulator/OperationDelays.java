package io.assignmentworker.emulator;

import io.assignmentworker.emulator.EmulatorStats.Operation;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Extra latency for one kind of Graph call, set at run time: e.g. a slow {@code /assign} while reads stay fast, to
 * make one write land long after it was sent. Spent before the call takes effect (like the tenant's latency), on
 * calls that arrive while it is set; calls already waiting keep their delay when it is changed.
 */
public final class OperationDelays {

    private final Map<Operation, Duration> delays = new ConcurrentHashMap<>();
    private final Map<Operation, AtomicInteger> delayed = new ConcurrentHashMap<>();

    /** Calls of {@code operation} arriving from now on wait {@code delay} first; zero ends it. */
    public void set(Operation operation, Duration delay) {
        if (delay.isZero() || delay.isNegative()) {
            delays.remove(operation);
        } else {
            delays.put(operation, delay);
        }
    }

    /** How many calls of {@code operation} have been delayed so far (counted as they arrive). */
    public int delayedCalls(Operation operation) {
        AtomicInteger count = delayed.get(operation);
        return count == null ? 0 : count.get();
    }

    void pause(Operation operation) {
        Duration delay = operation == null ? null : delays.get(operation);
        if (delay == null) {
            return;
        }
        delayed.computeIfAbsent(operation, o -> new AtomicInteger()).incrementAndGet();
        try {
            Thread.sleep(delay.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
