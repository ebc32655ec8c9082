package io.assignmentworker.request;

import static io.assignmentworker.request.RequestValidator.enumValue;
import static io.assignmentworker.request.RequestValidator.guid;
import static io.assignmentworker.request.RequestValidator.isCollectionId;
import static io.assignmentworker.request.RequestValidator.quote;
import static io.assignmentworker.request.RequestValidator.string;

import java.util.List;
import java.util.Optional;
import tools.jackson.databind.JsonNode;

/** Checks {@code assignment.target}: its type, the id that type needs, and the assignment filter. */
final class TargetValidator {

    private static final String PATH = "assignment.target.";
    private static final String FILTER_ID = TargetJson.FILTER_ID;
    private static final String FILTER_TYPE = TargetJson.FILTER_TYPE;

    Optional<AssignmentTarget> validate(JsonNode node, List<String> violations) {
        if (node == null || node.isNull()) {
            violations.add("assignment.target: is required");
            return Optional.empty();
        }
        if (!node.isObject()) {
            violations.add("assignment.target: must be an object");
            return Optional.empty();
        }
        int before = violations.size();
        String odataType = string(node, "@odata.type", PATH, violations);
        if (odataType == null) {
            violations.add(PATH + "@odata.type: is required, one of " + TargetType.acceptedNames());
            return Optional.empty();
        }
        Optional<TargetType> type = TargetType.fromOdataType(odataType);
        if (type.isEmpty()) {
            violations.add(PATH + "@odata.type: must be one of " + TargetType.acceptedNames() + ", got "
                    + quote(odataType));
            return Optional.empty();
        }
        String groupId = groupId(node, type.get(), violations);
        String collectionId = collectionId(node, type.get(), violations);
        FilterType filterType = enumValue(node, FILTER_TYPE, PATH, FilterType.NONE, FilterType::fromGraphName,
                "none, include, exclude", violations);
        String filterId = guid(node, FILTER_ID, PATH, false, violations);
        if (filterType != FilterType.NONE && filterId == null && violations.size() == before) {
            violations.add(PATH + FILTER_ID + ": is required when " + FILTER_TYPE + " is "
                    + filterType.graphName());
        }
        if (filterType == FilterType.NONE && filterId != null) {
            violations.add(PATH + FILTER_TYPE + ": must be include or exclude when " + FILTER_ID + " is set");
        }
        if (violations.size() > before) {
            return Optional.empty();
        }
        return Optional.of(new AssignmentTarget(type.get(), groupId, collectionId, filterId, filterType));
    }

    private static String groupId(JsonNode node, TargetType type, List<String> violations) {
        if (type.idField() == TargetType.IdField.GROUP_ID) {
            return guid(node, "groupId", PATH, true, violations);
        }
        forbid(node, "groupId", type, violations);
        return null;
    }

    private static String collectionId(JsonNode node, TargetType type, List<String> violations) {
        if (type.idField() != TargetType.IdField.COLLECTION_ID) {
            forbid(node, "collectionId", type, violations);
            return null;
        }
        String value = string(node, "collectionId", PATH, violations);
        if (value == null) {
            violations.add(PATH + "collectionId: is required for " + type.odataType());
            return null;
        }
        if (!isCollectionId(value)) {
            violations.add(PATH + "collectionId: must be 1 to 64 letters, digits, '-' or '_', got "
                    + quote(value));
            return null;
        }
        return value;
    }

    private static void forbid(JsonNode node, String field, TargetType type, List<String> violations) {
        JsonNode value = node.get(field);
        if (value != null && !value.isNull()) {
            violations.add(PATH + field + ": is not allowed for " + type.odataType());
        }
    }
}
