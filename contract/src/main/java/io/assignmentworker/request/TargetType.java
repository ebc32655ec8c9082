package io.assignmentworker.request;

import java.util.Arrays;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;
import java.util.stream.Stream;

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
    /** Every spelling {@link #fromOdataType} accepts: read for each target of every request and Graph answer. */
    private static final Map<String, TargetType> BY_NAME = Arrays.stream(values())
            .flatMap(t -> Stream.of(Map.entry(t.graphName, t), Map.entry("#" + t.graphName, t),
                    Map.entry(NAMESPACE + t.graphName, t), Map.entry(t.odataType, t)))
            .collect(Collectors.toUnmodifiableMap(Map.Entry::getKey, Map.Entry::getValue));

    private final String graphName;
    private final String odataType;
    private final IdField idField;

    TargetType(String graphName, IdField idField) {
        this.graphName = graphName;
        this.odataType = "#" + NAMESPACE + graphName;
        this.idField = idField;
    }

    /** The OData type as Graph writes it, e.g. {@code #microsoft.graph.groupAssignmentTarget}. */
    public String odataType() {
        return odataType;
    }

    public IdField idField() {
        return idField;
    }

    /** Accepts {@code #microsoft.graph.x}, {@code microsoft.graph.x} and {@code x}. */
    public static Optional<TargetType> fromOdataType(String value) {
        return Optional.ofNullable(BY_NAME.get(value));
    }

    static String acceptedNames() {
        return String.join(", ", Arrays.stream(values()).map(t -> t.graphName).toList());
    }
}
