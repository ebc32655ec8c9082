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

    /** A remove that names the subject's assignment with another intent or filter than the policy holds. */
    static GraphError notRemoved(Assigned existing) {
        return new GraphError(ErrorCategory.CONFLICT, null, CODE, "the policy has "
                + AssignmentJson.describe(existing) + " for this target, with another intent or filter than the "
                + "request names; nothing was removed. Name it as it is to remove it", false, false, null,
                existing.graphRequestId());
    }

    /** An update whose {@code expected} assignment is not what the policy holds: someone changed it since. */
    static GraphError notAsExpected(Assigned existing) {
        return new GraphError(ErrorCategory.CONFLICT, null, "AssignmentChangedSince", "the policy has "
                + AssignmentJson.describe(existing) + " for this target, not the expected one (changed since?); "
                + "nothing was written", false, false, null, existing.graphRequestId());
    }

    /** An update of a subject the policy does not assign. */
    static GraphError notAssigned() {
        return new GraphError(ErrorCategory.CONFLICT, null, "SubjectNotAssigned", "the policy has no assignment "
                + "for this target to update; nothing was written. Send operation create to add one", false, false,
                null, null);
    }
}
