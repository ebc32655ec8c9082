package io.assignmentworker.graph;

import io.assignmentworker.request.AssignmentRequest;
import io.assignmentworker.request.AssignmentTarget;
import io.assignmentworker.request.RequestEncoder;
import io.assignmentworker.request.TargetJson;
import java.util.Optional;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

/** Translates between requests and Graph's {@code deviceCompliancePolicyAssignment} JSON. */
final class AssignmentJson {

    private final JsonMapper mapper;

    AssignmentJson(JsonMapper mapper) {
        this.mapper = mapper;
    }

    /** The body of the create call, built only from validated fields. */
    ObjectNode body(AssignmentRequest request) {
        ObjectNode body = mapper.createObjectNode();
        RequestEncoder.writeAssignment(body, request);
        return body;
    }

    /** The target of an assignment Graph listed, or empty for target types this worker does not write. */
    static Optional<AssignmentTarget> target(JsonNode assignment) {
        return TargetJson.ofAssignment(assignment);
    }

    /** Whether Graph's assignment is exactly what the request asks for: same subject, intent and filter. */
    static boolean matches(JsonNode assignment, AssignmentRequest request) {
        return matches(assignment, request.target());
    }

    /** Whether Graph's assignment has exactly this target: same subject, intent and filter. */
    static boolean matches(JsonNode assignment, AssignmentTarget target) {
        return target(assignment).map(t -> t.matchKey().equals(target.matchKey())).orElse(false);
    }

    /**
     * Names an existing assignment for a CONFLICT message: its id, intent and filter. Only ids and enum
     * values, nothing the request could inject.
     */
    static String describe(Assigned existing) {
        JsonNode target = existing.assignment().path("target");
        String type = target.path("@odata.type").asString("");
        String intent = type.endsWith("exclusionGroupAssignmentTarget") ? "exclude" : "include";
        String filterId = TargetJson.text(target.path(TargetJson.FILTER_ID));
        String filter = filterId == null ? "no filter"
                : "filter " + filterId + " (" + target.path(TargetJson.FILTER_TYPE).asString("none") + ")";
        return "assignment " + existing.id() + " (" + intent + ", " + filter + ")";
    }
}
