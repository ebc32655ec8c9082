package io.assignmentworker.intake;

import org.apache.kafka.common.TopicPartition;

/**
 * One assignment of a partition to this session, as the work read under it carries it. The {@code epoch} grows
 * with each assignment of the same partition ({@link PartitionLedger}), so work that finishes after its partition
 * was revoked and assigned again is told from the current assignment's by a number, not by which object it holds
 * (parallel-consumer's {@code WorkContainer} epoch and {@code checkIfWorkIsStale}).
 *
 * @param writes which of this assignment's requests may still write to Graph (thread-safe: asked from any thread)
 */
record Ownership(TopicPartition partition, long epoch, PartitionWrites writes) {
}
