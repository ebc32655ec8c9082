package io.assignmentworker.emulator;

import io.assignmentworker.emulator.EmulatorStats.Operation;

/**
 * One Graph call as the emulator saw it, for tests that check when calls reached Graph rather than how many: that
 * a tenant sent nothing during its cool-down, or that two calls of one policy never overlapped.
 *
 * @param tenantId      the caller's tenant, or null when the call was not authenticated
 * @param operation     what the call was for
 * @param policyId      the policy id from the path, or null
 * @param status        the reply's HTTP status
 * @param arrivedNanos  {@link System#nanoTime()} when the call arrived, before any latency the emulator adds
 * @param answeredNanos {@link System#nanoTime()} just before the reply was sent
 */
public record GraphCall(String tenantId, Operation operation, String policyId, int status, long arrivedNanos,
                        long answeredNanos) {

    /** Whether this call and {@code other} were at Graph at the same time. */
    public boolean overlaps(GraphCall other) {
        return arrivedNanos < other.answeredNanos && other.arrivedNanos < answeredNanos;
    }
}
