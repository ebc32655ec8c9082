package io.assignmentworker.metrics;

import io.assignmentworker.outcome.Outcome;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.List;
import java.util.function.Supplier;
import org.apache.kafka.clients.consumer.Consumer;

/**
 * Every meter the worker defines, named in one place; the meters of each concern are built by a class of their
 * own. Labels have bounded values only: statuses, categories, operations and configured tenant ids — never
 * request, policy or group ids.
 */
public final class WorkerMetrics {

    public static final String OUTCOMES = "intune.worker.outcomes";
    public static final String DEAD_LETTERS = "intune.worker.dead.letters";
    public static final String GRAPH_CALLS = "intune.worker.graph.calls";
    public static final String GRAPH_THROTTLED = "intune.worker.graph.throttled";
    public static final String GRAPH_RETRIES = "intune.worker.graph.retries";
    public static final String TOKEN_REQUESTS = "intune.worker.token.requests";
    public static final String IN_FLIGHT = "intune.worker.in.flight";
    public static final String IN_FLIGHT_BYTES = "intune.worker.in.flight.bytes";
    public static final String IN_FLIGHT_LIMIT = "intune.worker.in.flight.limit";
    public static final String GRAPH_CALLS_WAITING = "intune.worker.graph.calls.waiting";
    public static final String TENANT_COOL_DOWN = "intune.worker.tenant.cool.down.seconds";
    public static final String TENANT_PACE = "intune.worker.tenant.pace";
    public static final String TENANT_BUDGET_SHARE = "intune.worker.tenant.budget.share";
    public static final String ROLLOUTS_ACTIVE = "intune.worker.rollouts.active";
    public static final String ROLLOUTS_PENDING = "intune.worker.rollouts.pending.requests";
    public static final String ROLLOUTS_COMPLETED = "intune.worker.rollouts.completed";
    public static final String ROLLOUTS_TRACKED = "intune.worker.rollouts.tracked";
    public static final String ROLLOUTS_EVICTED = "intune.worker.rollouts.evicted";
    public static final String ROLLOUTS_UNTRACKED = "intune.worker.rollouts.untracked";
    public static final String TENANT_STRATEGY = "intune.worker.tenant.strategy";
    public static final String STRATEGY_SWITCHES = "intune.worker.strategy.switches";
    public static final String BATCH_SIZE = "intune.worker.assign.batch.size";
    public static final String READ_TO_WRITE = "intune.worker.assign.read.to.write";
    public static final String ASSIGN_REPAIRS = "intune.worker.assign.repairs";
    public static final String ASSIGN_FOREIGN = "intune.worker.assign.foreign";
    public static final String ASSIGN_UNREPAIRED = "intune.worker.assign.unrepaired";
    public static final String BY_POLICY_MISROUTED = "intune.worker.by.policy.misrouted";
    public static final String INTAKE_SESSION_RESTARTS = "intune.worker.intake.session.restarts";
    /**
     * Why an intake session (one Kafka consumer and its producer) ended and was replaced: {@code fenced} (another
     * producer or group member took its place), {@code authentication}, {@code authorization}, {@code no_offset}
     * (no committed offset and no reset policy), {@code fatal} (another error a Kafka client refused for good),
     * {@code transient} (creating its clients failed and may work next time), {@code error} (not a Kafka error).
     */
    public static final List<String> INTAKE_SESSION_RESTART_REASONS = List.of("fenced",
            "authentication", "authorization", "no_offset", "fatal", "transient", "error");
    /**
     * Why a by-policy record was not written from where it was read: {@code key} and {@code partition} (not where
     * the forwarder puts its policy: forwarded again), {@code strategy} (its tenant does not write with
     * {@code /assign}: handled as a request), {@code unforwarded} (no forward headers: FAILED).
     */
    public static final List<String> BY_POLICY_MISROUTED_REASONS =
            List.of("key", "partition", "strategy", "unforwarded");

    private final OutcomeMeters outcomes;
    private final GraphMeters graph;
    private final TenantMeters tenants;
    private final AssignMeters assign;
    private final RolloutMeters rollouts;
    private final IntakeMeters intake;

    /**
     * Counters with labels exist only from their first count, and Prometheus' {@code increase()} misses that
     * first event; each concern registers every known label combination at 0, keeping rates and alerts exact.
     */
    public WorkerMetrics(MeterRegistry registry) {
        this.outcomes = new OutcomeMeters(registry);
        this.graph = new GraphMeters(registry);
        this.tenants = new TenantMeters(registry);
        this.assign = new AssignMeters(registry);
        this.rollouts = new RolloutMeters(registry);
        this.intake = new IntakeMeters(registry);
    }

    /** One outcome committed to the result topic (and its dead letter, if any). */
    public void outcomePublished(Outcome outcome, boolean deadLetter) {
        outcomes.published(outcome, deadLetter);
    }

    /** One HTTP exchange with Graph; {@code status} is the HTTP status or {@code io_error}. */
    public void graphCall(String operation, String status, long nanos) {
        graph.call(operation, status, nanos);
    }

    /** A request is tried again; {@code reason} is the error category that caused it. */
    public void retry(String reason) {
        graph.retry(reason);
    }

    /** A token request to Entra ID: on expiry, or after Graph rejected the token. */
    public void tokenRequest(boolean success, boolean afterRejection) {
        graph.tokenRequest(success, afterRejection);
    }

    public void graphCallsWaiting(Supplier<Number> count) {
        graph.callsWaiting(count);
    }

    public void throttled(String tenantId) {
        tenants.throttled(tenantId);
    }

    public void tenantCoolDown(String tenantId, Supplier<Number> seconds) {
        tenants.coolDown(tenantId, seconds);
    }

    public void tenantPace(String tenantId, Supplier<Number> share) {
        tenants.pace(tenantId, share);
    }

    /** This instance's share of the tenant's budget: its share of the partitions that carry the tenant's work. */
    public void tenantBudgetShare(String tenantId, Supplier<Number> share) {
        tenants.budgetShare(tenantId, share);
    }

    /** 1 for the strategy the tenant writes with now ({@code create} or {@code assign}), 0 for the other. */
    public void tenantStrategy(String tenantId, String strategy, Supplier<Number> active) {
        tenants.strategy(tenantId, strategy, active);
    }

    /** The tenant refused the create route and was switched to coalesced {@code /assign} writes. */
    public void strategySwitched(String tenantId) {
        tenants.strategySwitched(tenantId);
    }

    /** One coalesced {@code /assign} batch of {@code requests} requests for one policy, finished. */
    public void assignBatch(int requests) {
        assign.batch(requests);
    }

    /**
     * How old the read of a policy's assignments was when the {@code /assign} written from it left: the window in
     * which another writer's change would be written over.
     */
    public void readToWriteGap(long nanos) {
        assign.readToWriteGap(nanos);
    }

    /** Assignments that were there before an {@code /assign}, missing or changed after it, and written back. */
    public void assignRepaired(int assignments) {
        assign.repaired(assignments);
    }

    /** Assignments that appeared during an {@code /assign} from another writer; kept. */
    public void assignForeignKept(int assignments) {
        assign.foreignKept(assignments);
    }

    /** Assignments lost by an {@code /assign} that repairs could not bring back. */
    public void assignUnrepaired(int assignments) {
        assign.unrepaired(assignments);
    }

    /** A by-policy record not written from where it was read; see {@link #BY_POLICY_MISROUTED_REASONS}. */
    public void byPolicyMisrouted(String reason) {
        assign.misrouted(reason);
    }

    /** Rollouts this instance aggregates that have not received all their outcomes yet. */
    public void rolloutsActive(Supplier<Number> count) {
        rollouts.active(count);
    }

    /** Requests of those rollouts, by their manifests, still without an outcome. */
    public void rolloutsPendingRequests(Supplier<Number> count) {
        rollouts.pendingRequests(count);
    }

    /** Rollouts this instance holds, complete or not (at most {@code worker.rollouts.max-tracked}). */
    public void rolloutsTracked(Supplier<Number> count) {
        rollouts.tracked(count);
    }

    /** A rollout received the last of the outcomes its manifest declared. */
    public void rolloutCompleted() {
        rollouts.completed();
    }

    /** A complete rollout forgotten before its retention to make room for a new one. */
    public void rolloutEvicted() {
        rollouts.evicted();
    }

    /** An outcome or manifest not counted: its rollout was new while the instance held max-tracked rollouts. */
    public void rolloutUntracked() {
        rollouts.untracked();
    }

    public void inFlight(Supplier<Number> count) {
        intake.inFlight(count);
    }

    public void inFlightBytes(Supplier<Number> bytes) {
        intake.inFlightBytes(bytes);
    }

    public void inFlightLimit(Supplier<Number> limit) {
        intake.inFlightLimit(limit);
    }

    /** Registers the restart counter of one intake feed at 0 for every reason. */
    public void intakeSessionRestartsAtZero(String feed) {
        intake.sessionRestartsAtZero(feed);
    }

    /** An intake session of {@code feed} ended for {@code reason} (see {@link #INTAKE_SESSION_RESTART_REASONS}). */
    public void intakeSessionRestarted(String feed, String reason) {
        intake.sessionRestarted(feed, reason);
    }

    /** Binds a Kafka client's own metrics (consumer lag, fetch and send rates); close it with the client. */
    public AutoCloseable kafkaClient(Consumer<?, ?> consumer) {
        return intake.kafkaClient(consumer);
    }
}
