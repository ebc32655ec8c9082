package io.assignmentworker.graph;

import java.util.concurrent.CompletionException;

/**
 * Carries a {@link GraphError} through futures. Open to extension: the worker's {@code WriteHeld} (a write its
 * permit held back) is one, and a sealed type cannot name a subclass in another artefact.
 */
public class GraphException extends RuntimeException {

    private final transient GraphError error;

    public GraphException(GraphError error) {
        super(error.category() + " " + (error.httpStatus() == null ? "" : error.httpStatus() + " ")
                + error.code() + ": " + error.message(), null, false, false);
        this.error = error;
    }

    public GraphError error() {
        return error;
    }

    /** The failure inside the {@link CompletionException} wrappers that futures add. */
    public static Throwable unwrap(Throwable failure) {
        Throwable cause = failure;
        while (cause instanceof CompletionException && cause.getCause() != null) {
            cause = cause.getCause();
        }
        return cause;
    }

    /** The {@link GraphError} a future failed with, or {@code null} when it failed otherwise. */
    public static GraphError errorOf(Throwable failure) {
        return unwrap(failure) instanceof GraphException graph ? graph.error() : null;
    }
}
