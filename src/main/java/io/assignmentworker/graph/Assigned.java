package io.assignmentworker.graph;

import tools.jackson.databind.JsonNode;

/**
 * An assignment as Graph holds it.
 *
 * @param id             Graph's id of the assignment
 * @param assignment     Graph's JSON of it
 * @param alreadyExisted whether it was found rather than created
 * @param graphRequestId the {@code request-id} of the call that created or found it
 */
public record Assigned(String id, JsonNode assignment, boolean alreadyExisted, String graphRequestId) {
}
