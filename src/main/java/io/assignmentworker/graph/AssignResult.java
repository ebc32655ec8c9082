package io.assignmentworker.graph;

/**
 * What a coalesced {@code /assign} write did for one request of its batch: exactly one of the two is set.
 *
 * @param assigned the assignment, found or created
 * @param error    why Graph refused this request's target while it wrote the rest
 */
public record AssignResult(Assigned assigned, GraphError error) {

    static AssignResult of(Assigned assigned) {
        return new AssignResult(assigned, null);
    }

    static AssignResult refused(GraphError error) {
        return new AssignResult(null, error);
    }
}
