package io.assignmentworker.graph;

/** How the worker writes a tenant's assignments ({@code worker.graph.strategy}, per tenant in {@code tenant-strategies}). */
public enum Strategy {
    /** One {@code POST …/{id}/assignments} per request: the documented create route. */
    CREATE,
    /**
     * Per policy, requests arriving close together are coalesced into one {@code POST …/{id}/assign} that
     * writes the whole assignment set: the existing assignments, kept exactly, plus the new targets.
     */
    ASSIGN,
    /**
     * Routed as {@link #ASSIGN}: a policy's owner coalesces whenever more than one request for the policy is
     * waiting, and writes a request that is alone as one create, until the tenant refuses the create route.
     */
    AUTO
}
