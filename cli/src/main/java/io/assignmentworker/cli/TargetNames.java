package io.assignmentworker.cli;

import io.assignmentworker.request.AssignmentTarget;
import io.assignmentworker.request.FilterType;
import io.assignmentworker.request.TargetType;
import java.util.Arrays;
import java.util.Locale;
import java.util.Optional;

/** The short target type names of the file formats ({@code group}, {@code allUsers} …) and how targets read. */
final class TargetNames {

    private TargetNames() {
    }

    static final String ACCEPTED = "group, exclusionGroup, allUsers, allDevices, configurationManagerCollection";

    /** The short name; Graph's names ({@code groupAssignmentTarget}, with or without namespace) are accepted too. */
    static Optional<TargetType> parse(String name) {
        String lower = name.trim().toLowerCase(Locale.ROOT);
        Optional<TargetType> shortName = Arrays.stream(TargetType.values())
                .filter(t -> shortName(t).toLowerCase(Locale.ROOT).equals(lower)).findFirst();
        return shortName.or(() -> TargetType.fromOdataType(name.trim()));
    }

    static String shortName(TargetType type) {
        return switch (type) {
            case GROUP -> "group";
            case EXCLUSION_GROUP -> "exclusionGroup";
            case ALL_LICENSED_USERS -> "allUsers";
            case ALL_DEVICES -> "allDevices";
            case CONFIGURATION_MANAGER_COLLECTION -> "configurationManagerCollection";
        };
    }

    /** How a target reads in reports: {@code group 0b5e…}, {@code all devices (filter include 1234…)}. */
    static String describe(AssignmentTarget target) {
        String what = switch (target.type()) {
            case GROUP -> "group " + target.groupId();
            case EXCLUSION_GROUP -> "exclusion group " + target.groupId();
            case ALL_LICENSED_USERS -> "all users";
            case ALL_DEVICES -> "all devices";
            case CONFIGURATION_MANAGER_COLLECTION -> "collection " + target.collectionId();
        };
        return target.filterType() == FilterType.NONE ? what
                : what + " (filter " + target.filterType().graphName() + " " + target.filterId() + ")";
    }
}
