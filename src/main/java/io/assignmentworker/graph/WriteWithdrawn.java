package io.assignmentworker.graph;

/**
 * The failure of a request whose {@link WritePermit} said {@link WritePermit.Answer#WITHDRAWN WITHDRAWN}: nothing
 * more was sent for it. Not a Graph failure and not an outcome; the caller decides what becomes of the request.
 */
public final class WriteWithdrawn extends RuntimeException {

    WriteWithdrawn() {
        super("the request's write permit was withdrawn; nothing more was sent for it", null, false, false);
    }
}
