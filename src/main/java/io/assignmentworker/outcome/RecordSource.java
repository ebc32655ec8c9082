package io.assignmentworker.outcome;

/** Where a request was read from: its Kafka coordinates. */
public record RecordSource(String topic, int partition, long offset) {
}
