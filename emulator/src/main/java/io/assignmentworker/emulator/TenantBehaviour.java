package io.assignmentworker.emulator;

import java.time.Duration;
import java.util.Locale;
import java.util.Objects;
import java.util.OptionalInt;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The runtime knobs of one emulated tenant: throttling budgets, fault injection (including one-shot malformed
 * replies) and latency.
 *
 * <p>Every setter is thread-safe and takes effect for the next Graph call of the tenant, so a test can flip a
 * knob while a client is running. Setters return {@code this} so calls can be chained.
 */
public final class TenantBehaviour {
    private volatile int writeBudget;
    private volatile int requestBudget;
    private volatile double unavailableRatio;
    private volatile double ambiguousTimeoutRatio;
    private volatile boolean outage;
    private volatile boolean createRouteRefused;
    private volatile boolean directoryChecks;
    private volatile LatencySpec latency;
    private final Set<String> missingGroups = ConcurrentHashMap.newKeySet();
    private final Countdown listWithoutValue = new Countdown("listWithoutValue");
    private final Countdown failNextPage = new Countdown("failNextPage");
    private final Countdown brokenNextLink = new Countdown("brokenNextLink");
    private final Countdown assignWithoutBody = new Countdown("assignWithoutBody");
    private final Countdown assignDropsExisting = new Countdown("assignDropsExisting");
    // Count and status change together, so they live under one lock rather than in two volatiles.
    private int failNextCount;
    private int failNextStatus;
    private volatile String failureRetryAfter;

    TenantBehaviour(EmulatorSettings settings) {
        this.writeBudget = settings.writeBudget();
        this.requestBudget = settings.requestBudget();
        this.latency = new LatencySpec(settings.latency(), settings.latencyJitter());
        this.directoryChecks = settings.directoryChecks();
    }

    /** Writes (create and assign) allowed per budget window; {@link EmulatorSettings#UNLIMITED} for no limit. */
    public TenantBehaviour writeBudget(int perWindow) {
        requirePositive(perWindow, "writeBudget");
        this.writeBudget = perWindow;
        return this;
    }

    /** Graph requests allowed per budget window; {@link EmulatorSettings#UNLIMITED} for no limit. */
    public TenantBehaviour requestBudget(int perWindow) {
        requirePositive(perWindow, "requestBudget");
        this.requestBudget = perWindow;
        return this;
    }

    /** Share (0..1) of Graph calls answered 503 ServiceUnavailable at random, before any work is done. */
    public TenantBehaviour unavailableRatio(double ratio) {
        this.unavailableRatio = requireRatio(ratio, "unavailableRatio");
        return this;
    }

    /**
     * Share (0..1) of writes that are performed and then answered 504 GatewayTimeout: the case where the
     * client cannot tell whether its request took effect. Reads are never affected.
     */
    public TenantBehaviour ambiguousTimeoutRatio(double ratio) {
        this.ambiguousTimeoutRatio = requireRatio(ratio, "ambiguousTimeoutRatio");
        return this;
    }

    /** While on, every Graph call of the tenant answers 503 ServiceUnavailable. */
    public TenantBehaviour outage(boolean on) {
        this.outage = on;
        return this;
    }

    /**
     * While on, {@code POST …/assignments} answers Intune's 400 "No method match route template" error,
     * as the real service does for compliance policies; {@code POST …/assign} keeps working.
     */
    public TenantBehaviour createRouteRefused(boolean on) {
        this.createRouteRefused = on;
        return this;
    }

    /**
     * The next {@code count} Graph calls of the tenant (that pass authentication) answer {@code status} with
     * Graph's error JSON; a 429 carries {@code Retry-After: 1} unless omitted by the settings' ratio.
     * Replaces any pending injection; a count of 0 clears it.
     */
    public synchronized TenantBehaviour failNext(int count, int status) {
        if (count < 0) {
            throw new IllegalArgumentException("count must not be negative");
        }
        if (status < 400 || status > 599) {
            throw new IllegalArgumentException("status must be an HTTP error status (400..599)");
        }
        this.failNextCount = count;
        this.failNextStatus = status;
        return this;
    }

    /**
     * The {@code Retry-After} header that 5xx answers carry (an outage, a random 503, an injected failure), as
     * Graph's gateways sometimes send one with a 503; {@code null} (the default) sends none. Any text is sent as
     * given, so a test can send what Graph has been seen to send ({@code 86400}, {@code 31,120}, a date).
     */
    public TenantBehaviour failureRetryAfter(String headerValue) {
        this.failureRetryAfter = headerValue;
        return this;
    }

    /** The {@code Retry-After} 5xx answers carry, or {@code null}. */
    public String failureRetryAfter() {
        return failureRetryAfter;
    }

    /**
     * The next {@code count} list replies ({@code GET …/assignments}, first or follow-up pages) that would succeed
     * answer 200 with a JSON object that has no {@code value} array. Replaces any pending count; 0 clears it.
     */
    public TenantBehaviour listWithoutValue(int count) {
        listWithoutValue.set(count);
        return this;
    }

    /**
     * The next {@code count} follow-up list pages (requests that carry {@code $skiptoken}) answer 503
     * ServiceUnavailable in Graph's error shape, after the budgets admitted them. Replaces any pending count.
     */
    public TenantBehaviour failNextPage(int count) {
        failNextPage.set(count);
        return this;
    }

    /**
     * The next {@code count} first list pages (requests without {@code $skiptoken}) carry an
     * {@code @odata.nextLink}, whether or not more assignments follow, whose skip token has expired: following it
     * answers 400 BadRequest. Replaces any pending count.
     */
    public TenantBehaviour brokenNextLink(int count) {
        brokenNextLink.set(count);
        return this;
    }

    /**
     * The next {@code count} successful {@code POST …/assign} calls perform the write and answer 200 with an
     * empty body (msgraph-sdk-powershell#2605). A write hidden behind an ambiguous 504 does not take one.
     * Replaces any pending count.
     */
    public TenantBehaviour assignWithoutBody(int count) {
        assignWithoutBody.set(count);
        return this;
    }

    /**
     * The next {@code count} successful {@code POST …/assign} calls store the set without one entry the policy
     * already held (the first such entry sent), and answer with what they stored. No documented Graph behaviour
     * does this; it stands for another writer's removal landing between a client's write and its read-back, the
     * case a client that verifies what it wrote must notice and repair. Replaces any pending count.
     */
    public TenantBehaviour assignDropsExisting(int count) {
        assignDropsExisting.set(count);
        return this;
    }

    /**
     * Makes the group unknown to the tenant's directory, registered or not, with or without
     * {@link #directoryChecks(boolean)}: a write (create or {@code /assign}) whose target names it answers 400
     * BadRequest, an {@code /assign} writes nothing of its set, and {@code GET /groups/{id}} answers 404.
     */
    public TenantBehaviour missingGroup(String groupId) {
        missingGroups.add(groupId.toLowerCase(Locale.ROOT));
        return this;
    }

    /**
     * While on, creates and {@code /assign} consult the tenant's directory as Graph does: a group target whose
     * group was not registered with {@code GraphEmulator.addGroup}, or a filter (include or exclude) not
     * registered with {@code addAssignmentFilter}, is refused 400 BadRequest and an {@code /assign} writes
     * nothing of its set. Off (the default, unless {@link EmulatorSettings#directoryChecks()}), any well-formed
     * id is accepted, so tests need not register the groups they assign.
     */
    public TenantBehaviour directoryChecks(boolean on) {
        this.directoryChecks = on;
        return this;
    }

    /** Whether writes refuse groups and assignment filters the tenant's directory does not hold. */
    public boolean directoryChecks() {
        return directoryChecks;
    }

    /** Whether {@link #missingGroup} made the group unknown. */
    public boolean groupMissing(String groupId) {
        return groupId != null && missingGroups.contains(groupId.toLowerCase(Locale.ROOT));
    }

    /** Mean latency of the tenant's Graph calls, varied uniformly by ± {@code jitter}. */
    public TenantBehaviour latency(Duration mean, Duration jitter) {
        this.latency = new LatencySpec(mean, jitter);
        return this;
    }

    /** Current write budget per window. */
    public int writeBudget() {
        return writeBudget;
    }

    /** Current request budget per window. */
    public int requestBudget() {
        return requestBudget;
    }

    /** Current share of calls answered 503. */
    public double unavailableRatio() {
        return unavailableRatio;
    }

    /** Current share of writes performed then answered 504. */
    public double ambiguousTimeoutRatio() {
        return ambiguousTimeoutRatio;
    }

    /** Whether the tenant is in an outage. */
    public boolean outage() {
        return outage;
    }

    /** Whether {@code POST …/assignments} is refused. */
    public boolean createRouteRefused() {
        return createRouteRefused;
    }

    /** Calls still to be failed by {@link #failNext(int, int)}. */
    public synchronized int pendingFailures() {
        return failNextCount;
    }

    /** List replies still to be sent without {@code value}. */
    public int listWithoutValue() {
        return listWithoutValue.left();
    }

    /** Follow-up pages still to be failed with 503. */
    public int failNextPage() {
        return failNextPage.left();
    }

    /** First pages still to carry a broken next link. */
    public int brokenNextLink() {
        return brokenNextLink.left();
    }

    /** Successful assigns still to be answered without a body. */
    public int assignWithoutBody() {
        return assignWithoutBody.left();
    }

    /** Successful assigns still to drop an existing entry. */
    public int assignDropsExisting() {
        return assignDropsExisting.left();
    }

    /** Current mean latency. */
    public Duration latencyMean() {
        return latency.mean();
    }

    /** Current latency jitter. */
    public Duration latencyJitter() {
        return latency.jitter();
    }

    LatencySpec latencySpec() {
        return latency;
    }

    /** Takes one pending injected failure, if any, and returns its status. */
    synchronized OptionalInt takeInjectedFailure() {
        if (failNextCount == 0) {
            return OptionalInt.empty();
        }
        failNextCount--;
        return OptionalInt.of(failNextStatus);
    }

    boolean takeListWithoutValue() {
        return listWithoutValue.take();
    }

    boolean takeFailNextPage() {
        return failNextPage.take();
    }

    boolean takeBrokenNextLink() {
        return brokenNextLink.take();
    }

    boolean takeAssignDropsExisting() {
        return assignDropsExisting.take();
    }

    boolean takeAssignWithoutBody() {
        return assignWithoutBody.take();
    }

    private static void requirePositive(int value, String name) {
        if (value <= 0) {
            throw new IllegalArgumentException(name + " must be positive");
        }
    }

    private static double requireRatio(double ratio, String name) {
        if (!(ratio >= 0 && ratio <= 1)) {
            throw new IllegalArgumentException(name + " must be between 0 and 1");
        }
        return ratio;
    }

    /** Latency mean and jitter, swapped as one value so a reader never sees a half-updated pair. */
    record LatencySpec(Duration mean, Duration jitter) {
        LatencySpec {
            Objects.requireNonNull(mean, "mean");
            Objects.requireNonNull(jitter, "jitter");
            if (mean.isNegative() || jitter.isNegative()) {
                throw new IllegalArgumentException("latency and jitter must not be negative");
            }
        }
    }
}
