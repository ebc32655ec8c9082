package io.assignmentworker.intake;

import io.assignmentworker.outcome.OutcomeWriter;
import io.assignmentworker.topics.MissingTopics;
import java.time.Duration;
import java.util.function.Supplier;
import org.apache.kafka.clients.consumer.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.health.contributor.Health;

/**
 * Owns the thread that reads one {@link Feed} from Kafka and commits what became of its records.
 * A failure of the Kafka clients for good ({@link KafkaFailures}) fences the current {@link IntakeSession}, which
 * ends; a new one, with new clients, starts after a backoff: the worker never crash-loops and never skips a
 * record (uncommitted records are read again). Health is DOWN from the fence until the new session turns.
 */
final class IntakeLoop {

    private static final Logger log = LoggerFactory.getLogger(IntakeLoop.class);
    private static final Duration MAX_RESTART_BACKOFF = Duration.ofSeconds(30);
    private static final Duration STUCK = Duration.ofSeconds(90);
    private static final Duration FIRST_RESTART_BACKOFF = Duration.ofSeconds(1);
    /**
     * A session that lived this long before it was fenced had worked: the next restart waits the first backoff
     * again. One fenced sooner (authorization refused on its first poll or publish, say) doubles it.
     */
    private static final Duration WORKED = Duration.ofMinutes(1);
    private static final Duration FIRST_TOPIC_CHECK = Duration.ofSeconds(15);

    private final Feed feed;
    private final Duration sessionTimeout;
    private final Supplier<Consumer<byte[], byte[]>> consumers;
    private final Supplier<OutcomeWriter> writers;
    private final IntakeSession.Stages stages;
    private final IntakeProperties properties;
    private final MissingTopics topics;
    private final Runnable beforeFirstSession;
    private volatile boolean running;
    private volatile IntakeSession session;
    /** Why the last session ended while the loop was running; null before the first restart. */
    private volatile SessionState.Fenced lastFenced;
    private volatile int restarts;
    private Thread thread;

    /**
     * @param sessionTimeout     the consumers' {@code session.timeout.ms}
     * @param beforeFirstSession runs on the loop's thread before it first reads (waits for the group's strategies)
     */
    IntakeLoop(Feed feed, Supplier<Consumer<byte[], byte[]>> consumers, Supplier<OutcomeWriter> writers,
               IntakeSession.Stages stages, IntakeProperties properties, MissingTopics topics,
               Duration sessionTimeout, Runnable beforeFirstSession) {
        this.feed = feed;
        this.beforeFirstSession = beforeFirstSession;
        this.sessionTimeout = sessionTimeout;
        this.consumers = consumers;
        this.topics = topics;
        this.writers = writers;
        this.stages = stages;
        this.properties = properties;
        stages.metrics().intakeSessionRestartsAtZero(feed.metricLabel());
    }

    synchronized void start() {
        if (running) {
            return;
        }
        running = true;
        thread = new Thread(this::run, feed.threadName());
        thread.start();
    }

    private void run() {
        Duration backoff = FIRST_RESTART_BACKOFF;
        // Topics are checked and created on their own thread; this only waits, once and bounded, for that.
        topics.awaitFirstCheck(FIRST_TOPIC_CHECK);
        beforeFirstSession.run();
        while (running) {
            long started = System.nanoTime();
            SessionState ended = runSession();
            if (!running) {
                break;
            }
            if (Duration.ofNanos(System.nanoTime() - started).compareTo(WORKED) >= 0) {
                backoff = FIRST_RESTART_BACKOFF;
            }
            restarting(ended instanceof SessionState.Fenced fenced ? fenced
                    : new SessionState.Fenced(KafkaFailures.classify(new IllegalStateException(
                            "the session ended in state " + ended.name() + " while the worker runs"))), backoff);
            session = null; // health reads lastFenced from here on: DOWN, restarting
            sleep(backoff);
            backoff = backoff.multipliedBy(2).compareTo(MAX_RESTART_BACKOFF) > 0 ? MAX_RESTART_BACKOFF
                    : backoff.multipliedBy(2);
        }
        session = null;
    }

    /** One session, from its clients' creation to their close: how it ended ({@code Fenced} if it failed). */
    private SessionState runSession() {
        IntakeSession current = null;
        // Closed in reverse: the consumer first (its last revoke still publishes), then the writer.
        try (OutcomeWriter writer = writers.get();
             Consumer<byte[], byte[]> consumer = consumers.get();
             AutoCloseable clientMetrics = stages.metrics().kafkaClient(consumer)) {
            current = new IntakeSession(feed, consumer, writer, stages, properties, sessionTimeout);
            session = current;
            current.run(() -> running);
        } catch (Exception e) {
            // The clients could not be created (or closed): the first failure is the one that counts.
            if (current == null || !(current.state() instanceof SessionState.Fenced)) {
                log.error("Kafka clients of {} failed", feed.threadName(), e);
                return new SessionState.Fenced(KafkaFailures.classify(e));
            }
        }
        return current.state();
    }

    private void restarting(SessionState.Fenced fenced, Duration backoff) {
        KafkaFailures.Failure failure = fenced.failure();
        lastFenced = fenced;
        restarts++;
        stages.metrics().intakeSessionRestarted(feed.metricLabel(), failure.reason());
        // The session (or runSession) logged the failure with its stack trace.
        log.warn("Kafka session of {} ended ({}); records not committed will be read again. Restarting in {}",
                feed.threadName(), failure.describe(), backoff);
    }

    private static void sleep(Duration duration) {
        try {
            Thread.sleep(duration.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** Asks the loop to stop: it reads nothing more and lets requests under way finish (see {@link #awaitStopped}). */
    void signalStop() {
        Thread running;
        synchronized (this) {
            this.running = false;
            running = thread;
        }
        IntakeSession current = session;
        if (running != null && current != null) {
            current.wakeUp();
        }
    }

    void awaitStopped() {
        Thread running;
        synchronized (this) {
            running = thread;
        }
        if (running != null) {
            try {
                running.join(properties.shutdownGrace().plusSeconds(15).toMillis());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    boolean isRunning() {
        return running;
    }

    /**
     * Health: UP while a session turns; DOWN while it is fenced and ending, while the worker restarts its Kafka
     * clients, when it is stuck, and when it stops. {@code state} says which, {@code reason} why, and
     * {@code restarts} counts the sessions that ended since start.
     */
    Health health() {
        IntakeSession current = session;
        Health.Builder health = current == null ? notTurning() : turning(current);
        SessionState.Fenced fenced = lastFenced;
        if (fenced != null) {
            health.withDetail("lastFailure", fenced.failure().describe());
        }
        return health.withDetail("restarts", restarts).build();
    }

    private Health.Builder notTurning() {
        SessionState.Fenced fenced = lastFenced;
        if (!running) {
            return Health.down().withDetail("state", "STOPPED").withDetail("reason", "stopped");
        }
        if (fenced == null) {
            return Health.down().withDetail("state", "STARTING").withDetail("reason", "connecting to Kafka");
        }
        return Health.down().withDetail("state", "RESTARTING").withDetail("reason", fenced.failure().reason());
    }

    private Health.Builder turning(IntakeSession current) {
        SessionState state = current.state();
        if (state instanceof SessionState.Fenced fenced) {
            return Health.down().withDetail("state", state.name()).withDetail("reason", fenced.failure().reason())
                    .withDetail("failure", fenced.failure().describe());
        }
        if (!running || state == SessionState.DRAINING) {
            return Health.down().withDetail("state", state.name()).withDetail("reason", "stopping");
        }
        IntakeSession.Status status = current.status();
        var health = current.sinceLastTurn().compareTo(STUCK) < 0 ? Health.up()
                : Health.down().withDetail("reason",
                        "no poll for " + current.sinceLastTurn().toSeconds() + " s (broker unreachable?)");
        return health.withDetail("state", state.name())
                .withDetail("assignedPartitions", status.assignedPartitions())
                .withDetail("pausedPartitions", status.pausedPartitions())
                .withDetail("inFlight", status.inFlight());
    }

    /** Requests read but not yet committed with their outcome. */
    int inFlight() {
        IntakeSession current = session;
        return current == null ? 0 : current.inFlight();
    }

    long inFlightBytes() {
        IntakeSession current = session;
        return current == null ? 0 : current.inFlightBytes();
    }
}
