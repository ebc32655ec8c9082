package io.assignmentworker.outcome;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * Publishing outcomes ({@code worker.outcome.*}).
 *
 * @param exactlyOnce           publish results and commit offsets in one Kafka transaction, so that
 *                              {@code read_committed} consumers see exactly one outcome per request; default
 *                              {@code true}. {@code false} publishes, then commits: at least once, for brokers
 *                              that cannot run transactions
 * @param transactionalIdPrefix prefix of the producer's {@code transactional.id}; default
 *                              {@code intune-assignment-worker-}
 */
@ConfigurationProperties("worker.outcome")
public record OutcomeProperties(@DefaultValue("true") boolean exactlyOnce,
                                @DefaultValue("intune-assignment-worker-") String transactionalIdPrefix) {
}
