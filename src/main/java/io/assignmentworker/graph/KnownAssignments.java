package io.assignmentworker.graph;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * What the worker knows of each policy's assignments: one read per policy, then kept up to date by the
 * worker's own writes, so that checking "does it exist already?" before every create costs no extra call.
 * Entries expire, so changes made elsewhere (the portal, another tool) are seen again after a while; and a
 * copy is never enough on its own to answer that an assignment exists (see {@link GraphClient}): only that it
 * does not, which the create then settles with Graph. Thread-safe; small (a bounded number of policies, least
 * recently used first out).
 */
final class KnownAssignments {

    private final Clock clock;
    private final Duration ttl;
    private final int maxPolicies;
    private final Map<String, View> policies;

    KnownAssignments(Clock clock, Duration ttl, int maxPolicies) {
        this.clock = clock;
        this.ttl = ttl;
        this.maxPolicies = maxPolicies;
        this.policies = new LinkedHashMap<>(16, 0.75f, true) {
            @Override
            protected boolean removeEldestEntry(Map.Entry<String, View> eldest) {
                return size() > KnownAssignments.this.maxPolicies;
            }
        };
    }

    /**
     * A policy's assignments as the worker last knew them.
     *
     * @param readAt    when Graph was read: the copy shows Graph as it was then, plus the worker's own writes
     * @param bySubject the assignments by subject
     */
    record View(Instant readAt, Map<String, Assigned> bySubject) {

        /** Whether the read is at most {@code maxAge} old at {@code now}. */
        boolean freshAt(Instant now, Duration maxAge) {
            return !now.isAfter(readAt.plus(maxAge));
        }
    }

    /** The policy's assignments, or empty when unknown or too old to trust. */
    synchronized Optional<View> get(String tenantId, String policyId) {
        View known = policies.get(key(tenantId, policyId));
        if (known == null || clock.instant().isAfter(known.readAt().plus(ttl))) {
            return Optional.empty();
        }
        // Shared, not copied: the map is concurrent, and a copy per create would cost O(assignments) per request.
        return Optional.of(new View(known.readAt(), Collections.unmodifiableMap(known.bySubject())));
    }

    /** Replaces what is known of the policy with a complete read. */
    synchronized View replace(String tenantId, String policyId, Listing listing) {
        View view = new View(listing.readAt(), new ConcurrentHashMap<>(listing.bySubject()));
        policies.put(key(tenantId, policyId), view);
        return view;
    }

    /** Records the worker's own write (or a fresh read of one assignment); only into a set that is already known. */
    synchronized void add(String tenantId, String policyId, String subject, Assigned assigned) {
        View known = policies.get(key(tenantId, policyId));
        if (known != null) {
            known.bySubject().put(subject, assigned);
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
        return tenantId + "/" + policyId.toLowerCase(Locale.ROOT);
    }
}
