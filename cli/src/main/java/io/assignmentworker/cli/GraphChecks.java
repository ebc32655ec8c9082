package io.assignmentworker.cli;

import io.assignmentworker.request.AssignmentTarget;
import io.assignmentworker.request.TargetJson;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * The Graph reads of a dry run, each made once however many lines need it, a few at a time: every policy and its
 * current assignments, every group, every assignment filter.
 */
final class GraphChecks {

    private static final int PARALLEL_READS = 4;
    private static final String POLICIES = "/deviceManagement/deviceCompliancePolicies/";

    /** A policy as found, with the match keys of its current assignments. */
    /**
     * @param assigned the policy's assignments: the match key of each, by subject (Graph holds one per subject)
     */
    record PolicyState(GraphReads.Lookup lookup, Map<String, String> assigned) {
    }

    private final GraphReads reads;
    private final Map<String, PolicyState> policies = new ConcurrentHashMap<>();
    private final Map<String, GraphReads.Lookup> groups = new ConcurrentHashMap<>();
    private final Map<String, GraphReads.Lookup> filters = new ConcurrentHashMap<>();

    GraphChecks(GraphReads reads) {
        this.reads = reads;
    }

    /** A valid line and the configured tenant it addresses. */
    record Resolved(ValidLine planned, String tenant) {
    }

    /** Reads what the lines name. */
    void load(List<Resolved> lines) {
        Set<String> wanted = new HashSet<>();
        List<Runnable> tasks = new ArrayList<>();
        lines.forEach(line -> {
            String tenant = line.tenant();
            AssignmentTarget target = line.planned().request().target();
            String policy = line.planned().request().policyId();
            if (wanted.add("p" + key(tenant, policy))) {
                tasks.add(() -> policies.put(key(tenant, policy), readPolicy(tenant, policy)));
            }
            if (target.groupId() != null && wanted.add("g" + key(tenant, target.groupId()))) {
                tasks.add(() -> groups.put(key(tenant, target.groupId()),
                        reads.get(tenant, "/groups/" + target.groupId())));
            }
            if (target.filterId() != null && wanted.add("f" + key(tenant, target.filterId()))) {
                tasks.add(() -> filters.put(key(tenant, target.filterId()),
                        reads.get(tenant, "/deviceManagement/assignmentFilters/" + target.filterId())));
            }
        });
        runAll(tasks);
    }

    private PolicyState readPolicy(String tenant, String policyId) {
        GraphReads.Lookup policy = reads.get(tenant, POLICIES + policyId);
        if (policy.found() != GraphReads.Found.FOUND) {
            return new PolicyState(policy, Map.of());
        }
        GraphReads.Lookup assignments = reads.list(tenant, POLICIES + policyId + "/assignments");
        if (assignments.found() != GraphReads.Found.FOUND) {
            return new PolicyState(GraphReads.Lookup.unchecked("cannot list its assignments: "
                    + assignments.reason()), Map.of());
        }
        Map<String, String> assigned = new HashMap<>();
        assignments.body().path("value").forEach(a -> TargetJson.ofAssignment(a)
                .ifPresent(t -> assigned.putIfAbsent(t.subjectKey(), t.matchKey())));
        return new PolicyState(policy, assigned);
    }

    private static void runAll(List<Runnable> tasks) {
        ExecutorService pool = Executors.newFixedThreadPool(PARALLEL_READS);
        try {
            List<Future<?>> running = tasks.stream().<Future<?>>map(pool::submit).toList();
            for (Future<?> task : running) {
                task.get();
            }
        } catch (ExecutionException e) {
            throw e.getCause() instanceof CliException cli ? cli
                    : CliException.unavailable("reading Graph failed: " + e.getCause());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw CliException.unavailable("interrupted while reading Graph");
        } finally {
            pool.shutdownNow();
        }
    }

    PolicyState policy(String tenant, String policyId) {
        return policies.get(key(tenant, policyId));
    }

    GraphReads.Lookup group(String tenant, String groupId) {
        return groups.get(key(tenant, groupId));
    }

    GraphReads.Lookup filter(String tenant, String filterId) {
        return filters.get(key(tenant, filterId));
    }

    private static String key(String tenant, String id) {
        return (tenant + "|" + id).toLowerCase(Locale.ROOT);
    }
}
