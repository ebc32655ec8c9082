package io.assignmentworker.graph;

import tools.jackson.databind.JsonNode;

/**
 * An assignment as Graph holds it.
 *
 * @param id             Graph's id of the assignment
 * @param assignment     Graph's JSON of it
 * @param alreadyExisted whether it was found rather than created
 * @param graphRequestId the {@code request-id} of the call that created or found it
 * @param json           the JSON text {@code assignment} was read from, as Graph sent it: written out again as it
 *                       is (the worker's copy of the policy, the result, the ledger entry) rather than walked and
 *                       escaped once for each; {@code null} when only the tree is at hand (an entry of a listing)
 */
public record Assigned(String id, JsonNode assignment, boolean alreadyExisted, String graphRequestId, String json) {

    public Assigned(String id, JsonNode assignment, boolean alreadyExisted, String graphRequestId) {
        this(id, assignment, alreadyExisted, graphRequestId, null);
    }
}
