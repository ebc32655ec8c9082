package io.assignmentworker.process;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.assignmentworker.emulator.EmulatorSettings;
import io.assignmentworker.emulator.EmulatorStats;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.apache.kafka.common.utils.Utils;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.extension.RegisterExtension;
import tools.jackson.databind.JsonNode;

/**
 * A policy's owner whose {@code /assign} is slow to land (held back by Graph until the second worker has been up
 * for 35 s, within the request timeout) when a second worker joins and takes half of the policies over.
 * {@code /assign} replaces the whole set: if the old owner let its partitions go before its write was answered,
 * the new owner would read the policy without that write, write its own, and then the old write would land over
 * it, wiping assignments whose CREATED outcomes are committed. The hand-over waits for exactly the revoked
 * partitions' writes, up to the request timeout.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class SlowOldOwnerIT {

    static {
        QuietConsole.apply();
    }

    private static final int BUDGET = 100_000;
    private static final int POLICIES = 6;
    private static final int BY_POLICY_PARTITIONS = 6;
    /**
     * The slow writes land this long after the second worker is up: well past the 20 s an old owner used to wait
     * from the start of the rebalance (which begins as the new worker joins, before it reports ready).
     */
    private static final Duration LAND_AFTER_JOIN = Duration.ofSeconds(35);
    private static final Duration KEEP_PUBLISHING = Duration.ofSeconds(15);
    /** Long enough for a slow write to be held past the new worker's start-up and {@link #LAND_AFTER_JOIN}. */
    private static final String REQUEST_TIMEOUT = "120s";
    private static final Duration HELD_AT_MOST = Duration.ofSeconds(110);
    private static final Duration RUN = Duration.ofSeconds(150);

    @RegisterExtension
    static final FailureLogs logs = new FailureLogs();

    @RegisterExtension
    static final ClassBroker broker = new ClassBroker("slow-owner-broker", logs);

    private GraphFixture graph;
    private Scenario scenario;

    @AfterEach
    void stopScenario() throws Exception {
        Teardown.closeAll(scenario, graph);
    }

    @Test
    void anOldOwnersSlowAssignDuringARebalanceOverwritesNothing() throws Exception {
        graph = GraphFixture.start(EmulatorSettings.defaults().withWriteBudget(BUDGET).withRequestBudget(BUDGET * 10)
                .withLatency(Duration.ofMillis(20), Duration.ZERO));
        List<String> policies = policiesOnDistinctPartitions();
        PreExistingAssignments seeded = PreExistingAssignments.seed(graph, policies);
        scenario = new Scenario(broker.process(), graph, TopicNames.unique("slow-owner"), BUDGET, logs,
                Map.of("WORKER_GRAPH_STRATEGY", "assign", "WORKER_GRAPH_REQUEST_TIMEOUT", REQUEST_TIMEOUT));
        scenario.startWorker("slow-owner-1");
        List<PlannedRequest> before = Rollout.mixedWithoutEveryone("before", GraphFixture.TENANT, policies, 2 * POLICIES);
        scenario.publish(before);
        scenario.awaitAnswered(before, before.size(), RUN);

        // Every policy's next /assign is sent now and held back by Graph until released below (and only those).
        graph.emulator().delays().holdBack(EmulatorStats.Operation.ASSIGN, HELD_AT_MOST);
        List<PlannedRequest> slow = Rollout.mixedWithoutEveryone("slow", GraphFixture.TENANT, policies, 2 * POLICIES);
        scenario.publish(slow);
        await("every policy's /assign is under way").atMost(Duration.ofSeconds(30))
                .until(() -> graph.emulator().delays().heldCalls(EmulatorStats.Operation.ASSIGN) >= POLICIES);
        // Only these are slow: the new owner's writes go through at once.
        graph.emulator().delays().letNewCallsThrough(EmulatorStats.Operation.ASSIGN);
        long sentAt = System.nanoTime();

        // Requests keep coming, so whoever owns a policy writes it again while (or after) the slow writes land.
        AtomicBoolean publishing = new AtomicBoolean(true);
        CompletableFuture<List<PlannedRequest>> after = CompletableFuture.supplyAsync(() -> trickle(policies,
                publishing));
        // A second worker joins mid-write and takes half of the by-policy partitions over. The slow writes land
        // well after the 20 s an old owner used to wait for them from the start of the rebalance.
        scenario.startWorker("slow-owner-2");
        Thread.sleep(LAND_AFTER_JOIN.toMillis());
        graph.emulator().delays().release(EmulatorStats.Operation.ASSIGN);
        long landedAfter = Duration.ofNanos(System.nanoTime() - sentAt).toSeconds();
        Thread.sleep(KEEP_PUBLISHING.toMillis());
        publishing.set(false);
        List<PlannedRequest> later = after.get(RUN.toSeconds(), TimeUnit.SECONDS);

        List<PlannedRequest> all = new ArrayList<>(before);
        all.addAll(slow);
        all.addAll(later);
        if (scenario.awaitAnsweredOrAudit(all, RUN) == all.size()) {
            scenario.awaitAllCommitted(RUN);
        }
        List<JsonNode> results = scenario.committedResults();
        System.out.printf("[slow-owner] %d requests; the held /assign calls landed %d s after they were sent; %d "
                        + "/assign calls in all%n", all.size(), landedAfter,
                graph.emulator().stats().count(EmulatorStats.Operation.ASSIGN));
        ExactlyOnceAudit.of(all, results, graph, seeded.keys()).assertExactlyOnce();
        assertThat(seeded.lostOrChanged(graph)).as("pre-existing assignments lost or changed").isEmpty();
    }

    /** One request per policy every 2 s while {@code publishing}, published as it goes. */
    private List<PlannedRequest> trickle(List<String> policies, AtomicBoolean publishing) {
        List<PlannedRequest> published = new ArrayList<>();
        for (int round = 0; publishing.get(); round++) {
            List<PlannedRequest> chunk = Rollout.mixedWithoutEveryone("after" + round, GraphFixture.TENANT, policies, POLICIES);
            scenario.publish(chunk);
            published.addAll(chunk);
            try {
                Thread.sleep(2_000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException(e);
            }
        }
        return published;
    }

    /** Policies whose requests go to different partitions of the by-policy topic (keyed {@code tenant/policy}). */
    private List<String> policiesOnDistinctPartitions() {
        Set<Integer> taken = new HashSet<>();
        List<String> policies = new ArrayList<>();
        while (policies.size() < POLICIES) {
            String policy = Rollout.guid();
            byte[] key = (GraphFixture.TENANT + "/" + policy).toLowerCase(Locale.ROOT).getBytes(StandardCharsets.UTF_8);
            if (taken.add(Utils.toPositive(Utils.murmur2(key)) % BY_POLICY_PARTITIONS)) {
                graph.emulator().addPolicy(GraphFixture.TENANT, policy, "Windows compliance " + (policies.size() + 1));
                policies.add(policy);
            }
        }
        return policies;
    }
}
