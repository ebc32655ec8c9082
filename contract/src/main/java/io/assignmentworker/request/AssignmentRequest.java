package io.assignmentworker.request;

import java.util.Objects;

/**
 * One validated request to create, remove or update a compliance policy's assignment to a target.
 *
 * @param requestId the caller's idempotency key (1–200 printable characters)
 * @param tenantId  the tenant (GUID), or {@code null} to use the single configured tenant
 * @param policyId  the compliance policy (GUID)
 * @param rolloutId the rollout this request belongs to, or {@code null}
 * @param target    what to assign the policy to (create, update), or the assignment to remove
 * @param source    {@code direct} or {@code policySets}
 * @param sourceId  the policy set id when the source is a policy set, or {@code null}
 * @param operation what to do with the subject's assignment
 * @param expected  update only: the assignment the subject must have now (else CONFLICT), or {@code null}
 */
public record AssignmentRequest(String requestId, String tenantId, String policyId, String rolloutId,
                                AssignmentTarget target, AssignmentSource source, String sourceId,
                                Operation operation, AssignmentTarget expected) {

    public AssignmentRequest {
        Objects.requireNonNull(requestId, "requestId");
        Objects.requireNonNull(policyId, "policyId");
        Objects.requireNonNull(target, "target");
        Objects.requireNonNull(source, "source");
        Objects.requireNonNull(operation, "operation");
        if (expected != null && operation != Operation.UPDATE) {
            throw new IllegalArgumentException("expected is for updates only");
        }
    }

    /** A create: what every request was before operations existed, and still is by default. */
    public AssignmentRequest(String requestId, String tenantId, String policyId, String rolloutId,
                             AssignmentTarget target, AssignmentSource source, String sourceId) {
        this(requestId, tenantId, policyId, rolloutId, target, source, sourceId, Operation.CREATE, null);
    }

    public boolean isCreate() {
        return operation == Operation.CREATE;
    }
}
