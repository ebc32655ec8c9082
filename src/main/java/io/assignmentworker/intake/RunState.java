package io.assignmentworker.intake;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Where one session stands ({@link SessionState}), shared by its parts: the rebalance callbacks and the publisher
 * fence it, the turn loop reads it. Written on the intake thread only; read by health from any thread. It only
 * moves forward, which this class, not its callers, makes sure of.
 */
final class RunState {

    /** Logged as the session: operators' filters and the process tests read the session's log lines. */
    private static final Logger log = LoggerFactory.getLogger(IntakeSession.class);

    private final String threadName;
    private volatile SessionState state = SessionState.RUNNING;

    RunState(String threadName) {
        this.threadName = threadName;
    }

    SessionState get() {
        return state;
    }

    boolean running() {
        return state == SessionState.RUNNING;
    }

    boolean draining() {
        return state == SessionState.DRAINING;
    }

    boolean fenced() {
        return state instanceof SessionState.Fenced;
    }

    /** Stop was asked: only a running session starts to drain. */
    void drain() {
        if (running()) {
            state = SessionState.DRAINING;
        }
    }

    /**
     * This session can no longer publish (or read): it sends nothing more and ends. Its consumer and producer are
     * not used again: a new session, with new ones, reads again what was not committed. The first failure counts.
     */
    void fence(KafkaFailures.Failure failure) {
        if (fenced()) {
            return;
        }
        state = new SessionState.Fenced(failure);
        log.error("Kafka session of {} fenced ({}): it reads, writes and publishes nothing more and ends; records "
                + "not committed will be read again", threadName, failure.reason(), failure.cause());
    }
}
