package io.assignmentworker.cli;

/** The command-line tool's exit codes; pipelines branch on them, so they never change meaning. */
enum ExitCode {
    /** Done: every request CREATED (new or already there), the dry run found no problem, the file was written. */
    OK(0),
    /** Some requests FAILED, the dry run found problems, or some failed requests could not be recovered. */
    FAILED(1),
    /** Wrong usage, or invalid lines in the file (nothing was published). */
    USAGE(2),
    /** {@code submit --wait} gave up after {@code --timeout}; the rollout goes on. */
    TIMED_OUT(3),
    /** {@code status}: the rollout is not complete yet. */
    NOT_COMPLETE(4),
    /** {@code status}, {@code failures}: no such rollout on the topics. */
    UNKNOWN_ROLLOUT(5),
    /** Kafka or Graph could not be reached, refused the credentials, or a topic is missing. */
    UNAVAILABLE(6);

    private final int code;

    ExitCode(int code) {
        this.code = code;
    }

    int code() {
        return code;
    }
}
