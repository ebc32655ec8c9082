package io.assignmentworker.request;

import java.util.Optional;

/** Where an assignment comes from: Graph's {@code deviceAndAppManagementAssignmentSource}. */
public enum AssignmentSource {
    DIRECT("direct"), POLICY_SETS("policySets");

    private final String graphName;

    AssignmentSource(String graphName) {
        this.graphName = graphName;
    }

    public String graphName() {
        return graphName;
    }

    public static Optional<AssignmentSource> fromGraphName(String value) {
        for (var candidate : values()) {
            if (candidate.graphName.equals(value)) {
                return Optional.of(candidate);
            }
        }
        return Optional.empty();
    }
}
