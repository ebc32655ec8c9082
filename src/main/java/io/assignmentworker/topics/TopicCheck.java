package io.assignmentworker.topics;

import java.time.Clock;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Supplier;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.common.KafkaFuture;
import org.apache.kafka.common.errors.ClusterAuthorizationException;
import org.apache.kafka.common.errors.TopicAuthorizationException;
import org.apache.kafka.common.errors.TopicExistsException;
import org.apache.kafka.common.errors.UnknownTopicOrPartitionException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One look at the worker's topics: describe them all, then create only those that are missing (if allowed). A topic
 * that exists is never altered (a change of partition count would break the per-policy ordering of requests already
 * written), and "it exists" is success however it came to exist: found, created here, or created by another instance
 * meanwhile ({@link TopicExistsException}). So a worker that may not create topics is ready where they all exist.
 */
final class TopicCheck {

    private static final Logger log = LoggerFactory.getLogger(TopicCheck.class);
    /**
     * How long the ledger keeps every entry before compaction may keep only a subject's latest
     * ({@code min.compaction.lag.ms}): the age up to which a rollback sees every change of its rollout.
     */
    static final Duration LEDGER_KEEPS_EVERY_ENTRY = Duration.ofDays(30);

    private final TopicsProperties topics;
    private final Supplier<Admin> admins;
    private final Duration timeout;
    private final Clock clock;

    TopicCheck(TopicsProperties topics, Supplier<Admin> admins, Duration timeout, Clock clock) {
        this.topics = topics;
        this.admins = admins;
        this.timeout = timeout;
        this.clock = clock;
    }

    /** Never throws; an unreachable broker is a {@link TopicsState.Failed} like any other. */
    TopicsState run() throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        Set<String> wanted = new LinkedHashSet<>(topics.all());
        Admin admin = null;
        try {
            admin = admins.get();
            Map<String, String> missing = describe(admin, wanted, deadline);
            if (missing.isEmpty()) {
                return new TopicsState.Ready(clock.instant());
            }
            if (!topics.createMissing()) {
                return failed(wanted, missing, "missing, and worker.topics.create-missing is false: create them");
            }
            Map<String, String> refused = create(admin, missing.keySet(), deadline);
            return refused.isEmpty() ? new TopicsState.Ready(clock.instant())
                    : failed(wanted, refused, "missing, and the worker could not create them: " + hint(refused));
        } catch (TimeoutException e) {
            return new TopicsState.Failed(Set.of(), Map.of(), "no answer from Kafka within " + timeout.toSeconds()
                    + " s; is the broker reachable?", clock.instant());
        } catch (ExecutionException e) {
            return new TopicsState.Failed(Set.of(), Map.of(), "Kafka refused to describe the topics: "
                    + e.getCause(), clock.instant());
        } catch (RuntimeException e) {
            return new TopicsState.Failed(Set.of(), Map.of(), "could not ask Kafka about the topics: " + e,
                    clock.instant());
        } finally {
            if (admin != null) {
                admin.close(Duration.ofSeconds(1));
            }
        }
    }

    /** Topic → why it is missing; a topic the worker may not describe cannot be used either. */
    private Map<String, String> describe(Admin admin, Set<String> wanted, long deadline)
            throws InterruptedException, ExecutionException, TimeoutException {
        Map<String, KafkaFuture<TopicDescription>> described =
                admin.describeTopics(wanted).topicNameValues();
        Map<String, String> missing = new LinkedHashMap<>();
        for (String name : wanted) {
            try {
                described.get(name).get(left(deadline), TimeUnit.NANOSECONDS);
            } catch (ExecutionException e) {
                if (e.getCause() instanceof UnknownTopicOrPartitionException) {
                    missing.put(name, "does not exist");
                } else if (e.getCause() instanceof TopicAuthorizationException) {
                    missing.put(name, "not allowed to describe it (absent, or no ACL for this principal)");
                } else {
                    throw e;
                }
            }
        }
        return missing;
    }

    /** Topic → why it could not be created; those that exist now (whoever made them) are not returned. */
    private Map<String, String> create(Admin admin, Set<String> names, long deadline)
            throws InterruptedException, TimeoutException {
        List<NewTopic> wanted = names.stream().map(this::newTopic).toList();
        Map<String, KafkaFuture<Void>> created = admin.createTopics(wanted).values();
        Map<String, String> refused = new LinkedHashMap<>();
        for (String name : names) {
            try {
                created.get(name).get(left(deadline), TimeUnit.NANOSECONDS);
            } catch (ExecutionException e) {
                if (!(e.getCause() instanceof TopicExistsException)) {
                    refused.put(name, e.getCause().getClass().getSimpleName() + ": " + e.getCause().getMessage());
                }
            }
        }
        List<String> made = names.stream().filter(name -> !refused.containsKey(name)).toList();
        if (!made.isEmpty()) {
            log.info("Created topics {} (or another instance did meanwhile)", made);
        }
        return refused;
    }

    private static String hint(Map<String, String> refused) {
        boolean denied = refused.values().stream().anyMatch(why ->
                why.startsWith(TopicAuthorizationException.class.getSimpleName())
                        || why.startsWith(ClusterAuthorizationException.class.getSimpleName()));
        return denied ? "this principal may not create topics; create them (see docs/deployment.md, Topics, groups "
                + "and ACLs) or grant Create" : "see each topic's error";
    }

    private TopicsState.Failed failed(Set<String> wanted, Map<String, String> missing, String reason) {
        Set<String> existing = new LinkedHashSet<>(wanted);
        existing.removeAll(missing.keySet());
        return new TopicsState.Failed(existing, missing, "topics " + missing.keySet() + " are " + reason,
                clock.instant());
    }

    private static long left(long deadline) {
        return Math.max(0, deadline - System.nanoTime());
    }

    /**
     * The rollouts topic keeps the latest status per rollout: compacted. The strategies topic keeps the latest
     * announcement per tenant, a handful of small records every instance reads whole: compacted, one partition.
     * The ledger keeps the latest change per tenant, policy and subject: compacted, never deleted by age (a
     * rollback may come months later), and every entry kept {@link #LEDGER_KEEPS_EVERY_ENTRY} before compaction
     * may drop it: a rollout that changed a subject twice is undone to what it held before both only while its
     * first entry is there.
     */
    private NewTopic newTopic(String name) {
        boolean strategies = name.equals(topics.strategies());
        NewTopic topic = new NewTopic(name, Optional.of(strategies ? 1 : topics.partitions()),
                Optional.of(topics.replicationFactor()));
        if (name.equals(topics.ledger())) {
            return topic.configs(Map.of("cleanup.policy", "compact",
                    "min.compaction.lag.ms", Long.toString(LEDGER_KEEPS_EVERY_ENTRY.toMillis())));
        }
        return name.equals(topics.rollouts()) || strategies ? topic.configs(Map.of("cleanup.policy", "compact"))
                : topic;
    }
}
