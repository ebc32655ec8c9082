package io.assignmentworker.request;

import java.util.Optional;
import tools.jackson.databind.JsonNode;

/**
 * Graph's JSON of an assignment's target, read the one way the worker and the command-line tool both need: the
 * worker to know what a policy holds before it writes, the tool's dry run to say what submit would do.
 */
public final class TargetJson {

    public static final String FILTER_ID = "deviceAndAppManagementAssignmentFilterId";
    public static final String FILTER_TYPE = "deviceAndAppManagementAssignmentFilterType";

    private TargetJson() {
    }

    /** The target of an assignment Graph listed, or empty for target types a request cannot name. */
    public static Optional<AssignmentTarget> ofAssignment(JsonNode assignment) {
        JsonNode target = assignment.path("target");
        Optional<TargetType> type = TargetType.fromOdataType(target.path("@odata.type").asString(""));
        if (type.isEmpty()) {
            return Optional.empty();
        }
        FilterType filterType = FilterType.fromGraphName(target.path(FILTER_TYPE).asString("none"))
                .orElse(FilterType.NONE);
        return Optional.of(new AssignmentTarget(type.get(), text(target.path("groupId")),
                text(target.path("collectionId")), text(target.path(FILTER_ID)), filterType));
    }

    /** A non-empty string value, or {@code null}. */
    public static String text(JsonNode node) {
        return node.isString() && !node.stringValue().isEmpty() ? node.stringValue() : null;
    }
}
