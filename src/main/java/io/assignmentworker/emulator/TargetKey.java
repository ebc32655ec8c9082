package io.assignmentworker.emulator;

import java.util.Locale;
import tools.jackson.databind.JsonNode;

/**
 * What makes two assignments of one policy "the same": target type, group or collection id, and filter.
 * Ids compare case-insensitively because Graph treats GUIDs that way.
 */
record TargetKey(String type, String subjectId, String filterId, String filterType) {

    static TargetKey of(JsonNode assignment) {
        JsonNode target = assignment.path("target");
        String subject = text(target, "groupId");
        if (subject.isEmpty()) {
            subject = text(target, "collectionId");
        }
        return new TargetKey(text(target, "@odata.type"), subject,
                text(target, AssignmentValidator.FILTER_ID), text(target, AssignmentValidator.FILTER_TYPE));
    }

    private static String text(JsonNode node, String field) {
        JsonNode value = node.path(field);
        return value.isString() ? value.stringValue().toLowerCase(Locale.ROOT) : "";
    }
}
