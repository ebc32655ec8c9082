package io.assignmentworker.intake;

import io.assignmentworker.outcome.RecordFit;
import io.assignmentworker.request.AssignmentRequest;
import io.assignmentworker.request.AssignmentTarget;
import org.apache.kafka.common.header.Headers;

/**
 * What a request under way keeps on the heap, near enough to bound it: the parsed request, the headers a forward
 * would carry on, and a fixed share for the futures, permits and outcome around it. Never the record it came
 * in: that is dropped once it is parsed, so padding and ignored fields cost nothing while the request waits.
 */
final class InFlightSize {

    /**
     * The objects around every request (its futures, permit, source, outcome), measured with the backlog benchmark
     * (docs/benchmarks.md) and rounded up.
     */
    static final int PER_REQUEST = 2048;
    /** A target object (an update's expected assignment), its strings apart. */
    static final int PER_TARGET = 64;

    private InFlightSize() {
    }

    static int of(AssignmentRequest request, Headers kept) {
        AssignmentTarget target = request.target();
        // Two bytes a character: a string that is not Latin-1 takes that many.
        long characters = length(request.requestId()) + length(request.tenantId()) + length(request.policyId())
                + length(request.rolloutId()) + length(request.sourceId()) + length(target.groupId())
                + length(target.collectionId()) + length(target.filterId());
        AssignmentTarget expected = request.expected();
        long objects = PER_REQUEST;
        if (expected != null) {
            // An update's expected assignment: one more target and its ids.
            objects += PER_TARGET;
            characters += length(expected.groupId()) + length(expected.collectionId()) + length(expected.filterId());
        }
        return (int) Math.min(Integer.MAX_VALUE, objects + 2 * characters + RecordFit.size(kept));
    }

    private static long length(String value) {
        return value == null ? 0 : value.length();
    }
}
