package io.assignmentworker.scheduling;

import java.time.Duration;
import java.util.function.LongSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * This instance's share of every tenant's Graph budget. Graph's budget is per app and tenant, not per
 * instance, so instances of one consumer group split it the way Kafka splits the work: an instance that owns
 * a third of the partitions spends at most a third of the budget in any window. Create writes come from the
 * requests topic's partitions, {@code /assign} writes from the by-policy topic's, so each has its own share,
 * recomputed on every rebalance.
 *
 * <p>A share that falls applies at once. One that rises (partitions gained, and the first partitions after the
 * instance starts) applies only after {@code riseHold}: the instance that had them may have spent its part of
 * the budget just before it let them go (a window of Graph's, plus the time its calls already under way may
 * still take to arrive). Until then the lower share stays in force; an instance that starts has none. Adaptive
 * pacing on 429 remains the safety net (other tools use the tenant's budget too).
 */
public final class BudgetShare {

    private static final Logger log = LoggerFactory.getLogger(BudgetShare.class);

    private final boolean enabled;
    private final Share create;
    private final Share assign;

    /**
     * @param enabled  {@code false}: every instance uses the whole budget at once (one instance, or budgets sized
     *                 by hand)
     * @param riseHold how long a share that rose waits before it applies
     * @param nanoTime the clock (tests drive their own)
     */
    public BudgetShare(boolean enabled, Duration riseHold, LongSupplier nanoTime) {
        this.enabled = enabled;
        this.create = new Share(riseHold.toNanos(), nanoTime);
        this.assign = new Share(riseHold.toNanos(), nanoTime);
    }

    /** The whole budget at once, or no sharing at all: tests and tools that run one instance. */
    public BudgetShare(boolean enabled) {
        this(enabled, Duration.ZERO, System::nanoTime);
    }

    /** The requests topic's partitions this instance owns now, of {@code total}. */
    public void requestsPartitions(int owned, int total) {
        double offered = share(owned, total);
        create.offer(offered);
        log.info("Owns {} of {} request partitions: {} of each create tenant's budget{}", owned, total,
                percent(offered), create.holding() ? " once the hold for a rising share is over" : "");
    }

    /** The by-policy topic's partitions this instance owns now, of {@code total}. */
    public void byPolicyPartitions(int owned, int total) {
        double offered = share(owned, total);
        assign.offer(offered);
        log.info("Owns {} of {} by-policy partitions: {} of each assign tenant's budget{}", owned, total,
                percent(offered), assign.holding() ? " once the hold for a rising share is over" : "");
    }

    /** The share in force of the budget of a tenant written with create calls (1 when sharing is off). */
    public double forCreate() {
        return enabled ? create.inForce() : 1.0;
    }

    /** The share in force of the budget of a tenant written with coalesced {@code /assign} calls. */
    public double forAssign() {
        return enabled ? assign.inForce() : 1.0;
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

    /** One share: the one in force, and a higher one waiting out its hold. */
    private static final class Share {
        private final long holdNanos;
        private final LongSupplier nanoTime;
        private double inForce;
        private double rising;
        private long risingSince;

        Share(long holdNanos, LongSupplier nanoTime) {
            this.holdNanos = holdNanos;
            this.nanoTime = nanoTime;
            // Before its first partitions an instance has no share; without a hold, the whole budget at once.
            this.inForce = holdNanos == 0 ? 1.0 : 0.0;
        }

        synchronized void offer(double offered) {
            if (offered <= inForce) {
                inForce = offered;
                rising = 0;
            } else if (holdNanos == 0) {
                inForce = offered;
            } else {
                rising = offered;
                risingSince = nanoTime.getAsLong();
            }
        }

        synchronized double inForce() {
            if (rising > 0 && nanoTime.getAsLong() - risingSince >= holdNanos) {
                inForce = rising;
                rising = 0;
            }
            return inForce;
        }

        synchronized boolean holding() {
            return rising > 0;
        }
    }
}
