package io.assignmentworker.process;

import static org.assertj.core.api.Assertions.assertThat;

import io.assignmentworker.emulator.EmulatorSettings;
import io.assignmentworker.emulator.EmulatorStats;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.extension.RegisterExtension;
import tools.jackson.databind.JsonNode;

/**
 * One consumer group whose instances are configured with different strategies for the same tenant, as during a
 * rolling upgrade from {@code create} to {@code assign}: the first worker writes creates; the second, configured
 * {@code assign}, joins mid-rollout. {@code /assign} replaces a policy's whole set, so a create that lands between
 * an {@code /assign}'s read and its write is wiped although its CREATED outcome is committed. The group must write
 * the tenant one way: every request answered exactly once, every assignment there, nothing pre-existing lost.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class MixedStrategiesIT {

    static {
        QuietConsole.apply();
    }

    private static final int BUDGET = 100_000;
    private static final int POLICIES = 6;
    private static final Duration RUN = Duration.ofSeconds(180);
    /** Short, so the hold after the switch (request timeout + 5 s) keeps the test short. */
    private static final String REQUEST_TIMEOUT = "10s";

    @RegisterExtension
    static final FailureLogs logs = new FailureLogs();

    @RegisterExtension
    static final ClassBroker broker = new ClassBroker("mixed-broker", logs);

    private GraphFixture graph;
    private Scenario scenario;

    @AfterEach
    void stopScenario() throws Exception {
        Teardown.closeAll(scenario, graph);
    }

    @Test
    void aGroupThatMixesStrategiesWritesEachTenantOneWayAndLosesNothing() throws Exception {
        // Reads and writes take a while, so an /assign's read-then-write and other workers' creates overlap.
        graph = GraphFixture.start(EmulatorSettings.defaults().withWriteBudget(BUDGET).withRequestBudget(BUDGET * 10)
                .withLatency(Duration.ofMillis(60), Duration.ofMillis(30)));
        List<String> policies = graph.addPolicies(POLICIES);
        PreExistingAssignments seeded = PreExistingAssignments.seed(graph, policies);
        List<PlannedRequest> plan = new ArrayList<>(Rollout.mixedWithoutEveryone("mixed", GraphFixture.TENANT, policies, 1_600));
        for (String policy : policies) {
            plan.add(plan.size() / 2, new PlannedRequest("mixed-existing-" + policy, GraphFixture.TENANT, policy,
                    seeded.existingTarget(policy)));
        }
        scenario = new Scenario(broker.process(), graph, TopicNames.unique("mixed"), BUDGET, logs,
                Map.of("WORKER_GRAPH_REQUEST_TIMEOUT", REQUEST_TIMEOUT));

        WorkerProcess creating = scenario.startWorker("mixed-create", Map.of("WORKER_GRAPH_STRATEGY", "create"));
        // 80 s of requests: the second worker starts (up to ~40 s on a busy machine) well before they end.
        CompletableFuture<List<RecordMetadata>> publishing = trickle(plan, 10, Duration.ofMillis(500));
        scenario.awaitAnswered(plan, 100, RUN);
        // A worker of the new configuration joins while the old one creates and requests keep coming.
        WorkerProcess assigning = scenario.startWorker("mixed-assign", Map.of("WORKER_GRAPH_STRATEGY", "assign"));
        int answeredAtJoin = scenario.answered(plan);
        publishing.get(RUN.toSeconds(), TimeUnit.SECONDS);

        if (scenario.awaitAnsweredOrAudit(plan, RUN) == plan.size()) {
            scenario.awaitAllCommitted(RUN);
        }
        EmulatorStats stats = graph.emulator().stats();
        List<JsonNode> results = scenario.committedResults();
        System.out.printf("[mixed] %d requests, %d answered when the assign worker joined; creates %d, /assign %d, "
                        + "lists %d; batches written %.0f + %.0f%n", plan.size(), answeredAtJoin,
                stats.count(EmulatorStats.Operation.CREATE, 201), stats.count(EmulatorStats.Operation.ASSIGN),
                stats.count(EmulatorStats.Operation.LIST),
                creating.counter("intune_worker_assign_batch_size_requests_count"),
                assigning.counter("intune_worker_assign_batch_size_requests_count"));
        ExactlyOnceAudit.of(plan, results, graph, seeded.keys()).assertExactlyOnce();
        assertThat(seeded.lostOrChanged(graph)).as("pre-existing assignments lost or changed").isEmpty();
        assertThat(stats.count(EmulatorStats.Operation.ASSIGN)).as("the group switched to /assign").isPositive();
    }

    /** Publishes {@code requests} in chunks, one every {@code pause}, on another thread. */
    private CompletableFuture<List<RecordMetadata>> trickle(List<PlannedRequest> requests, int chunk, Duration pause) {
        return CompletableFuture.supplyAsync(() -> {
            List<RecordMetadata> published = new ArrayList<>(requests.size());
            for (int i = 0; i < requests.size(); i += chunk) {
                published.addAll(scenario.publish(requests.subList(i, Math.min(requests.size(), i + chunk))));
                sleep(pause);
            }
            return published;
        }, runnable -> {
            Thread thread = new Thread(runnable, "trickle");
            thread.setDaemon(true);
            thread.start();
        });
    }

    private static void sleep(Duration duration) {
        try {
            Thread.sleep(duration.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
