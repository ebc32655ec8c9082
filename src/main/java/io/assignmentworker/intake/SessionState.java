package io.assignmentworker.intake;

/**
 * Where one {@link IntakeSession} stands. It only moves forward: {@link Running} to {@link Draining} (stop was
 * asked: it reads nothing more and finishes what is under way) or to {@link Fenced}, and from {@link Draining}
 * to {@link Fenced} when its last publish fails for good. A fenced session reads nothing, sends no new Graph
 * write and publishes nothing; it ends, and its loop starts a new one.
 */
sealed interface SessionState {

    SessionState RUNNING = new Running();
    SessionState DRAINING = new Draining();

    /** For health: {@code RUNNING}, {@code DRAINING} or {@code FENCED}. */
    String name();

    /** Reads, writes to Graph and publishes. */
    record Running() implements SessionState {
        @Override
        public String name() {
            return "RUNNING";
        }
    }

    /** Stopping: reads nothing, lets requests under way finish and publishes them. */
    record Draining() implements SessionState {
        @Override
        public String name() {
            return "DRAINING";
        }
    }

    /** Can no longer publish (or read): {@code failure} says why. */
    record Fenced(KafkaFailures.Failure failure) implements SessionState {
        @Override
        public String name() {
            return "FENCED";
        }
    }
}
