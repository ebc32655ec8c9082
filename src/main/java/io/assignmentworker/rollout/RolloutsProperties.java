package io.assignmentworker.rollout;

import java.nio.file.Path;
import java.time.Duration;
import java.util.UUID;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * Rollout tracking ({@code worker.rollouts.*}): the results of each rollout aggregated into its progress and
 * summary on the rollouts topic.
 *
 * @param enabled   whether this worker aggregates rollouts; default {@code true}. Every instance of a group
 *                  should agree
 * @param retention a rollout not updated for this long is forgotten and its status deleted; default 30 days
 * @param stateDir  where Kafka Streams keeps its lock and checkpoint files (state itself is in memory and in
 *                  the changelog topic); default a new directory under {@code java.io.tmpdir} for each run, so
 *                  several workers on one host never share one
 * @param emitInterval how often a rollout's changed status is published (at most once per interval); default
 *                  500 ms
 * @param maxTracked how many rollouts one instance holds at most (its memory, and what it reloads at a restart);
 *                  default 10,000. When a new rollout would pass it, the least recently updated complete rollout
 *                  is forgotten early (as {@code retention} would later); when none is complete, the new rollout
 *                  is not tracked (see the README, "Rollouts")
 */
@ConfigurationProperties("worker.rollouts")
public record RolloutsProperties(@DefaultValue("true") boolean enabled,
                                 @DefaultValue("30d") Duration retention,
                                 Path stateDir,
                                 @DefaultValue("500ms") Duration emitInterval,
                                 @DefaultValue("10000") int maxTracked) {

    public RolloutsProperties {
        if (retention == null || retention.isNegative() || retention.isZero()) {
            throw new IllegalArgumentException("worker.rollouts.retention must be a positive duration, got "
                    + retention);
        }
        if (emitInterval == null || emitInterval.isNegative() || emitInterval.isZero()) {
            throw new IllegalArgumentException("worker.rollouts.emit-interval must be a positive duration, got "
                    + emitInterval);
        }
        if (maxTracked < 1) {
            throw new IllegalArgumentException("worker.rollouts.max-tracked must be at least 1, got " + maxTracked);
        }
        if (stateDir == null || stateDir.toString().isBlank()) {
            stateDir = Path.of(System.getProperty("java.io.tmpdir"),
                    "intune-assignment-worker-streams-" + UUID.randomUUID());
        }
    }
}
