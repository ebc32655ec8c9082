package io.assignmentworker.graph;

import java.net.URI;
import java.time.Duration;
import java.util.Map;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * How the worker reaches Microsoft Graph ({@code worker.graph.*}).
 *
 * @param baseUrl        Graph's base URL including the version; default {@code https://graph.microsoft.com/beta}
 *                       (env {@code WORKER_GRAPH_BASE_URL})
 * @param connectTimeout time allowed to open a connection; default 10 s
 * @param requestTimeout time allowed for a whole answer; a call that takes longer is an ambiguous failure;
 *                       default 60 s
 * @param knownAssignmentsTtl      how long the worker trusts its copy of a policy's assignments (read once,
 *                                 kept current by its own writes) before reading them again; default 5 min
 * @param knownAssignmentsPolicies how many policies' assignments it keeps; default 2000
 * @param strategy       how assignments are written: {@code create} (one create call per request), {@code assign}
 *                       (coalesced {@code /assign} writes per policy) or {@code auto} (create until the tenant
 *                       refuses the create route, then assign); default {@code auto}
 * @param tenantStrategies the strategy for particular tenants, by tenant id; others use {@code strategy}
 * @param maxConcurrentCalls calls to Graph (and Entra ID excluded) running at once across all tenants; more wait
 *                       their turn. Over HTTP/1.1 this bounds the connections, and so the TLS handshakes;
 *                       default 128, enough for ~1,000 calls/s at Graph's typical 100 ms
 * @param maxReadAge     the oldest a read of a policy's assignments may be when a write is planned from it, or
 *                       when an outcome says an assignment exists: an {@code /assign} (which replaces the whole
 *                       set) whose read is older reads again first; an answer "it already exists" from an older
 *                       copy is confirmed by a read of the assignment. Default 2 s
 */
@ConfigurationProperties("worker.graph")
public record GraphProperties(@DefaultValue("https://graph.microsoft.com/beta") URI baseUrl,
                              @DefaultValue("10s") Duration connectTimeout,
                              @DefaultValue("60s") Duration requestTimeout,
                              @DefaultValue("5m") Duration knownAssignmentsTtl,
                              @DefaultValue("2000") int knownAssignmentsPolicies,
                              @DefaultValue("auto") Strategy strategy,
                              Map<String, Strategy> tenantStrategies,
                              @DefaultValue("128") int maxConcurrentCalls,
                              @DefaultValue("2s") Duration maxReadAge) {

    public GraphProperties {
        if (baseUrl == null || !baseUrl.isAbsolute() || baseUrl.getHost() == null
                || !("https".equals(baseUrl.getScheme()) || "http".equals(baseUrl.getScheme()))) {
            throw new IllegalArgumentException("worker.graph.base-url (WORKER_GRAPH_BASE_URL) must be an absolute "
                    + "http(s) URL such as https://graph.microsoft.com/beta, got '" + baseUrl + "'");
        }
        if (baseUrl.getRawQuery() != null || baseUrl.getRawFragment() != null) {
            throw new IllegalArgumentException("worker.graph.base-url must not have a query or fragment");
        }
        requirePositive("worker.graph.connect-timeout", connectTimeout);
        requirePositive("worker.graph.request-timeout", requestTimeout);
        requirePositive("worker.graph.known-assignments-ttl", knownAssignmentsTtl);
        requirePositive("worker.graph.max-read-age", maxReadAge);
        if (knownAssignmentsPolicies < 1) {
            throw new IllegalArgumentException("worker.graph.known-assignments-policies must be at least 1");
        }
        if (maxConcurrentCalls < 1) {
            throw new IllegalArgumentException("worker.graph.max-concurrent-calls must be at least 1, got "
                    + maxConcurrentCalls);
        }
        tenantStrategies = tenantStrategies == null ? Map.of() : Map.copyOf(tenantStrategies);
        String text = baseUrl.toString();
        baseUrl = URI.create(text.endsWith("/") ? text.substring(0, text.length() - 1) : text);
    }

    /** The configured strategy for a tenant. */
    public Strategy strategyOf(String tenantId) {
        for (Map.Entry<String, Strategy> entry : tenantStrategies.entrySet()) {
            if (entry.getKey().equalsIgnoreCase(tenantId)) {
                return entry.getValue();
            }
        }
        return strategy;
    }

    static void requirePositive(String property, Duration value) {
        if (value == null || value.isNegative() || value.isZero()) {
            throw new IllegalArgumentException(property + " must be a positive duration, got " + value);
        }
    }
}
