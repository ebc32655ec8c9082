package io.assignmentworker.graph;

import io.assignmentworker.request.AssignmentTarget;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import tools.jackson.databind.JsonNode;

/**
 * A policy's whole assignment set as one complete read of Graph returned it (every page followed).
 *
 * @param assignments the assignments, as Graph listed them
 * @param requestId   the {@code request-id} of the read's last page
 * @param readAt      when the read was sent: what it shows is at least this old
 */
record Listing(List<JsonNode> assignments, String requestId, Instant readAt) {

    /**
     * The listed assignments by subject (see {@link io.assignmentworker.request.AssignmentTarget#subjectKey}):
     * Graph holds one per subject. Targets of types this worker does not write are keyed by their id, so they
     * are kept and checked like the others but never match a request.
     */
    Map<String, Assigned> bySubject() {
        Map<String, Assigned> bySubject = new LinkedHashMap<>();
        for (JsonNode assignment : assignments) {
            String id = assignment.path("id").asString(null);
            String subject = AssignmentJson.target(assignment).map(AssignmentTarget::subjectKey)
                    .orElse("other|" + id);
            bySubject.putIfAbsent(subject, new Assigned(id, assignment, true, requestId));
        }
        return bySubject;
    }
}
