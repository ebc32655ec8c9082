package io.assignmentworker.cli;

import java.io.PrintStream;

/**
 * While a command follows a rollout, Ctrl-C says how to pick it up again: the JVM runs this hook on SIGINT (and
 * then exits with 130), and the rollout itself goes on in the worker, so the id is all the user needs.
 */
final class FollowHint implements AutoCloseable {

    private final Thread hook;

    private FollowHint(Thread hook) {
        this.hook = hook;
    }

    /** @param terminal whether a progress bar may be on the line, to be ended first */
    static FollowHint install(PrintStream err, String rolloutId, boolean terminal) {
        Thread hook = new Thread(() -> {
            err.println((terminal ? System.lineSeparator() : "") + message(rolloutId));
            err.flush();
        }, "iaw-follow-hint");
        Runtime.getRuntime().addShutdownHook(hook);
        return new FollowHint(hook);
    }

    static String message(String rolloutId) {
        String id = Terminal.printable(rolloutId);
        return "Interrupted: stopped following " + id + "; the rollout goes on. Follow it again with: iaw status "
                + id + " --wait";
    }

    /** The wait ended by itself: no hint at exit. */
    @Override
    public void close() {
        try {
            Runtime.getRuntime().removeShutdownHook(hook);
        } catch (IllegalStateException shuttingDown) {
            // the hook runs, or has run: that is what it is for
        }
    }
}
