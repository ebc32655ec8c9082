package io.assignmentworker.topics;

import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Supplier;
import org.apache.kafka.clients.admin.Admin;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.SmartLifecycle;

/**
 * Makes sure the worker's topics exist (requests, results, dead letters, by-policy, strategies, rollouts, rollout
 * manifests), creating the missing ones if {@code worker.topics.create-missing}. It checks once at start-up on its
 * own thread and, until every topic exists, again in the background with a growing pause; nothing else calls the
 * Kafka admin API, so a slow or refusing broker never holds up the intake's polls. Its {@link #state()} is what
 * {@code /actuator/health/topics} shows; a failure is logged once per distinct reason, then quietly retried.
 */
public final class MissingTopics implements SmartLifecycle {

    private static final Logger log = LoggerFactory.getLogger(MissingTopics.class);
    /** How long one check may wait for the broker: it runs on its own thread, so only it waits. */
    static final Duration ATTEMPT_TIMEOUT = Duration.ofSeconds(15);

    private final TopicCheck check;
    private final Duration firstRetry;
    private final Duration maxRetry;
    private final CompletableFuture<Void> firstCheck = new CompletableFuture<>();
    private final List<Waiter> waiters = new ArrayList<>();
    private volatile TopicsState state = new TopicsState.Pending();
    private volatile boolean running;
    private Thread thread;

    private record Waiter(Set<String> names, CompletableFuture<Void> exist) {
    }

    /** @param admins opens an admin client for one check (closed after it) */
    MissingTopics(TopicsProperties topics, Supplier<Admin> admins, Clock clock, Duration firstRetry,
                  Duration maxRetry) {
        this.check = new TopicCheck(topics, admins, ATTEMPT_TIMEOUT, clock);
        this.firstRetry = firstRetry;
        this.maxRetry = maxRetry;
    }

    @Override
    public synchronized void start() {
        if (running) {
            return;
        }
        running = true;
        thread = new Thread(this::checkUntilAllExist, "topics");
        thread.setDaemon(true);
        thread.start();
    }

    @Override
    public void stop() {
        Thread current;
        synchronized (this) {
            running = false;
            current = thread;
        }
        if (current != null) {
            current.interrupt();
        }
    }

    @Override
    public boolean isRunning() {
        return running;
    }

    /** Before the strategies reader and rollout tracking (both read these topics), and so before the intake. */
    @Override
    public int getPhase() {
        return SmartLifecycle.DEFAULT_PHASE - 300;
    }

    public TopicsState state() {
        return state;
    }

    /**
     * Waits, at most {@code max}, for the first check to end (whatever it found). The intake calls this once before
     * it first subscribes, so the worker's settings (partitions, compaction), not a broker's auto-creation, make
     * the topics on a fresh cluster; it never calls the admin API itself.
     */
    public void awaitFirstCheck(Duration max) {
        try {
            firstCheck.get(max.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (ExecutionException | TimeoutException e) {
            log.info("Topics not checked within {}; reading anyway (the check goes on in the background)", max);
        }
    }

    /** Completes once a check has found all these topics (whether or not the worker's other topics exist). */
    public CompletableFuture<Void> whenExist(Collection<String> names) {
        Waiter waiter = new Waiter(Set.copyOf(names), new CompletableFuture<>());
        synchronized (waiters) {
            if (state.exist(waiter.names())) {
                return CompletableFuture.completedFuture(null);
            }
            waiters.add(waiter);
        }
        return waiter.exist();
    }

    private void checkUntilAllExist() {
        Duration pause = firstRetry;
        TopicsState.Failed lastLogged = null;
        while (running) {
            TopicsState found;
            try {
                found = check.run();
            } catch (InterruptedException stopping) {
                break;
            }
            publish(found);
            firstCheck.complete(null);
            if (found instanceof TopicsState.Ready) {
                log.info("All the worker's topics exist{}", lastLogged == null ? "" : " now");
                return;
            }
            if (found instanceof TopicsState.Failed failed) {
                lastLogged = logOnce(failed, lastLogged, pause);
            }
            if (!sleep(pause)) {
                break;
            }
            pause = pause.multipliedBy(2).compareTo(maxRetry) > 0 ? maxRetry : pause.multipliedBy(2);
        }
        firstCheck.complete(null);
    }

    private void publish(TopicsState found) {
        state = found;
        synchronized (waiters) {
            for (var it = waiters.iterator(); it.hasNext(); ) {
                Waiter waiter = it.next();
                if (found.exist(waiter.names())) {
                    waiter.exist().complete(null);
                    it.remove();
                }
            }
        }
    }

    /** Loud once per distinct problem; the same problem again is only worth a debug line. */
    private static TopicsState.Failed logOnce(TopicsState.Failed failed, TopicsState.Failed lastLogged,
                                              Duration pause) {
        if (lastLogged != null && lastLogged.reason().equals(failed.reason())
                && lastLogged.missing().equals(failed.missing())) {
            log.debug("Topics still missing ({}); checking again in {}", failed.reason(), pause);
            return lastLogged;
        }
        log.warn("{}{}. Checking again in {}, then less often (said again only if this changes); rollout "
                + "tracking waits for its topics; /actuator/health/topics shows the state.", failed.reason(),
                failed.missing().isEmpty() ? "" : " " + failed.missing(), pause);
        return failed;
    }

    private boolean sleep(Duration pause) {
        try {
            Thread.sleep(pause.toMillis());
            return running;
        } catch (InterruptedException e) {
            return false;
        }
    }
}
