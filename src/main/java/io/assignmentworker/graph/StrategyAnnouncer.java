package io.assignmentworker.graph;

/** Publishes a tenant's strategy to every instance of the group (the strategies topic). */
public interface StrategyAnnouncer {

    /** Sends the announcement; it takes effect on each instance (this one too) when that instance reads it. */
    void announce(String tenantKey, StrategyAnnouncement announcement);
}
