package io.assignmentworker.graph;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The tenant strategies the consumer group has decided, as this instance has read them from the strategies
 * topic, folded record by record:
 * <ul>
 *   <li>a tenant's first announcement decides; later ones change nothing, except {@code create} followed by
 *   {@code assign} (a switch); a tombstone forgets the tenant (the operator's way back to {@code create});</li>
 *   <li>a switch made for any reason but a refused create route holds {@code /assign} writes back for
 *   {@code hold}: an instance may have sent a create just before it read the switch, and that create can land up
 *   to a request timeout later. {@code /assign} replaces the whole set, so it must not read the policy before
 *   such a create has landed;</li>
 *   <li>the view is <em>fresh</em> while the reader has caught up with the topic's end less than {@code lease}
 *   ago; creates go only while it is, so an instance that cannot read the topic stops creating within the lease
 *   (the hold is request timeout + lease for that reason).</li>
 * </ul>
 * Thread-safe: the reader thread folds, Graph and timer threads ask.
 */
public final class AnnouncedStrategies {

    /** How far instance clocks may disagree before a switch's age, judged by its timestamp, is trusted. */
    static final Duration CLOCK_SKEW = Duration.ofSeconds(30);

    private record Decided(Strategy strategy, Instant heldUntil, StrategyAnnouncement announcement) {
    }

    private final Duration hold;
    private final Duration lease;
    private final Clock clock;
    private final boolean local;
    private final Map<String, Decided> decided = new ConcurrentHashMap<>();
    private volatile long caughtUpAsOf;
    private volatile boolean everCaughtUp;

    /**
     * @param hold  how long {@code /assign} writes wait after a switch from create (request timeout + lease)
     * @param lease how long a view that caught up with the topic stays fresh
     */
    public AnnouncedStrategies(Duration hold, Duration lease, Clock clock) {
        this(hold, lease, clock, false);
    }

    private AnnouncedStrategies(Duration hold, Duration lease, Clock clock, boolean local) {
        this.hold = hold;
        this.lease = lease;
        this.clock = clock;
        this.local = local;
    }

    /**
     * A view for one instance without Kafka (tests, tools): its own announcements are all there is, always fresh.
     */
    public static AnnouncedStrategies local(Clock clock) {
        return new AnnouncedStrategies(Duration.ZERO, Duration.ofDays(1), clock, true);
    }

    /**
     * Folds one record.
     *
     * @param announcement null for a tombstone
     * @param writtenAt    the record's timestamp
     */
    public void fold(String tenantKey, StrategyAnnouncement announcement, Instant writtenAt) {
        String tenant = tenantKey.toLowerCase(Locale.ROOT);
        if (announcement == null) {
            decided.remove(tenant);
            return;
        }
        decided.compute(tenant, (key, before) -> {
            if (before == null) {
                return new Decided(announcement.strategy(), Instant.MIN, announcement);
            }
            if (before.strategy() == Strategy.CREATE && announcement.strategy() == Strategy.ASSIGN) {
                return new Decided(Strategy.ASSIGN, heldUntil(announcement, writtenAt), announcement);
            }
            return before;
        });
    }

    /**
     * Until {@code hold} after this instance read the switch, or after it was written when the instance clocks
     * agree that is long past (a restarted instance re-reading an old switch does not wait again).
     */
    private Instant heldUntil(StrategyAnnouncement announcement, Instant writtenAt) {
        if (StrategyAnnouncement.CREATE_ROUTE_REFUSED.equals(announcement.reason())) {
            return Instant.MIN;
        }
        Instant afterRead = clock.instant().plus(hold);
        Instant afterWrite = writtenAt.plus(hold).plus(CLOCK_SKEW);
        return afterRead.isBefore(afterWrite) ? afterRead : afterWrite;
    }

    /** The reader has read everything the topic held at {@code asOfNanos} ({@link System#nanoTime()}). */
    public void caughtUp(long asOfNanos) {
        caughtUpAsOf = asOfNanos;
        everCaughtUp = true;
        synchronized (this) {
            notifyAll();
        }
    }

    /** The group's strategy for the tenant, if one was announced. */
    public Optional<Strategy> strategyOf(String tenantId) {
        Decided now = decided.get(tenantId.toLowerCase(Locale.ROOT));
        return now == null ? Optional.empty() : Optional.of(now.strategy());
    }

    /** The announcement in force for the tenant, if any. */
    public Optional<StrategyAnnouncement> announcementOf(String tenantId) {
        Decided now = decided.get(tenantId.toLowerCase(Locale.ROOT));
        return now == null ? Optional.empty() : Optional.of(now.announcement());
    }

    /** How long {@code /assign} writes of the tenant must still wait after a switch; zero when they may go. */
    public Duration assignHeldFor(String tenantId) {
        Decided now = decided.get(tenantId.toLowerCase(Locale.ROOT));
        if (now == null || now.heldUntil() == Instant.MIN) {
            return Duration.ZERO;
        }
        Duration left = Duration.between(clock.instant(), now.heldUntil());
        return left.isNegative() ? Duration.ZERO : left;
    }

    /** Whether this instance has read the topic to its end less than the lease ago. */
    public boolean fresh() {
        return local || everCaughtUp && System.nanoTime() - caughtUpAsOf < lease.toNanos();
    }

    /** Whether the reader has caught up with the topic at least once. */
    public boolean caughtUpOnce() {
        return local || everCaughtUp;
    }

    /** Waits until {@link #caughtUpOnce()} or the timeout passes; returns whether it has. */
    public synchronized boolean awaitCaughtUp(Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (!caughtUpOnce()) {
            long left = deadline - System.nanoTime();
            if (left <= 0) {
                return false;
            }
            wait(Math.max(1, left / 1_000_000));
        }
        return true;
    }
}
