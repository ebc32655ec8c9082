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

    private static final String FILTER_ID = TargetJson.FILTER_ID;
    private static final String FILTER_TYPE = TargetJson.FILTER_TYPE;

    /** Where the target sits in the request: {@code assignment.target.} or {@code expected.target.}. */
    private final String path;

    TargetValidator() {
        this("assignment.target.");
    }

    TargetValidator(String path) {
        this.path = path;
    }

    Optional<AssignmentTarget> validate(JsonNode node, List<String> violations) {
        String named = path.substring(0, path.length() - 1);
        if (node == null || node.isNull()) {
            violations.add(named + ": is required");
            return Optional.empty();
        }
        if (!node.isObject()) {
            violations.add(named + ": must be an object");
            return Optional.empty();
        }
        int before = violations.size();
        String odataType = string(node, "@odata.type", path, violations);
        if (odataType == null) {
            violations.add(path + "@odata.type: is required, one of " + TargetType.acceptedNames());
            return Optional.empty();
        }
        Optional<TargetType> type = TargetType.fromOdataType(odataType);
        if (type.isEmpty()) {
            violations.add(path + "@odata.type: must be one of " + TargetType.acceptedNames() + ", got "
                    + quote(odataType));
            return Optional.empty();
        }
        String groupId = groupId(node, type.get(), violations);
        String collectionId = collectionId(node, type.get(), violations);
        FilterType filterType = enumValue(node, FILTER_TYPE, path, FilterType.NONE, FilterType::fromGraphName,
                "none, include, exclude", violations);
        String filterId = guid(node, FILTER_ID, path, false, violations);
        if (filterType != FilterType.NONE && filterId == null && violations.size() == before) {
            violations.add(path + FILTER_ID + ": is required when " + FILTER_TYPE + " is "
                    + filterType.graphName());
        }
        if (filterType == FilterType.NONE && filterId != null) {
            violations.add(path + FILTER_TYPE + ": must be include or exclude when " + FILTER_ID + " is set");
        }
        if (violations.size() > before) {
            return Optional.empty();
        }
        return Optional.of(new AssignmentTarget(type.get(), groupId, collectionId, filterId, filterType));
    }

    private String groupId(JsonNode node, TargetType type, List<String> violations) {
        if (type.idField() == TargetType.IdField.GROUP_ID) {
            return guid(node, "groupId", path, true, violations);
        }
        forbid(node, "groupId", type, violations);
        return null;
    }

    private String collectionId(JsonNode node, TargetType type, List<String> violations) {
        if (type.idField() != TargetType.IdField.COLLECTION_ID) {
            forbid(node, "collectionId", type, violations);
            return null;
        }
        String value = string(node, "collectionId", path, violations);
        if (value == null) {
            violations.add(path + "collectionId: is required for " + type.odataType());
            return null;
        }
        if (!isCollectionId(value)) {
            violations.add(path + "collectionId: must be 1 to 64 letters, digits, '-' or '_', got "
                    + quote(value));
            return null;
        }
        return value;
    }

    private void forbid(JsonNode node, String field, TargetType type, List<String> violations) {
        JsonNode value = node.get(field);
        if (value != null && !value.isNull()) {
            violations.add(path + field + ": is not allowed for " + type.odataType());
        }
    }
}
