package io.assignmentworker.process;

import java.util.Locale;
import tools.jackson.databind.JsonNode;

/**
 * An assignment target as Graph writes it, in the few shapes Intune accepts for compliance policies.
 *
 * @param odataType    e.g. {@code #microsoft.graph.groupAssignmentTarget}
 * @param groupId      for group and exclusion-group targets
 * @param collectionId for Configuration Manager collection targets
 * @param filterId     assignment filter, or {@code null}
 * @param filterType   {@code none}, {@code include} or {@code exclude}
 */
record Target(String odataType, String groupId, String collectionId, String filterId, String filterType) {

    private static final String NS = "#microsoft.graph.";

    static Target group(String groupId) {
        return new Target(NS + "groupAssignmentTarget", groupId, null, null, "none");
    }

    static Target exclusionGroup(String groupId) {
        return new Target(NS + "exclusionGroupAssignmentTarget", groupId, null, null, "none");
    }

    static Target allDevices() {
        return new Target(NS + "allDevicesAssignmentTarget", null, null, null, "none");
    }

    static Target allLicensedUsers() {
        return new Target(NS + "allLicensedUsersAssignmentTarget", null, null, null, "none");
    }

    static Target collection(String collectionId) {
        return new Target(NS + "configurationManagerCollectionAssignmentTarget", null, collectionId, null, "none");
    }

    Target filtered(String id, String type) {
        return new Target(odataType, groupId, collectionId, id, type);
    }

    /** The target object of a request, in Graph's JSON. */
    String json() {
        StringBuilder json = new StringBuilder("{\"@odata.type\":\"").append(odataType).append('"');
        if (groupId != null) {
            json.append(",\"groupId\":\"").append(groupId).append('"');
        }
        if (collectionId != null) {
            json.append(",\"collectionId\":\"").append(collectionId).append('"');
        }
        json.append(",\"deviceAndAppManagementAssignmentFilterId\":")
                .append(filterId == null ? "null" : "\"" + filterId + "\"")
                .append(",\"deviceAndAppManagementAssignmentFilterType\":\"").append(filterType).append("\"}");
        return json.toString();
    }

    /**
     * What makes two assignments of a policy the same one (type, group or collection, filter), computed from
     * Graph's JSON of a stored assignment's {@code target}.
     */
    static String keyOf(JsonNode target) {
        String subject = target.path("groupId").asString("");
        if (subject.isEmpty()) {
            subject = target.path("collectionId").asString("");
        }
        return key(target.path("@odata.type").asString(""), subject,
                target.path("deviceAndAppManagementAssignmentFilterId").asString(""),
                target.path("deviceAndAppManagementAssignmentFilterType").asString("none"));
    }

    /** {@link #keyOf} of this target. */
    String key() {
        return key(odataType, groupId != null ? groupId : collectionId != null ? collectionId : "",
                filterId == null ? "" : filterId, filterType);
    }

    private static String key(String type, String subject, String filter, String filterType) {
        return String.join("|", type, subject, filter, filterType).toLowerCase(Locale.ROOT);
    }
}
