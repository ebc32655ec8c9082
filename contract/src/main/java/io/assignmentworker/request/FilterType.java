package io.assignmentworker.request;

import java.util.Optional;

/** How an assignment filter applies: Graph's {@code deviceAndAppManagementAssignmentFilterType}. */
public enum FilterType {
    NONE("none"), INCLUDE("include"), EXCLUDE("exclude");

    private final String graphName;

    FilterType(String graphName) {
        this.graphName = graphName;
    }

    public String graphName() {
        return graphName;
    }

    public static Optional<FilterType> fromGraphName(String value) {
        for (var candidate : values()) {
            if (candidate.graphName.equals(value)) {
                return Optional.of(candidate);
            }
        }
        return Optional.empty();
    }
}
