package io.assignmentworker.emulator;

import java.time.Duration;

/** Holds a worker thread for the configured latency, so slow-service scenarios cost the client real time. */
final class Latency {
    private final Dice dice;

    Latency(Dice dice) {
        this.dice = dice;
    }

    void pause(TenantBehaviour.LatencySpec spec) {
        Duration delay = dice.around(spec.mean(), spec.jitter());
        if (delay.isZero()) {
            return;
        }
        try {
            Thread.sleep(delay.toMillis(), (int) (delay.toNanos() % 1_000_000));
        } catch (InterruptedException e) {
            // Interrupted only when the emulator shuts down; answer at once and keep the flag for the pool.
            Thread.currentThread().interrupt();
        }
    }
}
