package io.assignmentworker.rollout;

import io.assignmentworker.outcome.ErrorCategory;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * Bounds on what the rollout topics may put into a rollout's state: whoever can write a manifest or a result can
 * otherwise make every tracked rollout as large as a record. The same limits as the published schemas
 * ({@code schemas/rollout-manifest.schema.json}), so the CLI publishes what the worker keeps.
 */
public final class RolloutLimits {

    /** A rolloutId's length, as a request's (the worker rejects longer ones). */
    public static final int MAX_ID_LENGTH = 200;
    /** A manifest's description: longer ones are cut to this length, ending in {@code …}. */
    public static final int MAX_DESCRIPTION_LENGTH = 500;

    private static final String UNKNOWN_CATEGORY = "UNKNOWN";
    private static final Set<String> CATEGORIES = Stream.of(ErrorCategory.values()).map(Enum::name)
            .collect(Collectors.toUnmodifiableSet());

    private RolloutLimits() {
    }

    /** The description cut to {@link #MAX_DESCRIPTION_LENGTH} characters (never inside a surrogate pair). */
    public static String description(String description) {
        if (description == null || description.length() <= MAX_DESCRIPTION_LENGTH) {
            return description;
        }
        int end = MAX_DESCRIPTION_LENGTH - 1;
        if (Character.isHighSurrogate(description.charAt(end - 1))) {
            end--;
        }
        return description.substring(0, end) + "…";
    }

    /** 1 to {@link #MAX_ID_LENGTH} characters without control characters: what the request validation accepts. */
    public static boolean isRolloutId(String rolloutId) {
        return rolloutId != null && !rolloutId.isEmpty() && rolloutId.length() <= MAX_ID_LENGTH
                && rolloutId.chars().noneMatch(c -> Character.isISOControl(c)
                        || Character.isWhitespace(c) && c != ' ');
    }

    /**
     * A result's error category as a key of {@code failedByCategory}: one of the worker's categories, else
     * {@code UNKNOWN}, so a rollout holds at most as many keys as there are categories. (During a rolling upgrade
     * that adds a category, the older instances count it as UNKNOWN.)
     */
    static String category(String category) {
        return category != null && CATEGORIES.contains(category) ? category : UNKNOWN_CATEGORY;
    }
}
