package io.assignmentworker.benchmark;

import io.assignmentworker.emulator.EmulatorStats.Operation;
import io.assignmentworker.emulator.GraphCall;
import io.assignmentworker.emulator.GraphEmulator;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;

/**
 * The most writes in any sliding window of a run, counted the way Intune's budget counts them: a window is
 * {@code (t − window, t]}, as the emulator's gate evicts a stamp exactly one window old.
 */
final class WriteWindow {

    private WriteWindow() {
    }

    /**
     * Writes the emulator's budget admitted (refused creates included: they spend the budget too) at or after
     * {@code sinceNanos}, most in any {@code window}. Taken at the gate's own instant, so for a budgeted tenant it
     * is at most the budget by construction: it checks the run's settings and the emulator, not the worker.
     */
    static int admitted(GraphEmulator graph, String tenant, long sinceNanos, Duration window) {
        return max(Arrays.stream(graph.admittedWriteNanos(tenant)).filter(t -> t >= sinceNanos).toArray(), window);
    }

    /**
     * Writes that arrived at Graph at or after {@code sinceNanos} (before the emulator's latency, whatever their
     * answer, 429s included), most in any {@code window}: what the worker's pacing sent. -1 when the emulator no
     * longer holds every call since then.
     */
    static int arrived(GraphEmulator graph, long sinceNanos, Duration window) {
        List<GraphCall> calls = graph.calls();
        // It keeps the last 20,000: complete when it dropped none, or when the oldest it kept was before the run.
        boolean covered = calls.isEmpty() || calls.get(0).answeredNanos() < sinceNanos
                || graph.stats().graphCalls() <= calls.size();
        if (!covered) {
            return -1;
        }
        long[] stamps = calls.stream()
                .filter(c -> c.operation() == Operation.CREATE || c.operation() == Operation.ASSIGN)
                .mapToLong(GraphCall::arrivedNanos).filter(t -> t >= sinceNanos).sorted().toArray();
        return max(stamps, window);
    }

    /** The most of these sorted instants (nanoseconds) within any {@code (t − window, t]}. */
    static int max(long[] sortedNanos, Duration window) {
        long length = window.toNanos();
        int most = 0;
        int first = 0;
        for (int last = 0; last < sortedNanos.length; last++) {
            while (sortedNanos[last] - sortedNanos[first] >= length) {
                first++;
            }
            most = Math.max(most, last - first + 1);
        }
        return most;
    }
}
