package io.assignmentworker.graph;

import io.assignmentworker.outcome.ErrorCategory;
import io.assignmentworker.request.AssignmentRequest;

/**
 * A request whose subject the policy already assigns differently. Graph holds one assignment per subject
 * (group, collection, all devices, all users) and refuses a set with the same group twice, so writing the
 * request would either be refused or silently change what an administrator set up: the worker answers it
 * FAILED {@link ErrorCategory#CONFLICT} and writes nothing for it.
 */
final class SubjectConflict {

    static final String CODE = "SubjectAlreadyAssigned";

    private SubjectConflict() {
    }

    /** Whether {@code existing} conflicts with what {@code request} asks for. */
    static boolean between(Assigned existing, AssignmentRequest request) {
        return !AssignmentJson.matches(existing.assignment(), request);
    }

    static GraphError error(Assigned existing) {
        return new GraphError(ErrorCategory.CONFLICT, null, CODE, "the policy already has "
                + AssignmentJson.describe(existing) + " for this target, with another intent or filter; Graph holds "
                + "one assignment per group, so nothing was written. Change or remove that assignment first, or "
                + "request it as it is", false, false, null, existing.graphRequestId());
    }
}
