package io.assignmentworker.emulator;

import io.assignmentworker.emulator.EmulatorStats.Operation;

/**
 * A parsed Graph request: what it asks for, or the routing error to answer once the caller is authenticated
 * (Graph authenticates before it resolves paths, so a bad path from an anonymous caller is still a 401).
 *
 * @param operation    the operation, for stats and budgets ({@link Operation#OTHER} for unknown paths)
 * @param policyId     the policy id from the path, or null
 * @param assignmentId the assignment id from the path, or null
 * @param path         the Graph path below {@code /beta}, as Intune would name it in error messages
 * @param error        the routing error, or null when the route is valid
 * @param entityId     the group or assignment filter id from the path, or null
 */
record GraphRoute(Operation operation, String policyId, String assignmentId, String path, GraphErrorReply error,
                  String entityId) {

    GraphRoute(Operation operation, String policyId, String assignmentId, String path, GraphErrorReply error) {
        this(operation, policyId, assignmentId, path, error, null);
    }

    /** A read of one directory or Intune entity that is not below a policy: a group or an assignment filter. */
    static GraphRoute entity(Operation operation, String entityId, String path) {
        return new GraphRoute(operation, null, null, path, null, entityId);
    }

    static GraphRoute failed(Operation operation, String path, GraphErrorReply error) {
        return new GraphRoute(operation, null, null, path, error);
    }

    /** Writes draw on the write budget as well as the request budget. */
    boolean isWrite() {
        return operation == Operation.CREATE || operation == Operation.ASSIGN;
    }
}
