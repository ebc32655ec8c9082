package io.assignmentworker.emulator;

import io.assignmentworker.emulator.EmulatorStats.Operation;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Holds one kind of Graph call back at run time: e.g. {@code /assign} calls that arrive while caught wait, before
 * they take effect, until {@link #release} (or their time is up), while reads and later calls stay fast. A test
 * makes particular writes land exactly when it wants, long after they were sent.
 */
public final class OperationDelays {

    private static final class Gate {
        final CountDownLatch open = new CountDownLatch(1);
        final Duration atMost;
        volatile boolean catching = true;

        Gate(Duration atMost) {
            this.atMost = atMost;
        }
    }

    private final Map<Operation, Gate> gates = new ConcurrentHashMap<>();
    private final Map<Operation, AtomicInteger> held = new ConcurrentHashMap<>();

    /** Calls of {@code operation} arriving from now on wait until {@link #release} or {@code atMost}. */
    public void holdBack(Operation operation, Duration atMost) {
        gates.put(operation, new Gate(atMost));
    }

    /** Calls of {@code operation} arriving from now on pass at once; those held so far wait for {@link #release}. */
    public void letNewCallsThrough(Operation operation) {
        Gate gate = gates.get(operation);
        if (gate != null) {
            gate.catching = false;
        }
    }

    /** Lets the held calls of {@code operation} go on, and those arriving from now on pass at once. */
    public void release(Operation operation) {
        Gate gate = gates.remove(operation);
        if (gate != null) {
            gate.open.countDown();
        }
    }

    /** How many calls of {@code operation} have been held back so far (counted as they arrive). */
    public int heldCalls(Operation operation) {
        AtomicInteger count = held.get(operation);
        return count == null ? 0 : count.get();
    }

    void pause(Operation operation) {
        Gate gate = operation == null ? null : gates.get(operation);
        if (gate == null || !gate.catching) {
            return;
        }
        held.computeIfAbsent(operation, o -> new AtomicInteger()).incrementAndGet();
        try {
            gate.open.await(gate.atMost.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
