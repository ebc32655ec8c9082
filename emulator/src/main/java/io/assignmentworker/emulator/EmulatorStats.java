package io.assignmentworker.emulator;

import java.util.EnumMap;
import java.util.Map;
import java.util.TreeMap;

/**
 * An immutable snapshot of what the emulator has answered since it started. Counters never reset; to measure a
 * phase, take a snapshot before and after and use {@link #minus(EmulatorStats)}.
 *
 * @param graphCalls      Graph requests answered (everything under {@code /beta}, whatever the status)
 * @param counts          replies per operation and status, keyed {@code "<OPERATION> <status>"}, e.g. {@code "CREATE 201"};
 *                        token-endpoint replies are keyed {@code "TOKEN <status>"}
 * @param throttled       Graph replies with status 429
 * @param tokensIssued    access tokens issued
 * @param writesPerformed writes that changed state (creates and assigns, including those answered 504)
 * @param injected        malformed replies sent by the one-shot knobs of {@link TenantBehaviour}, per kind
 *                        (absent kinds were never sent)
 */
public record EmulatorStats(long graphCalls, Map<String, Long> counts, long throttled, long tokensIssued,
                            long writesPerformed, Map<InjectedFault, Long> injected) {

    /** A malformed reply injected by a one-shot knob of {@link TenantBehaviour}. */
    public enum InjectedFault {
        /** A list reply without its {@code value} array ({@link TenantBehaviour#listWithoutValue(int)}). */
        LIST_WITHOUT_VALUE,
        /** A follow-up list page answered 503 ({@link TenantBehaviour#failNextPage(int)}). */
        FAILED_NEXT_PAGE,
        /** A first list page with an expired next link ({@link TenantBehaviour#brokenNextLink(int)}). */
        BROKEN_NEXT_LINK,
        /** A successful {@code /assign} answered without a body ({@link TenantBehaviour#assignWithoutBody(int)}). */
        ASSIGN_WITHOUT_BODY,
        /** A successful {@code /assign} that stored its set without one existing entry
         *  ({@link TenantBehaviour#assignDropsExisting(int)}). */
        ASSIGN_DROPPED_EXISTING
    }

    /** What a counted reply was for. */
    public enum Operation {
        /** {@code POST …/deviceCompliancePolicies/{id}/assignments}. */
        CREATE,
        /** {@code POST …/deviceCompliancePolicies/{id}/assign}. */
        ASSIGN,
        /** {@code GET …/deviceCompliancePolicies/{id}/assignments} (each page counts). */
        LIST,
        /** {@code GET …/deviceCompliancePolicies/{id}}. */
        GET_POLICY,
        /** {@code GET /groups/{id}}. */
        GET_GROUP,
        /** {@code GET /groups/{id}/transitiveMembers/$count} (with {@code ConsistencyLevel: eventual}). */
        GET_GROUP_MEMBER_COUNT,
        /** {@code GET /deviceManagement/assignmentFilters/{id}}. */
        GET_ASSIGNMENT_FILTER,
        /** {@code POST /{tenant}/oauth2/v2.0/token}. */
        TOKEN,
        /** Any other Graph request, including unknown paths. */
        OTHER
    }

    /** Copies the map so the snapshot stays immutable. */
    public EmulatorStats {
        counts = Map.copyOf(counts);
        injected = Map.copyOf(injected);
    }

    /** Malformed replies of this kind sent so far. */
    public long injected(InjectedFault fault) {
        return injected.getOrDefault(fault, 0L);
    }

    /** Replies of {@code operation} with {@code status}. */
    public long count(Operation operation, int status) {
        return counts.getOrDefault(key(operation, status), 0L);
    }

    /** Replies of {@code operation}, whatever their status. */
    public long count(Operation operation) {
        String prefix = operation.name() + " ";
        return counts.entrySet().stream()
                .filter(e -> e.getKey().startsWith(prefix))
                .mapToLong(Map.Entry::getValue)
                .sum();
    }

    /** The counts sorted by key, for logs and the admin endpoint. */
    public Map<String, Long> sortedCounts() {
        return new TreeMap<>(counts);
    }

    /** What happened between {@code earlier} and this snapshot. */
    public EmulatorStats minus(EmulatorStats earlier) {
        Map<String, Long> delta = new TreeMap<>(counts);
        earlier.counts.forEach((k, v) -> delta.merge(k, -v, Long::sum));
        delta.values().removeIf(v -> v == 0);
        Map<InjectedFault, Long> injectedDelta = new EnumMap<>(InjectedFault.class);
        injectedDelta.putAll(injected);
        earlier.injected.forEach((k, v) -> injectedDelta.merge(k, -v, Long::sum));
        injectedDelta.values().removeIf(v -> v == 0);
        return new EmulatorStats(graphCalls - earlier.graphCalls, delta, throttled - earlier.throttled,
                tokensIssued - earlier.tokensIssued, writesPerformed - earlier.writesPerformed, injectedDelta);
    }

    static String key(Operation operation, int status) {
        return operation.name() + " " + status;
    }
}
