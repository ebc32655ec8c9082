package io.assignmentworker.scheduling;

import io.assignmentworker.graph.Assigned;
import io.assignmentworker.graph.GraphClient;
import io.assignmentworker.graph.TenantDirectory;
import io.assignmentworker.graph.TenantStrategies;
import io.assignmentworker.graph.WritePermit;
import io.assignmentworker.metrics.WorkerMetrics;
import io.assignmentworker.outcome.ErrorCategory;
import io.assignmentworker.outcome.Outcome;
import io.assignmentworker.request.AssignmentRequest;
import io.github.resilience4j.retry.RetryRegistry;
import java.time.Clock;
import java.time.Duration;
import java.util.Locale;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ScheduledExecutorService;

/**
 * Front door of the scheduling stage: takes a valid request and completes, without blocking, with what became of
 * it ({@link Handled}): most often its one {@link Outcome}. Creates for the same subject of a policy, and a
 * policy's coalesced writes, run in arrival order; all else runs concurrently, paced per tenant by the
 * {@link TenantPacer}. Transient failures are tried again
 * ({@link GraphRetries}). After an ambiguous failure the next try reads the policy's assignments again first, so
 * the assignment is never created twice. Coalesced {@code /assign} batches are written by {@link CoalescedWrites}.
 */
public final class AssignmentScheduler {

    private final GraphClient graph;
    private final int maxAttempts;
    private final Duration maxRequestAge;
    private final TenantDirectory tenants;
    private final TenantStrategies strategies;
    private final GraphRetries retries;
    private final Answers answers;
    private final PolicySequencer sequencer = new PolicySequencer();
    private final PolicySequencer subjects = new PolicySequencer();
    private final Coalescer<Handled> coalescer;
    private final ReadAhead readAhead;

    public AssignmentScheduler(GraphClient graph, TenantPacer pacer, TenantDirectory tenants,
                               TenantStrategies strategies, SchedulingProperties properties, RetryRegistry retries,
                               ScheduledExecutorService timer, Clock clock, WorkerMetrics metrics) {
        this.graph = graph;
        this.tenants = tenants;
        this.strategies = strategies;
        this.maxAttempts = properties.maxAttempts();
        this.maxRequestAge = properties.maxRequestAge();
        this.retries = new GraphRetries(retries, pacer, properties, timer, clock, metrics);
        this.answers = new Answers(clock);
        this.readAhead = new ReadAhead(properties.budgetWindow(), System::nanoTime, pacer::anyTenantHeldBack);
        CoalescedWrites batches = new CoalescedWrites(graph, strategies, this.retries, pacer, answers, properties,
                timer, metrics, readAhead);
        this.coalescer = new Coalescer<>(properties.coalesceWindow(), properties.coalesceMaxWait(),
                properties.maxBatchSize(), timer, sequencer, batches::write, Answers.AGAIN,
                new Coalescer.Scarcity(pacer::writeRoom, properties.budgetWindow(), readAhead::coalesced));
    }

    /**
     * A request read from the requests topic: answered with the create strategy, or (its tenant writes with
     * {@code /assign}) sent on to the policy's owner.
     */
    public CompletableFuture<Handled> handle(ReceivedRequest work) {
        AssignmentRequest request = work.request();
        Optional<String> tenant = tenants.resolve(request.tenantId());
        if (tenant.isEmpty()) {
            return CompletableFuture.completedFuture(new Handled.Answered(answers.unknownTenant(work)));
        }
        Handled.ToPolicyOwner toOwner = new Handled.ToPolicyOwner(policyKey(tenant.get(), request.policyId()));
        if (strategies.coalesces(tenant.get())) {
            return CompletableFuture.completedFuture(toOwner);
        }
        if (!request.isCreate()) {
            return CompletableFuture.completedFuture(new Handled.Answered(answers.needsAssign(work, tenant.get())));
        }
        return create(work, tenant.get()).thenApply(handled -> isRouteRefused(handled)
                && strategies.createRefused(tenant.get()) ? toOwner : handled);
    }

    /**
     * A request this worker writes as the owner of its policy (read from the by-policy topic): coalesced with
     * the policy's other requests into one {@code /assign} write. Answered, or handed back.
     */
    public CompletableFuture<Handled> coalesce(ReceivedRequest work) {
        AssignmentRequest request = work.request();
        Optional<String> tenant = tenants.resolve(request.tenantId());
        if (tenant.isEmpty()) {
            return CompletableFuture.completedFuture(new Handled.Answered(answers.unknownTenant(work)));
        }
        return coalescer.add(tenant.get(), request.policyId(), policyKey(tenant.get(), request.policyId()), work);
    }

    /** {@link #coalesce}, for a request whose permit is never withdrawn (tests): its outcome. */
    CompletableFuture<Outcome> assignCoalesced(ReceivedRequest work) {
        return coalesce(work).thenApply(AssignmentScheduler::outcomeOf);
    }

    /** Whether the intake should read as far ahead as it may, or nearer: see {@link ReadAhead}. */
    public ReadAhead readAhead() {
        return readAhead;
    }

    /** This worker was given partitions: see {@link GraphClient#forgetKnownAssignments}. */
    public void partitionsAssigned() {
        graph.forgetKnownAssignments();
    }

    /**
     * The by-policy key {@link #handle} forwards the request under, if its tenant writes with {@code /assign} now;
     * empty when the tenant writes with create or is not configured.
     */
    public Optional<String> byPolicyKey(AssignmentRequest request) {
        return tenants.resolve(request.tenantId()).filter(strategies::coalesces)
                .map(tenant -> policyKey(tenant, request.policyId()));
    }

    /** The key that sends all of a policy's requests to one partition of the by-policy topic. */
    public static String policyKey(String tenantId, String policyId) {
        return tenantId.toLowerCase(Locale.ROOT) + "/" + policyId.toLowerCase(Locale.ROOT);
    }

    /** The create strategy, for a request whose permit is never withdrawn (tests): its outcome. */
    CompletableFuture<Outcome> schedule(ReceivedRequest work) {
        AssignmentRequest request = work.request();
        Optional<String> tenant = tenants.resolve(request.tenantId());
        if (tenant.isEmpty()) {
            return CompletableFuture.completedFuture(answers.unknownTenant(work));
        }
        return create(work, tenant.get()).thenApply(AssignmentScheduler::outcomeOf);
    }

    /**
     * The create strategy: one request, answered or handed back. Only requests for the same subject of a policy
     * keep their order (the second finds what the first created); creates for different subjects of one policy
     * run at once, as Graph takes them.
     */
    private CompletableFuture<Handled> create(ReceivedRequest work, String tenantId) {
        AssignmentRequest request = work.request();
        return subjects.submit(policyKey(tenantId, request.policyId()) + "/" + request.target().subjectKey(),
                () -> execute(work, tenantId));
    }

    private static Outcome outcomeOf(Handled handled) {
        return handled.map(Handled.Answered::outcome, toOwner -> {
            throw new IllegalStateException("sent on to the policy's owner, not answered: " + toOwner);
        }, back -> {
            throw new IllegalStateException("handed back, not answered: " + back.reason());
        });
    }

    private static boolean isRouteRefused(Handled handled) {
        return handled.map(answered -> answered.outcome().map(created -> false, changed -> false,
                failed -> failed.error().category() == ErrorCategory.ROUTE_REFUSED), toOwner -> false, back -> false);
    }

    private CompletableFuture<Handled> execute(ReceivedRequest work, String tenantId) {
        RequestAttempts attempts = new RequestAttempts(maxAttempts, work.receivedAt().plus(maxRequestAge));
        AssignmentRequest request = work.request();
        // A create waits while the group has not decided on creates for the tenant, or this instance's view of
        // that decision is stale (it might have missed a switch).
        WritePermit permit = Permits.waitingFor(work.permit(), () -> strategies.createsAllowed(tenantId));
        CompletableFuture<Assigned> assigned = retries.run(tenantId, attempts,
                () -> graph.ensureAssigned(tenantId, request, attempts.mayExistUnseen(), attempts.deadline(),
                        () -> strategies.coalesces(tenantId), permit));
        return assigned.handle((result, failure) -> {
            if (failure == null) {
                return new Handled.Answered(answers.created(work, tenantId, result, attempts.attempts()));
            }
            if (Answers.withdrawn(failure)) {
                return Answers.WITHDRAWN;
            }
            return new Handled.Answered(answers.failed(work, tenantId, failure, attempts.attempts()));
        });
    }
}
