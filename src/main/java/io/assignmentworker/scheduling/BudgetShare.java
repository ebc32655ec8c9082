package io.assignmentworker.scheduling;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * This instance's share of every tenant's Graph budget. Graph's budget is per app and tenant, not per
 * instance, so instances of one consumer group split it the way Kafka splits the work: an instance that owns
 * a third of the partitions paces at a third of the budget. Create writes come from the requests topic's
 * partitions, {@code /assign} writes from the by-policy topic's, so each has its own share, recomputed on
 * every rebalance. Adaptive pacing on 429 remains the safety net (a share can be briefly stale during a
 * rebalance, and other tools use the tenant's budget too).
 */
public final class BudgetShare {

    private static final Logger log = LoggerFactory.getLogger(BudgetShare.class);

    private final boolean enabled;
    private volatile double create = 1.0;
    private volatile double assign = 1.0;

    /** @param enabled {@code false}: every instance uses the whole budget (one instance, or budgets sized by hand) */
    public BudgetShare(boolean enabled) {
        this.enabled = enabled;
    }

    /** The requests topic's partitions this instance owns now, of {@code total}. */
    public void requestsPartitions(int owned, int total) {
        create = share(owned, total);
        log.info("Owns {} of {} request partitions: {} of each create tenant's budget", owned, total, percent(create));
    }

    /** The by-policy topic's partitions this instance owns now, of {@code total}. */
    public void byPolicyPartitions(int owned, int total) {
        assign = share(owned, total);
        log.info("Owns {} of {} by-policy partitions: {} of each assign tenant's budget", owned, total,
                percent(assign));
    }

    /** The share of the budget of a tenant written with create calls (1 when sharing is off). */
    public double forCreate() {
        return enabled ? create : 1.0;
    }

    /** The share of the budget of a tenant written with coalesced {@code /assign} calls. */
    public double forAssign() {
        return enabled ? assign : 1.0;
    }

    /**
     * With no partitions an instance still gets one partition's share, so work it finishes for partitions
     * that were just revoked is not stuck behind a zero budget.
     */
    private static double share(int owned, int total) {
        if (total <= 0) {
            return 1.0;
        }
        return Math.min(1.0, Math.max(owned, 1) / (double) total);
    }

    private static String percent(double share) {
        return Math.round(share * 1000) / 10.0 + "%";
    }
}
