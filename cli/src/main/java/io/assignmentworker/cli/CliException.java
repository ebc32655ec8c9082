package io.assignmentworker.cli;

/** Ends a command with a message for the user and an exit code; no stack trace, as it is not a bug. */
final class CliException extends RuntimeException {

    private final ExitCode exitCode;

    CliException(ExitCode exitCode, String message) {
        super(message, null, false, false);
        this.exitCode = exitCode;
    }

    static CliException usage(String message) {
        return new CliException(ExitCode.USAGE, message);
    }

    static CliException unavailable(String message) {
        return new CliException(ExitCode.UNAVAILABLE, message);
    }

    ExitCode exitCode() {
        return exitCode;
    }
}
