package io.assignmentworker.emulator;

import java.util.Map;
import java.util.Set;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * Validates a {@code deviceCompliancePolicyAssignment} the way Graph's OData layer does (unknown properties,
 * abstract or unknown target types, malformed GUIDs and enum values are refused) and returns it in the shape
 * Graph stores: {@code #microsoft.graph.} types, {@code source} defaulted to {@code direct}, filter type
 * defaulted to {@code none}.
 */
final class AssignmentValidator {
    static final String ASSIGNMENT_TYPE = "#microsoft.graph.deviceCompliancePolicyAssignment";
    static final String FILTER_ID = "deviceAndAppManagementAssignmentFilterId";
    static final String FILTER_TYPE = "deviceAndAppManagementAssignmentFilterType";
    static final String GROUP = "#microsoft.graph.groupAssignmentTarget";
    static final String EXCLUSION_GROUP = "#microsoft.graph.exclusionGroupAssignmentTarget";
    static final String ALL_USERS = "#microsoft.graph.allLicensedUsersAssignmentTarget";
    static final String ALL_DEVICES = "#microsoft.graph.allDevicesAssignmentTarget";
    static final String CM_COLLECTION = "#microsoft.graph.configurationManagerCollectionAssignmentTarget";
    /** Target type → the one id property it requires (empty when it targets everyone). */
    private static final Map<String, String> TARGET_ID_PROPERTY = Map.of(
            GROUP, "groupId", EXCLUSION_GROUP, "groupId", ALL_USERS, "", ALL_DEVICES, "", CM_COLLECTION,
            "collectionId");
    private static final Set<String> ASSIGNMENT_PROPERTIES = Set.of("@odata.type", "id", "target", "source", "sourceId");
    private static final Set<String> SOURCES = Set.of("direct", "policySets");
    private static final Set<String> FILTER_TYPES = Set.of("none", "include", "exclude");

    private AssignmentValidator() {
    }

    /**
     * @param where prefix naming the entry in error messages, e.g. {@code "assignments[2]: "}; may be empty
     * @throws GraphErrorReply 400 BadRequest saying what is wrong
     */
    static ObjectNode normalize(JsonNode entry, String where) {
        if (entry == null || !entry.isObject()) {
            throw bad(where, "A deviceCompliancePolicyAssignment must be a JSON object.");
        }
        rejectUnknownProperties(entry, ASSIGNMENT_PROPERTIES, "microsoft.graph.deviceCompliancePolicyAssignment", where);
        String type = optionalString(entry, "@odata.type", where);
        if (type != null && !ASSIGNMENT_TYPE.equals(qualified(type))) {
            throw bad(where, "The type '" + type + "' is not compatible with the expected type '"
                    + ASSIGNMENT_TYPE.substring(1) + "'.");
        }
        ObjectNode out = Json.MAPPER.createObjectNode();
        out.put("@odata.type", ASSIGNMENT_TYPE);
        String id = optionalString(entry, "id", where);
        out.put("id", id);
        String source = optionalString(entry, "source", where);
        if (source != null && !SOURCES.contains(source)) {
            throw bad(where, "The value '" + source + "' is not valid for property 'source' of enum type "
                    + "'microsoft.graph.deviceAndAppManagementAssignmentSource'. Expected one of: direct, policySets.");
        }
        out.put("source", source == null ? "direct" : source);
        out.put("sourceId", optionalString(entry, "sourceId", where));
        out.set("target", normalizeTarget(entry.get("target"), where));
        return out;
    }

    private static ObjectNode normalizeTarget(JsonNode target, String where) {
        if (target == null || target.isNull()) {
            throw bad(where, "The property 'target' is required and must not be null.");
        }
        if (!target.isObject()) {
            throw bad(where, "The property 'target' must be a JSON object.");
        }
        String rawType = optionalString(target, "@odata.type", where);
        if (rawType == null) {
            throw bad(where, "The target must carry '@odata.type': "
                    + "microsoft.graph.deviceAndAppManagementAssignmentTarget is abstract.");
        }
        String type = qualified(rawType);
        String idProperty = TARGET_ID_PROPERTY.get(type);
        if (idProperty == null) {
            throw bad(where, "The target type '" + rawType + "' is not supported. Expected one of: "
                    + String.join(", ", TARGET_ID_PROPERTY.keySet().stream().sorted().toList()) + ".");
        }
        Set<String> allowed = idProperty.isEmpty() ? Set.of("@odata.type", FILTER_ID, FILTER_TYPE)
                : Set.of("@odata.type", FILTER_ID, FILTER_TYPE, idProperty);
        rejectUnknownProperties(target, allowed, type.substring(1), where);
        ObjectNode out = Json.MAPPER.createObjectNode();
        out.put("@odata.type", type);
        if (!idProperty.isEmpty()) {
            out.put(idProperty, requiredTargetId(target, idProperty, where));
        }
        copyFilter(target, out, where);
        return out;
    }

    private static String requiredTargetId(JsonNode target, String property, String where) {
        String value = optionalString(target, property, where);
        if (value == null || value.isBlank()) {
            throw bad(where, "The property '" + property + "' of the target is required.");
        }
        if ("groupId".equals(property) && !Ids.isGuid(value)) {
            throw bad(where, "The value '" + value + "' of property 'groupId' is not a valid GUID.");
        }
        return value;
    }

    private static void copyFilter(JsonNode target, ObjectNode out, String where) {
        String filterType = optionalString(target, FILTER_TYPE, where);
        if (filterType == null) {
            filterType = "none";
        } else if (!FILTER_TYPES.contains(filterType)) {
            throw bad(where, "The value '" + filterType + "' is not valid for property '" + FILTER_TYPE
                    + "'. Expected one of: none, include, exclude.");
        }
        String filterId = optionalString(target, FILTER_ID, where);
        boolean filtered = !"none".equals(filterType);
        if (filtered && filterId == null) {
            throw bad(where, "The property '" + FILTER_ID + "' is required when '" + FILTER_TYPE + "' is '"
                    + filterType + "'.");
        }
        if (filterId != null && !Ids.isGuid(filterId)) {
            throw bad(where, "The value '" + filterId + "' of property '" + FILTER_ID + "' is not a valid GUID.");
        }
        out.put(FILTER_ID, filterId);
        out.put(FILTER_TYPE, filterType);
    }

    private static void rejectUnknownProperties(JsonNode node, Set<String> allowed, String typeName, String where) {
        for (String name : node.propertyNames()) {
            if (!allowed.contains(name)) {
                throw bad(where, "The property '" + name + "' does not exist on type '" + typeName
                        + "'. Make sure to only use property names that are defined by the type.");
            }
        }
    }

    /** Null when absent or JSON null; refuses non-string values instead of coercing them. */
    private static String optionalString(JsonNode node, String field, String where) {
        JsonNode value = node.get(field);
        if (value == null || value.isNull()) {
            return null;
        }
        if (!value.isString()) {
            throw bad(where, "The property '" + field + "' must be a string.");
        }
        return value.stringValue();
    }

    /** OData accepts type names with or without the leading '#'. */
    private static String qualified(String type) {
        return type.startsWith("#") ? type : "#" + type;
    }

    private static GraphErrorReply bad(String where, String message) {
        return GraphErrorReply.badRequest(where + message);
    }
}
