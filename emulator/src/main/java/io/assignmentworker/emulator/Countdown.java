package io.assignmentworker.emulator;

import java.util.concurrent.atomic.AtomicInteger;

/** How many more times a one-shot fault is to be injected; concurrent calls each take at most one. */
final class Countdown {
    private final String name;
    private final AtomicInteger left = new AtomicInteger();

    Countdown(String name) {
        this.name = name;
    }

    /** Replaces what is left; 0 clears it. */
    void set(int count) {
        if (count < 0) {
            throw new IllegalArgumentException(name + " count must not be negative");
        }
        left.set(count);
    }

    int left() {
        return left.get();
    }

    /** Takes one if any is left, and says whether it did. */
    boolean take() {
        return left.getAndUpdate(n -> n > 0 ? n - 1 : 0) > 0;
    }
}
