package io.assignmentworker.outcome;

import org.apache.kafka.common.header.Headers;

/**
 * An unreadable record, kept byte for byte for the dead-letter topic.
 *
 * @param key     the original key bytes, or {@code null}
 * @param value   the original value bytes, or {@code null}
 * @param headers the original headers
 * @param reason  why it could not be read
 */
public record DeadLetter(byte[] key, byte[] value, Headers headers, String reason) {
}
