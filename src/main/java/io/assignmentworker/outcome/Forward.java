package io.assignmentworker.outcome;

import org.apache.kafka.common.header.Headers;

/**
 * A request handed on to the worker that owns its policy: the original record, re-keyed by policy, for the
 * by-policy topic.
 *
 * @param key     the policy key, UTF-8
 * @param value   the request's original bytes
 * @param headers the original headers plus where and when the request was first read
 */
public record Forward(byte[] key, byte[] value, Headers headers) {
}
