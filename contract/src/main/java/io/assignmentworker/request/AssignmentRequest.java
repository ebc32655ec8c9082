package io.assignmentworker.request;

import java.util.Objects;

/**
 * One validated request to assign a compliance policy to a target.
 *
 * @param requestId the caller's idempotency key (1–200 printable characters)
 * @param tenantId  the tenant (GUID), or {@code null} to use the single configured tenant
 * @param policyId  the compliance policy (GUID)
 * @param rolloutId the rollout this request belongs to, or {@code null}
 * @param target    what to assign the policy to
 * @param source    {@code direct} or {@code policySets}
 * @param sourceId  the policy set id when the source is a policy set, or {@code null}
 */
public record AssignmentRequest(String requestId, String tenantId, String policyId, String rolloutId,
                                AssignmentTarget target, AssignmentSource source, String sourceId) {

    public AssignmentRequest {
        Objects.requireNonNull(requestId, "requestId");
        Objects.requireNonNull(policyId, "policyId");
        Objects.requireNonNull(target, "target");
        Objects.requireNonNull(source, "source");
    }
}
