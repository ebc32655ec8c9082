package io.assignmentworker.topics;

import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * The worker's Kafka topics ({@code worker.topics.*}).
 *
 * @param requests          topic the assignment requests are read from; default {@code intune.assignment.requests}
 * @param results           topic one outcome per request is written to; default {@code intune.assignment.results}
 * @param deadLetter        topic unreadable records are copied to, byte for byte; default {@code <requests>.DLT}
 * @param byPolicy          internal topic, keyed by tenant and policy, through which requests of tenants that write
 *                          with {@code /assign} reach the one worker that owns their policy; default
 *                          {@code <requests>.by-policy}
 * @param strategies        internal compacted topic, keyed by tenant id, on which the instances of a group announce how
 *                          each tenant's assignments are written ({@code create} or {@code assign}), so the whole
 *                          group writes a tenant one way; every instance reads all of it; default
 *                          {@code <requests>.strategies}
 * @param rollouts          compacted topic with the latest progress and summary of each rollout, keyed by
 *                          rolloutId; default {@code intune.assignment.rollouts}
 * @param rolloutManifests  topic on which a rollout declares its expected size before its requests, keyed by
 *                          rolloutId; default {@code intune.assignment.rollout-manifests}
 * @param ledger            the ownership ledger: compacted topic keyed by tenant, policy and subject, on which every
 *                          change the worker makes is recorded with the result that reports it (rolloutId,
 *                          requestId, the assignment before and after); default {@code intune.assignment.ledger}
 * @param rollbackRequests  topic on which a message asks the worker to roll a rollout back (as {@code iaw rollback}
 *                          does), keyed by rolloutId; default {@code intune.assignment.rollback-requests}
 * @param createMissing     whether the worker creates missing topics at start-up (never alters existing ones);
 *                          default {@code true}
 * @param partitions        partitions of topics the worker creates; default 6
 * @param replicationFactor replication of topics the worker creates; default -1 (the broker's default)
 */
@ConfigurationProperties("worker.topics")
public record TopicsProperties(@DefaultValue("intune.assignment.requests") String requests,
                               @DefaultValue("intune.assignment.results") String results,
                               String deadLetter,
                               String byPolicy,
                               String strategies,
                               @DefaultValue("intune.assignment.rollouts") String rollouts,
                               @DefaultValue("intune.assignment.rollout-manifests") String rolloutManifests,
                               @DefaultValue("intune.assignment.ledger") String ledger,
                               @DefaultValue("intune.assignment.rollback-requests") String rollbackRequests,
                               @DefaultValue("true") boolean createMissing,
                               @DefaultValue("6") int partitions,
                               @DefaultValue("-1") short replicationFactor) {

    public TopicsProperties {
        requireName("worker.topics.requests", requests);
        requireName("worker.topics.results", results);
        if (deadLetter == null || deadLetter.isBlank()) {
            deadLetter = requests + ".DLT";
        }
        if (byPolicy == null || byPolicy.isBlank()) {
            byPolicy = requests + ".by-policy";
        }
        if (strategies == null || strategies.isBlank()) {
            strategies = requests + ".strategies";
        }
        if (requests.equals(results)) {
            throw new IllegalArgumentException(
                    "worker.topics.results must differ from worker.topics.requests (both are '" + requests + "')");
        }
        requireName("worker.topics.rollouts", rollouts);
        requireName("worker.topics.rollout-manifests", rolloutManifests);
        requireName("worker.topics.ledger", ledger);
        requireName("worker.topics.rollback-requests", rollbackRequests);
        if (Set.of(requests, results, deadLetter).contains(byPolicy)) {
            throw new IllegalArgumentException("worker.topics.by-policy must differ from the requests, results and "
                    + "dead-letter topics, got '" + byPolicy + "'");
        }
        List<String> all = List.of(requests, results, deadLetter, byPolicy, strategies, rollouts, rolloutManifests,
                ledger, rollbackRequests);
        if (new HashSet<>(all).size() < all.size()) {
            throw new IllegalArgumentException("worker.topics.*: the requests, results, dead-letter, by-policy, "
                    + "strategies, rollouts, rollout-manifests, ledger and rollback-requests topics must all differ");
        }
        if (partitions < 1) {
            throw new IllegalArgumentException("worker.topics.partitions must be at least 1, got " + partitions);
        }
    }

    /** Every topic the worker reads or writes. */
    public List<String> all() {
        return List.of(requests, results, deadLetter, byPolicy, strategies, rollouts, rolloutManifests, ledger,
                rollbackRequests);
    }

    private static void requireName(String property, String value) {
        if (value == null || value.isBlank()) {
            throw new IllegalArgumentException(property + " must not be blank");
        }
    }
}
