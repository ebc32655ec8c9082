package io.assignmentworker.scheduling;

import java.time.Duration;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * Pacing, retries and circuit breaking towards Graph ({@code worker.scheduling.*}). Budgets apply per tenant.
 *
 * @param writeBudget               writes allowed per {@code budgetWindow}; default 100 (Intune's documented
 *                                  limit per app per tenant)
 * @param requestBudget             Graph calls of any kind per {@code budgetWindow}; default 1000
 * @param budgetWindow              the window both budgets refer to; default 20 s. Calls are spread evenly over
 *                                  it rather than sent in a burst at its start
 * @param maxAttempts               tries per request for failures of that request alone (5xx, timeouts while
 *                                  other calls to the tenant succeed), counting the first; default 8. 429s and
 *                                  failures while the tenant's circuit is open or half-open use no tries
 * @param maxRequestAge             a request still failing transiently (throttled, Graph down) this long after
 *                                  the worker read it fails with {@code retryable: true}; default 24 h
 * @param initialBackoff            first wait after a transient failure without Retry-After; doubles per try,
 *                                  with full jitter; default 1 s
 * @param maxBackoff                cap of that wait; default 60 s
 * @param maxRetryAfter             cap of an honoured Retry-After; default 10 min
 * @param circuitFailureRate        percentage of transient failures (5xx, timeouts, I/O; not 429 or 4xx) among the
 *                                  last {@code circuitWindow} calls that opens the tenant's circuit; default 50
 * @param circuitWindow             calls the failure rate is measured over; default 20
 * @param circuitOpenDuration       how long an open circuit holds calls back before probing; default 15 s
 * @param tenants                   per-tenant budgets overriding {@code writeBudget} and {@code requestBudget},
 *                                  keyed by tenant id, e.g. {@code worker.scheduling.tenants.<id>.write-budget=50}
 *                                  for a tenant whose budget other tools share
 * @param coalesceWindow            with the {@code assign} and {@code auto} strategies, how long a policy's batch
 *                                  waits for another request before it goes to its write; default 250 ms. While
 *                                  requests keep coming, it keeps waiting (up to {@code coalesceMaxWait})
 * @param coalesceMaxWait           the longest a batch waits for more requests before it goes to its write (it still
 *                                  takes requests until the write leaves; while the tenant's budget binds, it
 *                                  waits up to {@code budgetWindow}); default 5 s, about
 *                                  what reading a rollout of 10,000 takes: a batch sealed sooner leaves part
 *                                  of its policy's requests to a second write
 * @param maxBatchSize              the most new targets one {@code /assign} write adds; default 500
 * @param shareBudgetByPartitions   whether instances of one consumer group split each tenant's budgets by their share
 *                                  of the partitions (recomputed on every rebalance); default {@code true}. Turn it
 *                                  off only when each instance's budgets are sized by hand
 * @param shareRiseHold             how long a share of the budget that rose (partitions gained, or the first ones
 *                                  after start) waits before this instance spends it: the instance that had them
 *                                  may have spent its part of the window just before. Default: the budget window
 *                                  plus 1% plus 5 s (for calls still under way). {@code 0s} only where no other
 *                                  instance can have written lately (a single worker on its own test tenant)
 */
@ConfigurationProperties("worker.scheduling")
public record SchedulingProperties(@DefaultValue("100") int writeBudget,
                                   @DefaultValue("1000") int requestBudget,
                                   @DefaultValue("20s") Duration budgetWindow,
                                   @DefaultValue("8") int maxAttempts,
                                   @DefaultValue("24h") Duration maxRequestAge,
                                   @DefaultValue("1s") Duration initialBackoff,
                                   @DefaultValue("60s") Duration maxBackoff,
                                   @DefaultValue("10m") Duration maxRetryAfter,
                                   @DefaultValue("50") float circuitFailureRate,
                                   @DefaultValue("20") int circuitWindow,
                                   @DefaultValue("15s") Duration circuitOpenDuration,
                                   Map<String, TenantBudget> tenants,
                                   @DefaultValue("250ms") Duration coalesceWindow,
                                   @DefaultValue("5s") Duration coalesceMaxWait,
                                   @DefaultValue("500") int maxBatchSize,
                                   @DefaultValue("true") boolean shareBudgetByPartitions,
                                   Duration shareRiseHold) {

    public SchedulingProperties {
        positive("worker.scheduling.write-budget", writeBudget);
        positive("worker.scheduling.request-budget", requestBudget);
        positive("worker.scheduling.max-attempts", maxAttempts);
        positive("worker.scheduling.circuit-window", circuitWindow);
        positive("worker.scheduling.budget-window", budgetWindow);
        positive("worker.scheduling.max-request-age", maxRequestAge);
        positive("worker.scheduling.initial-backoff", initialBackoff);
        positive("worker.scheduling.max-backoff", maxBackoff);
        positive("worker.scheduling.max-retry-after", maxRetryAfter);
        positive("worker.scheduling.circuit-open-duration", circuitOpenDuration);
        tenants = tenants == null ? Map.of() : normalised(tenants);
        positive("worker.scheduling.coalesce-window", coalesceWindow);
        positive("worker.scheduling.coalesce-max-wait", coalesceMaxWait);
        positive("worker.scheduling.max-batch-size", maxBatchSize);
        if (shareRiseHold != null && shareRiseHold.isNegative()) {
            throw new IllegalArgumentException("worker.scheduling.share-rise-hold must not be negative, got "
                    + shareRiseHold);
        }
        if (circuitFailureRate <= 0 || circuitFailureRate > 100) {
            throw new IllegalArgumentException("worker.scheduling.circuit-failure-rate must be in (0, 100], got "
                    + circuitFailureRate);
        }
    }

    /**
     * One tenant's budgets; a value left out takes the global one.
     *
     * @param writeBudget   writes per {@code budgetWindow}
     * @param requestBudget calls of any kind per {@code budgetWindow}
     */
    public record TenantBudget(Integer writeBudget, Integer requestBudget) {
    }

    /** {@code shareRiseHold}, or its default: the budget window, plus 1%, plus 5 s. */
    public Duration riseHold() {
        return shareRiseHold != null ? shareRiseHold
                : budgetWindow.plus(budgetWindow.dividedBy(100)).plusSeconds(5);
    }

    /** The budgets that apply to a tenant. */
    public TenantBudget budgetOf(String tenantId) {
        TenantBudget own = tenants.get(tenantId.toLowerCase(Locale.ROOT));
        return new TenantBudget(own != null && own.writeBudget() != null ? own.writeBudget() : writeBudget,
                own != null && own.requestBudget() != null ? own.requestBudget() : requestBudget);
    }

    private static Map<String, TenantBudget> normalised(Map<String, TenantBudget> tenants) {
        Map<String, TenantBudget> byId = new HashMap<>();
        tenants.forEach((id, budget) -> {
            String prefix = "worker.scheduling.tenants." + id;
            if (budget.writeBudget() != null) {
                positive(prefix + ".write-budget", budget.writeBudget());
            }
            if (budget.requestBudget() != null) {
                positive(prefix + ".request-budget", budget.requestBudget());
            }
            byId.put(id.toLowerCase(Locale.ROOT), budget);
        });
        return Map.copyOf(byId);
    }

    private static void positive(String property, int value) {
        if (value < 1) {
            throw new IllegalArgumentException(property + " must be at least 1, got " + value);
        }
    }

    private static void positive(String property, Duration value) {
        if (value == null || value.isNegative() || value.isZero()) {
            throw new IllegalArgumentException(property + " must be a positive duration, got " + value);
        }
    }
}
