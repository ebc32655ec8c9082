package io.assignmentworker.graph;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * What the worker knows of each policy's assignments: one read per policy, then kept up to date by the
 * worker's own writes, so that checking "does it exist already?" before every create costs no extra call.
 * Entries expire, so changes made elsewhere (the portal, another tool) are seen again after a while.
 * Thread-safe; small (a bounded number of policies, least recently used first out).
 */
final class KnownAssignments {

    private final Clock clock;
    private final Duration ttl;
    private final int maxPolicies;
    private final Map<String, PolicyAssignments> policies;

    KnownAssignments(Clock clock, Duration ttl, int maxPolicies) {
        this.clock = clock;
        this.ttl = ttl;
        this.maxPolicies = maxPolicies;
        this.policies = new LinkedHashMap<>(16, 0.75f, true) {
            @Override
            protected boolean removeEldestEntry(Map.Entry<String, PolicyAssignments> eldest) {
                return size() > KnownAssignments.this.maxPolicies;
            }
        };
    }

    /** The policy's assignments by match key, or empty when unknown or too old to trust. */
    synchronized Optional<Map<String, Assigned>> get(String tenantId, String policyId) {
        PolicyAssignments known = policies.get(key(tenantId, policyId));
        if (known == null || clock.instant().isAfter(known.readAt().plus(ttl))) {
            return Optional.empty();
        }
        return Optional.of(known.byTarget());
    }

    synchronized void replace(String tenantId, String policyId, Map<String, Assigned> byTarget) {
        policies.put(key(tenantId, policyId), new PolicyAssignments(clock.instant(), new LinkedHashMap<>(byTarget)));
    }

    /** Records the worker's own write; only into a set that is already known. */
    synchronized void add(String tenantId, String policyId, String matchKey, Assigned assigned) {
        PolicyAssignments known = policies.get(key(tenantId, policyId));
        if (known != null) {
            known.byTarget().put(matchKey, assigned);
        }
    }

    /** Forgets every policy: another worker may have written to any of them. */
    synchronized void clear() {
        policies.clear();
    }

    synchronized void forget(String tenantId, String policyId) {
        policies.remove(key(tenantId, policyId));
    }

    private static String key(String tenantId, String policyId) {
        return tenantId + "/" + policyId.toLowerCase(java.util.Locale.ROOT);
    }

    private record PolicyAssignments(Instant readAt, Map<String, Assigned> byTarget) {
    }
}
