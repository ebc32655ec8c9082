package io.assignmentworker.graph;

import java.time.Instant;

/**
 * One record of the strategies topic: how a tenant's assignments are written by the whole consumer group.
 *
 * @param strategy {@link Strategy#CREATE} or {@link Strategy#ASSIGN} (never {@code AUTO}: an announcement is a
 *                 decision)
 * @param reason   why: {@link #CONFIGURED} or {@link #CREATE_ROUTE_REFUSED}
 * @param at       when the announcing instance wrote it (its clock)
 * @param instance which instance announced it (host and process), for operators
 */
public record StrategyAnnouncement(Strategy strategy, String reason, Instant at, String instance) {

    /** The announcing instance was configured with this strategy for the tenant. */
    public static final String CONFIGURED = "configured";
    /**
     * The tenant refused the create route ({@code auto}): no create of any instance can land in it, so the switch
     * needs no wait for creates in flight.
     */
    public static final String CREATE_ROUTE_REFUSED = "create-route-refused";

    public StrategyAnnouncement {
        if (strategy == null || strategy == Strategy.AUTO) {
            throw new IllegalArgumentException("an announced strategy is create or assign, got " + strategy);
        }
        reason = reason == null ? CONFIGURED : reason;
    }
}
