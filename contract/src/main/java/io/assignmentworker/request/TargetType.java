package io.assignmentworker.request;

import java.util.Arrays;
import java.util.Optional;

/** The assignment targets Intune accepts for a compliance policy, and which id each one needs. */
public enum TargetType {
    GROUP("groupAssignmentTarget", IdField.GROUP_ID),
    EXCLUSION_GROUP("exclusionGroupAssignmentTarget", IdField.GROUP_ID),
    ALL_LICENSED_USERS("allLicensedUsersAssignmentTarget", IdField.NONE),
    ALL_DEVICES("allDevicesAssignmentTarget", IdField.NONE),
    CONFIGURATION_MANAGER_COLLECTION("configurationManagerCollectionAssignmentTarget", IdField.COLLECTION_ID);

    /** Which identifier field a target type carries. */
    public enum IdField { NONE, GROUP_ID, COLLECTION_ID }

    private static final String NAMESPACE = "microsoft.graph.";

    private final String graphName;
    private final IdField idField;

    TargetType(String graphName, IdField idField) {
        this.graphName = graphName;
        this.idField = idField;
    }

    /** The OData type as Graph writes it, e.g. {@code #microsoft.graph.groupAssignmentTarget}. */
    public String odataType() {
        return "#" + NAMESPACE + graphName;
    }

    public IdField idField() {
        return idField;
    }

    /** Accepts {@code #microsoft.graph.x}, {@code microsoft.graph.x} and {@code x}. */
    public static Optional<TargetType> fromOdataType(String value) {
        String name = value.startsWith("#") ? value.substring(1) : value;
        String bare = name.startsWith(NAMESPACE) ? name.substring(NAMESPACE.length()) : name;
        return Arrays.stream(values()).filter(t -> t.graphName.equals(bare)).findFirst();
    }

    static String acceptedNames() {
        return String.join(", ", Arrays.stream(values()).map(t -> t.graphName).toList());
    }
}
