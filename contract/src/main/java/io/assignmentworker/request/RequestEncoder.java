package io.assignmentworker.request;

import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

/**
 * Writes a validated request back as the JSON {@link RequestDecoder} reads, holding only what the request means:
 * fields a producer added, whitespace and padding are gone. The worker forwards requests in this form, so it need
 * not keep a request's original record while the request is under way.
 */
public final class RequestEncoder {

    private static final String FILTER_ID = TargetJson.FILTER_ID;
    private static final String FILTER_TYPE = TargetJson.FILTER_TYPE;

    private final JsonMapper mapper = JsonMapper.builder().build();

    public byte[] encode(AssignmentRequest request) {
        ObjectNode root = mapper.createObjectNode();
        root.put("requestId", request.requestId());
        putIfPresent(root, "tenantId", request.tenantId());
        root.put("policyId", request.policyId());
        putIfPresent(root, "rolloutId", request.rolloutId());
        if (!request.isCreate()) {
            root.put("operation", request.operation().wireName());
        }
        writeAssignment(root.putObject("assignment"), request);
        if (request.expected() != null) {
            writeTarget(root.putObject("expected").putObject("target"), request.expected());
        }
        return mapper.writeValueAsBytes(root);
    }

    /**
     * Writes the request's {@code deviceCompliancePolicyAssignment} into {@code assignment}, as the request carries
     * it and as Graph takes it (the body of a create, an entry of an {@code /assign}): only validated fields.
     */
    public static void writeAssignment(ObjectNode assignment, AssignmentRequest request) {
        assignment.put("@odata.type", "#microsoft.graph.deviceCompliancePolicyAssignment");
        writeTarget(assignment.putObject("target"), request.target());
        assignment.put("source", request.source().graphName());
        assignment.put("sourceId", request.sourceId());
    }

    /** A target as Graph takes it: type, the id the type needs, and the filter. */
    public static void writeTarget(ObjectNode json, AssignmentTarget target) {
        json.put("@odata.type", target.type().odataType());
        switch (target.type().idField()) {
            case GROUP_ID -> json.put("groupId", target.groupId());
            case COLLECTION_ID -> json.put("collectionId", target.collectionId());
            case NONE -> { }
        }
        json.put(FILTER_ID, target.filterId());
        json.put(FILTER_TYPE, target.filterType().graphName());
    }

    private static void putIfPresent(ObjectNode node, String field, String value) {
        if (value != null) {
            node.put(field, value);
        }
    }
}
