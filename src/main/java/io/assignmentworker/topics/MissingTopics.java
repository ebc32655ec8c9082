package io.assignmentworker.topics;

import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.common.errors.TopicExistsException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Creates the worker's topics (requests, results, dead letters, by-policy, strategies, rollouts) when they are
 * missing (if {@code worker.topics.create-missing}). Existing topics are never altered: a change of partition count
 * would break the per-policy ordering of requests already written. Called by the intake thread before it
 * subscribes, so an unreachable broker delays consumption, not start-up.
 */
public final class MissingTopics {

    private static final Logger log = LoggerFactory.getLogger(MissingTopics.class);
    private static final Duration TIMEOUT = Duration.ofSeconds(15);

    private final TopicsProperties topics;
    private final Map<String, Object> adminConfig;
    private static final Duration RETRY = Duration.ofSeconds(30);
    private volatile boolean done;
    private long nextTry = System.nanoTime();

    MissingTopics(TopicsProperties topics, Map<String, Object> adminConfig) {
        this.topics = topics;
        this.adminConfig = new HashMap<>(adminConfig);
        this.adminConfig.put(AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, (int) TIMEOUT.toMillis());
        this.adminConfig.put(AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, (int) TIMEOUT.toMillis() / 2);
    }

    /** Tries again at most every 30 s until it has succeeded; cheap to call on every turn. */
    public synchronized void ensureNowAndThen() {
        long now = System.nanoTime();
        if (!done && now >= nextTry) {
            nextTry = now + RETRY.toNanos();
            ensure();
        }
    }

    /** Creates what is missing; true when nothing is left to do. Never throws. */
    public synchronized boolean ensure() {
        if (done || !topics.createMissing()) {
            done = true;
            return true;
        }
        List<NewTopic> wanted = topics.all().stream().map(this::newTopic).toList();
        try (Admin admin = Admin.create(adminConfig)) {
            admin.createTopics(wanted).all().get(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
            log.info("Created topics {}", wanted.stream().map(NewTopic::name).toList());
            done = true;
        } catch (ExecutionException e) {
            done = e.getCause() instanceof TopicExistsException && allExist();
            if (!done) {
                log.warn("Could not create the worker's topics: {}", e.getCause().toString());
            }
        } catch (TimeoutException e) {
            log.warn("Timed out creating the worker's topics; is the broker reachable?");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (RuntimeException e) {
            log.warn("Could not create the worker's topics: {}", e.toString());
        }
        return done;
    }

    /** After a TopicExistsException for one, creates the others one by one. */
    private boolean allExist() {
        try (Admin admin = Admin.create(adminConfig)) {
            var existing = admin.listTopics().names().get(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
            List<NewTopic> missing = topics.all().stream()
                    .filter(name -> !existing.contains(name))
                    .map(this::newTopic)
                    .toList();
            if (!missing.isEmpty()) {
                admin.createTopics(missing).all().get(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
                log.info("Created topics {}", missing.stream().map(NewTopic::name).toList());
            }
            return true;
        } catch (ExecutionException | TimeoutException | RuntimeException e) {
            log.warn("Could not create the worker's topics: {}", e.toString());
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    /**
     * The rollouts topic keeps the latest status per rollout: compacted. The strategies topic keeps the latest
     * announcement per tenant, a handful of small records every instance reads whole: compacted, one partition.
     */
    private NewTopic newTopic(String name) {
        boolean strategies = name.equals(topics.strategies());
        NewTopic topic = new NewTopic(name, Optional.of(strategies ? 1 : topics.partitions()),
                Optional.of(topics.replicationFactor()));
        return name.equals(topics.rollouts()) || strategies
                ? topic.configs(java.util.Map.of("cleanup.policy", "compact")) : topic;
    }
}
