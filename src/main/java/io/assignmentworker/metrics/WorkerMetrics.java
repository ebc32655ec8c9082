package io.assignmentworker.metrics;

import io.assignmentworker.outcome.ErrorCategory;
import io.assignmentworker.outcome.Outcome;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.binder.kafka.KafkaClientMetrics;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import org.apache.kafka.clients.consumer.Consumer;

/**
 * Every meter the worker defines, named in one place. Labels have bounded values only: statuses, categories,
 * operations and configured tenant ids — never request, policy or group ids.
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

    private final MeterRegistry registry;

    public WorkerMetrics(MeterRegistry registry) {
        this.registry = registry;
        registerAtZero();
    }

    /**
     * Counters with labels exist only from their first count, and Prometheus' {@code increase()} misses that
     * first event; registering every known label combination at 0 keeps rates and alerts exact from the start.
     */
    private void registerAtZero() {
        outcomeCounter("CREATED", "none");
        outcomeCounter("CREATED", "already_existed");
        for (ErrorCategory category : ErrorCategory.values()) {
            outcomeCounter("FAILED", category.name());
            retryCounter(category.name());
        }
        for (boolean success : new boolean[] {true, false}) {
            tokenCounter(success, true);
            tokenCounter(success, false);
        }
        deadLetterCounter();
        repairsCounter();
        foreignCounter();
        unrepairedCounter();
        rolloutsCompletedCounter();
        rolloutsEvictedCounter();
        rolloutsUntrackedCounter();
        assignBatchSummary();
        BY_POLICY_MISROUTED_REASONS.forEach(this::byPolicyMisroutedCounter);
    }

    /** One outcome committed to the result topic (and its dead letter, if any). */
    public void outcomePublished(Outcome outcome, boolean deadLetter) {
        String status = outcome.map(created -> "CREATED", failed -> "FAILED");
        String category = outcome.map(created -> created.alreadyExisted() ? "already_existed" : "none",
                failed -> failed.error().category().name());
        outcomeCounter(status, category).increment();
        if (deadLetter) {
            deadLetterCounter().increment();
        }
    }

    private Counter outcomeCounter(String status, String category) {
        return Counter.builder(OUTCOMES).description("Outcomes committed, by status and error category")
                .tag("status", status).tag("category", category).register(registry);
    }

    private Counter deadLetterCounter() {
        return Counter.builder(DEAD_LETTERS).description("Unreadable records copied to the dead-letter topic")
                .register(registry);
    }

    /** One HTTP exchange with Graph; {@code status} is the HTTP status or {@code io_error}. */
    public void graphCall(String operation, String status, long nanos) {
        Timer.builder(GRAPH_CALLS).description("Graph calls by operation and HTTP status")
                .tag("operation", operation).tag("status", status)
                .publishPercentileHistogram()
                .register(registry).record(nanos, TimeUnit.NANOSECONDS);
    }

    public void throttled(String tenantId) {
        Counter.builder(GRAPH_THROTTLED).description("429 answers from Graph, by tenant")
                .tag("tenant", tenantId).register(registry).increment();
    }

    /** A request is tried again; {@code reason} is the error category that caused it. */
    public void retry(String reason) {
        retryCounter(reason).increment();
    }

    private Counter retryCounter(String reason) {
        return Counter.builder(GRAPH_RETRIES).description("Requests tried again after a transient failure")
                .tag("reason", reason).register(registry);
    }

    public void tokenRequest(boolean success, boolean afterRejection) {
        tokenCounter(success, afterRejection).increment();
    }

    private Counter tokenCounter(boolean success, boolean afterRejection) {
        return Counter.builder(TOKEN_REQUESTS).description("Token requests to Entra ID")
                .tag("result", success ? "success" : "failure")
                .tag("trigger", afterRejection ? "rejected" : "expiry")
                .register(registry);
    }

    public void inFlight(Supplier<Number> count) {
        Gauge.builder(IN_FLIGHT, count).description("Requests read from Kafka whose outcome is not yet committed")
                .register(registry);
    }

    public void inFlightBytes(Supplier<Number> bytes) {
        Gauge.builder(IN_FLIGHT_BYTES, bytes).baseUnit("bytes")
                .description("What the requests under way keep on the heap, estimated (worker.intake.max-in-flight-bytes)")
                .register(registry);
    }

    public void graphCallsWaiting(Supplier<Number> count) {
        Gauge.builder(GRAPH_CALLS_WAITING, count)
                .description("Graph calls due (budget granted) waiting for one of worker.graph.max-concurrent-calls")
                .register(registry);
    }

    public void tenantCoolDown(String tenantId, Supplier<Number> seconds) {
        Gauge.builder(TENANT_COOL_DOWN, seconds).description("Seconds left in the tenant's cool-down after a 429")
                .tag("tenant", tenantId).register(registry);
    }

    /** Binds a Kafka client's own metrics (consumer lag, fetch and send rates); close it with the client. */
    public AutoCloseable kafkaClient(Consumer<?, ?> consumer) {
        KafkaClientMetrics metrics = new KafkaClientMetrics(consumer);
        metrics.bindTo(registry);
        return metrics;
    }

    public void tenantPace(String tenantId, Supplier<Number> share) {
        Gauge.builder(TENANT_PACE, share).description("Share of the tenant's write budget in use (1 = all; lowered by 429s)")
                .tag("tenant", tenantId).register(registry);
    }

    /** 1 for the strategy the tenant writes with now ({@code create} or {@code assign}), 0 for the other. */
    public void tenantStrategy(String tenantId, String strategy, Supplier<Number> active) {
        Gauge.builder(TENANT_STRATEGY, active).description("The strategy a tenant's assignments are written with now")
                .tag("tenant", tenantId).tag("strategy", strategy).register(registry);
    }

    /** The tenant refused the create route and was switched to coalesced {@code /assign} writes. */
    public void strategySwitched(String tenantId) {
        Counter.builder(STRATEGY_SWITCHES).description("Tenants switched from create to assign after a route refusal")
                .tag("tenant", tenantId).register(registry).increment();
    }

    /** One coalesced {@code /assign} batch of {@code requests} requests for one policy, finished. */
    public void assignBatch(int requests) {
        assignBatchSummary().record(requests);
    }

    private io.micrometer.core.instrument.DistributionSummary assignBatchSummary() {
        return io.micrometer.core.instrument.DistributionSummary.builder(BATCH_SIZE)
                .description("Requests per coalesced /assign batch").baseUnit("requests").register(registry);
    }

    /** A by-policy record not written from where it was read; see {@link #BY_POLICY_MISROUTED_REASONS}. */
    public void byPolicyMisrouted(String reason) {
        byPolicyMisroutedCounter(reason).increment();
    }

    private Counter byPolicyMisroutedCounter(String reason) {
        return Counter.builder(BY_POLICY_MISROUTED)
                .description("By-policy records not written from where they were read, by reason")
                .tag("reason", reason).register(registry);
    }

    /** Registers the restart counter of one intake feed at 0 for every reason (see {@link #registerAtZero}). */
    public void intakeSessionRestartsAtZero(String feed) {
        INTAKE_SESSION_RESTART_REASONS.forEach(reason -> intakeSessionRestartsCounter(feed, reason));
    }

    /** An intake session of {@code feed} ended for {@code reason} (see {@link #INTAKE_SESSION_RESTART_REASONS}). */
    public void intakeSessionRestarted(String feed, String reason) {
        intakeSessionRestartsCounter(feed, reason).increment();
    }

    private Counter intakeSessionRestartsCounter(String feed, String reason) {
        return Counter.builder(INTAKE_SESSION_RESTARTS)
                .description("Intake sessions (Kafka consumer and producer) ended and started again, by feed and reason")
                .tag("feed", feed).tag("reason", reason).register(registry);
    }

    /** This instance's share of the tenant's budget: its share of the partitions that carry the tenant's work. */
    public void tenantBudgetShare(String tenantId, Supplier<Number> share) {
        Gauge.builder(TENANT_BUDGET_SHARE, share)
                .description("This instance's share of the tenant's Graph budget (its share of the partitions)")
                .tag("tenant", tenantId).register(registry);
    }

    /** Rollouts this instance aggregates that have not received all their outcomes yet. */
    public void rolloutsActive(Supplier<Number> count) {
        Gauge.builder(ROLLOUTS_ACTIVE, count).description("Rollouts in progress (aggregated on this instance)")
                .register(registry);
    }

    /** Requests of those rollouts, by their manifests, still without an outcome. */
    public void rolloutsPendingRequests(Supplier<Number> count) {
        Gauge.builder(ROLLOUTS_PENDING, count)
                .description("Requests of rollouts in progress still without an outcome (rollouts with a manifest)")
                .register(registry);
    }

    /** A rollout received the last of the outcomes its manifest declared. */
    public void rolloutCompleted() {
        rolloutsCompletedCounter().increment();
    }

    private Counter rolloutsCompletedCounter() {
        return Counter.builder(ROLLOUTS_COMPLETED).description("Rollouts that received all their outcomes")
                .register(registry);
    }

    /** Rollouts this instance holds, complete or not (at most {@code worker.rollouts.max-tracked}). */
    public void rolloutsTracked(Supplier<Number> count) {
        Gauge.builder(ROLLOUTS_TRACKED, count).description("Rollouts held by this instance, complete or not")
                .register(registry);
    }

    /** A complete rollout forgotten before its retention to make room for a new one. */
    public void rolloutEvicted() {
        rolloutsEvictedCounter().increment();
    }

    private Counter rolloutsEvictedCounter() {
        return Counter.builder(ROLLOUTS_EVICTED)
                .description("Complete rollouts forgotten early to make room (worker.rollouts.max-tracked)")
                .register(registry);
    }

    /** An outcome or manifest not counted: its rollout was new while the instance held max-tracked rollouts. */
    public void rolloutUntracked() {
        rolloutsUntrackedCounter().increment();
    }

    private Counter rolloutsUntrackedCounter() {
        return Counter.builder(ROLLOUTS_UNTRACKED)
                .description("Outcomes and manifests not counted: their rollout did not fit in "
                        + "worker.rollouts.max-tracked")
                .register(registry);
    }

    /**
     * How old the read of a policy's assignments was when the {@code /assign} written from it left: the window in
     * which another writer's change would be written over. Buckets at the values the dashboard and alerts use.
     */
    public void readToWriteGap(long nanos) {
        Timer.builder(READ_TO_WRITE).description("Age of the read an /assign write was planned from, when it left")
                .serviceLevelObjectives(Duration.ofMillis(10), Duration.ofMillis(50), Duration.ofMillis(250),
                        Duration.ofSeconds(1), Duration.ofSeconds(2))
                .register(registry).record(nanos, TimeUnit.NANOSECONDS);
    }

    /** Assignments that were there before an {@code /assign}, missing or changed after it, and written back. */
    public void assignRepaired(int assignments) {
        repairsCounter().increment(assignments);
    }

    /** Assignments that appeared during an {@code /assign} from another writer; kept. */
    public void assignForeignKept(int assignments) {
        foreignCounter().increment(assignments);
    }

    /** Assignments lost by an {@code /assign} that repairs could not bring back. */
    public void assignUnrepaired(int assignments) {
        unrepairedCounter().increment(assignments);
    }

    private Counter repairsCounter() {
        return Counter.builder(ASSIGN_REPAIRS)
                .description("Assignments an /assign lost or changed, written back at once").register(registry);
    }

    private Counter foreignCounter() {
        return Counter.builder(ASSIGN_FOREIGN)
                .description("Assignments another writer added while an /assign was under way, kept")
                .register(registry);
    }

    private Counter unrepairedCounter() {
        return Counter.builder(ASSIGN_UNREPAIRED)
                .description("Assignments an /assign lost that could not be written back").register(registry);
    }
}
