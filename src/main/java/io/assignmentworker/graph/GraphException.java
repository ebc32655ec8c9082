package io.assignmentworker.graph;

/** Carries a {@link GraphError} through futures. */
public final class GraphException extends RuntimeException {

    private final transient GraphError error;

    public GraphException(GraphError error) {
        super(error.category() + " " + (error.httpStatus() == null ? "" : error.httpStatus() + " ")
                + error.code() + ": " + error.message(), null, false, false);
        this.error = error;
    }

    public GraphError error() {
        return error;
    }
}
