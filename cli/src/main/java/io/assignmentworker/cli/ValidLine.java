package io.assignmentworker.cli;

import io.assignmentworker.request.AssignmentRequest;

/**
 * A line that passed the worker's validation, ready to publish.
 *
 * @param line    its line number in the file
 * @param request the request as the worker will read it
 * @param json    the bytes to publish, keyed by {@code request.requestId()}
 */
record ValidLine(int line, AssignmentRequest request, byte[] json) {
}
