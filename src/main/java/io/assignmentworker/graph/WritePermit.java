package io.assignmentworker.graph;

/**
 * Whether the caller still wants a request's write sent. Graph asks it when the write's turn comes (before the
 * write uses budget) and again just before the bytes go, and knows nothing of why it answers as it does: the
 * caller decides (the intake stage, for one, from who owns the request's Kafka partition).
 */
@FunctionalInterface
public interface WritePermit {

    /** A permit that always says {@link Answer#GO}. */
    WritePermit ALWAYS = () -> Answer.GO;

    /** Asked before each write; cheap, and safe on any thread. */
    Answer ask();

    /** What a permit says of a write, now. */
    enum Answer {
        /** The write may be sent. */
        GO,
        /**
         * Not now: the write is not sent, and the request is tried again later without counting a try (the wait
         * is the caller's, not the request's fault). It fails with {@link WriteHeld} if its deadline passes.
         */
        WAIT,
        /**
         * Never: nothing more is sent for the request and it fails with {@link WriteWithdrawn}, which is not a
         * Graph failure: the request has no answer here.
         */
        WITHDRAWN
    }
}
