package io.assignmentworker.intake;

import io.assignmentworker.outcome.OutcomeWriter;
import io.assignmentworker.topics.MissingTopics;
import java.time.Duration;
import java.util.function.Supplier;
import org.apache.kafka.clients.consumer.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Owns the thread that reads one {@link Feed} from Kafka and commits what became of its records.
 * A failure of the Kafka clients ends the current {@link IntakeSession} and starts a new one after a
 * backoff: the worker never crash-loops and never skips a record (uncommitted records are read again).
 */
final class IntakeLoop {

    private static final Logger log = LoggerFactory.getLogger(IntakeLoop.class);
    private static final Duration MAX_RESTART_BACKOFF = Duration.ofSeconds(30);
    private static final Duration STUCK = Duration.ofSeconds(90);
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
    private volatile String lastFailure;
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
        Duration backoff = Duration.ofSeconds(1);
        // Topics are checked and created on their own thread; this only waits, once and bounded, for that.
        topics.awaitFirstCheck(FIRST_TOPIC_CHECK);
        beforeFirstSession.run();
        while (running) {
            // Closed in reverse: the consumer first (its last revoke still publishes), then the writer.
            try (OutcomeWriter writer = writers.get();
                 Consumer<byte[], byte[]> consumer = consumers.get();
                 AutoCloseable clientMetrics = stages.metrics().kafkaClient(consumer)) {
                session = new IntakeSession(feed, consumer, writer, stages, properties, sessionTimeout);
                session.run(() -> running);
                backoff = Duration.ofSeconds(1);
            } catch (Exception e) {
                if (!running) {
                    break;
                }
                lastFailure = e.toString();
                log.error("Kafka session of {} failed; records not committed will be read again. Restarting in {}",
                        feed.threadName(), backoff, e);
                sleep(backoff);
                backoff = backoff.multipliedBy(2).compareTo(MAX_RESTART_BACKOFF) > 0 ? MAX_RESTART_BACKOFF
                        : backoff.multipliedBy(2);
            }
        }
        session = null;
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

    /** Health: UP while a session turns; DOWN while the worker restarts its Kafka clients or is stuck. */
    org.springframework.boot.health.contributor.Health health() {
        IntakeSession current = session;
        if (!running || current == null) {
            return org.springframework.boot.health.contributor.Health.down()
                    .withDetail("reason", running ? "connecting to Kafka (or restarting after a failure)" : "stopped")
                    .withDetail("lastFailure", String.valueOf(lastFailure)).build();
        }
        IntakeSession.Status status = current.status();
        var health = current.sinceLastTurn().compareTo(STUCK) < 0
                ? org.springframework.boot.health.contributor.Health.up()
                : org.springframework.boot.health.contributor.Health.down().withDetail("reason",
                        "no poll for " + current.sinceLastTurn().toSeconds() + " s (broker unreachable?)");
        return health.withDetail("assignedPartitions", status.assignedPartitions())
                .withDetail("pausedPartitions", status.pausedPartitions())
                .withDetail("inFlight", status.inFlight()).build();
    }

    /** Requests read but not yet committed with their outcome. */
    int inFlight() {
        IntakeSession current = session;
        return current == null ? 0 : current.inFlight();
    }
}
