package io.assignmentworker.request;

import java.util.Locale;
import java.util.Objects;

/**
 * A validated assignment target.
 *
 * @param type         what is targeted
 * @param groupId      Entra group id (GUID) for group and exclusion-group targets, else {@code null}
 * @param collectionId Configuration Manager collection id for collection targets, else {@code null}
 * @param filterId     assignment filter id (GUID), or {@code null}
 * @param filterType   how the filter applies; {@link FilterType#NONE} when there is none
 */
public record AssignmentTarget(TargetType type, String groupId, String collectionId, String filterId,
                               FilterType filterType) {

    public AssignmentTarget {
        Objects.requireNonNull(type, "type");
        Objects.requireNonNull(filterType, "filterType");
    }

    /**
     * Who the assignment is for, as Graph identifies it: a group (whether included or excluded), a
     * collection, all devices or all licensed users. Graph holds at most one assignment per subject and policy
     * (its id is {@code policyId_groupId}), so a request whose subject is assigned differently (another intent
     * or filter) is a conflict, never a new assignment. Ids compare case-insensitively, as Graph treats them.
     */
    public String subjectKey() {
        return switch (type.idField()) {
            case GROUP_ID -> "group|" + lower(groupId);
            case COLLECTION_ID -> "collection|" + lower(collectionId);
            case NONE -> type.name();
        };
    }

    /**
     * What makes two targets the same assignment: type, group or collection, filter id and filter type.
     * Ids compare case-insensitively, as Graph treats them.
     */
    public String matchKey() {
        return String.join("|", type.name(), lower(groupId), lower(collectionId), lower(filterId),
                filterType.name());
    }

    private static String lower(String value) {
        return value == null ? "" : value.toLowerCase(Locale.ROOT);
    }
}
