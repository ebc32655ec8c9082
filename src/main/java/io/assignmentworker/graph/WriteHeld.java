package io.assignmentworker.graph;

/**
 * The failure of a write its {@link WritePermit} said {@link WritePermit.Answer#WAIT WAIT} to: nothing was sent.
 * Transient; a caller that retries does not count it against the request, since the wait was its own.
 */
public final class WriteHeld extends GraphException {

    WriteHeld(GraphError error) {
        super(error);
    }
}
