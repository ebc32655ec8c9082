package io.assignmentworker.graph;

import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import tools.jackson.databind.json.JsonMapper;

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
    private final JsonMapper mapper;
    private final Map<String, View> policies;

    KnownAssignments(Clock clock, Duration ttl, int maxPolicies, JsonMapper mapper) {
        this.clock = clock;
        this.ttl = ttl;
        this.maxPolicies = maxPolicies;
        this.mapper = mapper;
        this.policies = new LinkedHashMap<>(16, 0.75f, true) {
            @Override
            protected boolean removeEldestEntry(Map.Entry<String, View> eldest) {
                return size() > KnownAssignments.this.maxPolicies;
            }
        };
    }

    /**
     * One assignment as it is kept: its JSON as bytes, made a tree again only when a request asks for its subject.
     * Thousands of policies' whole sets are kept; as trees (a map and a dozen nodes each) they took more than twice
     * the heap (1.5 KB against 0.7 an assignment) and most of the collector's time in a long latency-bound run
     * (docs/benchmarks.md).
     */
    private record Held(String id, byte[] json, String graphRequestId) {
    }

    /**
     * A policy's assignments as the worker last knew them: Graph as it was when read ({@link #readAt()}), plus the
     * worker's own writes since. Views of one read share its copy.
     */
    final class View {

        private final Instant readAt;
        private final Map<String, Held> bySubject;

        private View(Instant readAt, Map<String, Held> bySubject) {
            this.readAt = readAt;
            this.bySubject = bySubject;
        }

        Instant readAt() {
            return readAt;
        }

        /** Whether the read is at most {@code maxAge} old at {@code now}. */
        boolean freshAt(Instant now, Duration maxAge) {
            return !now.isAfter(readAt.plus(maxAge));
        }

        /** The assignment the policy has for this subject, as known; null when it has none. */
        Assigned assigned(String subject) {
            Held held = bySubject.get(subject);
            return held == null ? null
                    : new Assigned(held.id(), mapper.readTree(held.json()), true, held.graphRequestId(),
                    new String(held.json(), StandardCharsets.UTF_8));
        }

        /** The subjects assigned, as known. */
        Set<String> subjects() {
            return Collections.unmodifiableSet(bySubject.keySet());
        }

        int size() {
            return bySubject.size();
        }
    }

    /** A policy's assignments as the worker last knew them, or empty when unknown or too old to trust. */
    synchronized Optional<View> get(String tenantId, String policyId) {
        View known = policies.get(key(tenantId, policyId));
        if (known == null || clock.instant().isAfter(known.readAt().plus(ttl))) {
            return Optional.empty();
        }
        // Shared, not copied: the map is concurrent, and a copy per create would cost O(assignments) per request.
        return Optional.of(known);
    }

    /** Replaces what is known of the policy with a complete read. */
    synchronized View replace(String tenantId, String policyId, Listing listing) {
        Map<String, Held> bySubject = new ConcurrentHashMap<>();
        listing.bySubject().forEach((subject, assigned) -> bySubject.put(subject, held(assigned)));
        View view = new View(listing.readAt(), bySubject);
        policies.put(key(tenantId, policyId), view);
        return view;
    }

    /** Records the worker's own write (or a fresh read of one assignment); only into a set that is already known. */
    void add(String tenantId, String policyId, String subject, Assigned assigned) {
        Held held = held(assigned);
        synchronized (this) {
            View known = policies.get(key(tenantId, policyId));
            if (known != null) {
                known.bySubject.put(subject, held);
            }
        }
    }

    private Held held(Assigned assigned) {
        byte[] json = assigned.json() != null ? assigned.json().getBytes(StandardCharsets.UTF_8)
                : mapper.writeValueAsBytes(assigned.assignment());
        return new Held(assigned.id(), json, assigned.graphRequestId());
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
