package io.assignmentworker.process;

import io.assignmentworker.emulator.GraphEmulator;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * When Graph answered 429, to within 50 ms: a thread polls the emulator's counter. Tells whether throttling came
 * at the start of a run (workers warming up, connections opening), at its end, or anywhere.
 */
final class ThrottleWatch implements AutoCloseable {

    private static final Duration POLL = Duration.ofMillis(50);

    private final GraphEmulator emulator;
    private final List<Instant> throttledAt = new CopyOnWriteArrayList<>();
    private final Thread thread;

    private ThrottleWatch(GraphEmulator emulator) {
        this.emulator = emulator;
        this.thread = new Thread(this::watch, "throttle-watch");
        thread.setDaemon(true);
    }

    static ThrottleWatch start(GraphEmulator emulator) {
        ThrottleWatch watch = new ThrottleWatch(emulator);
        watch.thread.start();
        return watch;
    }

    private void watch() {
        long seen = emulator.stats().throttled();
        while (!Thread.currentThread().isInterrupted()) {
            for (long now = emulator.stats().throttled(); seen < now; seen++) {
                throttledAt.add(Instant.now());
            }
            try {
                Thread.sleep(POLL.toMillis());
            } catch (InterruptedException e) {
                return;
            }
        }
    }

    /** When each 429 was seen, in seconds after {@code start}, e.g. {@code [0.4, 17.9]}. */
    List<String> secondsAfter(Instant start) {
        return throttledAt.stream()
                .map(t -> String.format(Locale.ROOT, "%.1f", Duration.between(start, t).toMillis() / 1e3)).toList();
    }

    @Override
    public void close() {
        thread.interrupt();
        try {
            thread.join(1_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
