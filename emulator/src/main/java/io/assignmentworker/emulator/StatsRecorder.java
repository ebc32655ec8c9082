package io.assignmentworker.emulator;

import io.assignmentworker.emulator.EmulatorStats.InjectedFault;
import io.assignmentworker.emulator.EmulatorStats.Operation;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentLinkedDeque;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;

/** Lock-free counters behind {@link EmulatorStats}; LongAdder because many worker threads count at once. */
final class StatsRecorder {
    /** The calls kept for {@link #calls()}: enough for any test, bounded for long benchmark runs. */
    static final int CALLS_KEPT = 20_000;

    private final LongAdder graphCalls = new LongAdder();
    private final LongAdder throttled = new LongAdder();
    private final LongAdder tokensIssued = new LongAdder();
    private final LongAdder writesPerformed = new LongAdder();
    private final ConcurrentHashMap<String, LongAdder> counts = new ConcurrentHashMap<>();
    private final ConcurrentHashMap<InjectedFault, LongAdder> injected = new ConcurrentHashMap<>();
    private final ConcurrentLinkedDeque<GraphCall> calls = new ConcurrentLinkedDeque<>();

    void graphReply(Operation operation, int status) {
        graphCalls.increment();
        if (status == 429) {
            throttled.increment();
        }
        count(operation, status);
    }

    void graphCall(GraphCall call) {
        calls.addLast(call);
        // Approximate under contention, which is fine: the bound is against memory, not an exact count.
        if (calls.size() > CALLS_KEPT) {
            calls.pollFirst();
        }
    }

    /** The last {@link #CALLS_KEPT} Graph calls, oldest first. */
    List<GraphCall> calls() {
        return new ArrayList<>(calls);
    }

    void tokenReply(int status) {
        if (status == 200) {
            tokensIssued.increment();
        }
        count(Operation.TOKEN, status);
    }

    void writePerformed() {
        writesPerformed.increment();
    }

    void injected(InjectedFault fault) {
        injected.computeIfAbsent(fault, k -> new LongAdder()).increment();
    }

    EmulatorStats snapshot() {
        Map<String, Long> copy = new HashMap<>();
        counts.forEach((k, v) -> copy.put(k, v.sum()));
        Map<InjectedFault, Long> faults = new HashMap<>();
        injected.forEach((k, v) -> faults.put(k, v.sum()));
        return new EmulatorStats(graphCalls.sum(), copy, throttled.sum(), tokensIssued.sum(), writesPerformed.sum(),
                faults);
    }

    private void count(Operation operation, int status) {
        counts.computeIfAbsent(EmulatorStats.key(operation, status), k -> new LongAdder()).increment();
    }
}
