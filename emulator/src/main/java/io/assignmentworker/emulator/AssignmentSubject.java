package io.assignmentworker.emulator;

import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import tools.jackson.databind.JsonNode;

/**
 * Whom an assignment targets, and so which id Graph gives it. Graph ids a compliance-policy assignment
 * {@code {policyId}_{subject}} (msgraph-sdk-dotnet#2220): the group id for group and exclusion-group targets, a
 * fixed GUID for All devices and for All licensed users. A policy can therefore hold each subject once, as
 * include or exclude, with at most one filter; the filter is not part of the subject.
 *
 * @param idSuffix what follows {@code {policyId}_} in the assignment's id
 */
record AssignmentSubject(String idSuffix) {
    /** The virtual group Intune uses for All devices. */
    static final String ALL_DEVICES = "adadadad-808e-44e2-905a-0b7873a8a531";
    /** The virtual group Intune uses for All licensed users. */
    static final String ALL_LICENSED_USERS = "acacacac-9df4-4c7d-9d50-4ef0226f57a9";

    /** The subject of a normalized assignment (see {@link AssignmentValidator#normalize}). */
    static AssignmentSubject of(JsonNode assignment) {
        JsonNode target = assignment.path("target");
        String type = target.path("@odata.type").asString("");
        return switch (type) {
            case AssignmentValidator.ALL_DEVICES -> new AssignmentSubject(ALL_DEVICES);
            case AssignmentValidator.ALL_USERS -> new AssignmentSubject(ALL_LICENSED_USERS);
            // Graph serializes GUIDs in lower case, so the id does too whatever case the caller sent.
            case AssignmentValidator.GROUP, AssignmentValidator.EXCLUSION_GROUP ->
                    new AssignmentSubject(target.path("groupId").asString("").toLowerCase(Locale.ROOT));
            // Unverified: no public thread shows the id of a Configuration Manager collection assignment; by
            // analogy with groups it is taken to be {policyId}_{collectionId}, the collection id as sent.
            case AssignmentValidator.CM_COLLECTION -> new AssignmentSubject(target.path("collectionId").asString(""));
            default -> throw new IllegalArgumentException("not a normalized assignment target: " + target);
        };
    }

    /** Graph's id for an assignment of this subject on the policy. */
    String assignmentId(String policyId) {
        return policyId + "_" + idSuffix;
    }

    /** Ids compare case-insensitively, as Graph compares GUIDs and Configuration Manager its collection ids. */
    String key() {
        return idSuffix.toLowerCase(Locale.ROOT);
    }

    /** How error messages name the subject. */
    String describe() {
        return switch (idSuffix) {
            case ALL_DEVICES -> "All devices (" + ALL_DEVICES + ")";
            case ALL_LICENSED_USERS -> "All licensed users (" + ALL_LICENSED_USERS + ")";
            default -> idSuffix;
        };
    }

    /** The first subject that appears twice in {@code assignments}, with the indexes of both entries. */
    static Optional<Repeat> firstRepeat(List<? extends JsonNode> assignments) {
        Map<String, Integer> seen = new HashMap<>();
        for (int i = 0; i < assignments.size(); i++) {
            AssignmentSubject subject = of(assignments.get(i));
            Integer earlier = seen.putIfAbsent(subject.key(), i);
            if (earlier != null) {
                return Optional.of(new Repeat(subject, earlier, i));
            }
        }
        return Optional.empty();
    }

    /** A subject found at two indexes of one assignment set. */
    record Repeat(AssignmentSubject subject, int first, int second) {
    }
}
