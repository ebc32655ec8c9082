package io.assignmentworker.process;

import java.nio.charset.StandardCharsets;

/**
 * One assignment request a rollout intends, and its message as an upstream system publishes it.
 *
 * @param requestId the idempotency key; also the record key
 * @param tenantId  the tenant
 * @param policyId  the compliance policy
 * @param target    whom it is assigned to
 * @param rolloutId the rollout it belongs to
 */
record PlannedRequest(String requestId, String tenantId, String policyId, Target target, String rolloutId) {

    /** A request of the rollout every process test uses unless it says otherwise. */
    static final String DEFAULT_ROLLOUT = "process-test";

    PlannedRequest(String requestId, String tenantId, String policyId, Target target) {
        this(requestId, tenantId, policyId, target, DEFAULT_ROLLOUT);
    }

    /** The same request in another rollout. */
    PlannedRequest inRollout(String otherRolloutId) {
        return new PlannedRequest(requestId, tenantId, policyId, target, otherRolloutId);
    }

    /** The request message (the published contract), as raw UTF-8 JSON bytes. */
    byte[] value() {
        return json().getBytes(StandardCharsets.UTF_8);
    }

    String json() {
        return """
                {"requestId":"%s","tenantId":"%s","policyId":"%s","rolloutId":"%s",\
                "assignment":{"@odata.type":"#microsoft.graph.deviceCompliancePolicyAssignment",\
                "target":%s,"source":"direct","sourceId":null}}""".formatted(requestId, tenantId, policyId,
                rolloutId, target.json());
    }

    /** The same assignment asked for again under another requestId, as a retrying upstream system might. */
    PlannedRequest again(String otherRequestId) {
        return new PlannedRequest(otherRequestId, tenantId, policyId, target, rolloutId);
    }

    /** Policy and target: what must exist exactly once in Graph after the request. */
    String assignmentKey() {
        return policyId + "/" + target.key();
    }
}
