package io.assignmentworker.process;

import static org.awaitility.Awaitility.await;

import io.assignmentworker.support.Results;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.awaitility.core.ConditionTimeoutException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * One run of packaged workers on one set of topics: starts workers, publishes requests, watches results come in
 * (as a {@code read_committed} result consumer would) and reads the final committed state. Closing it kills any
 * worker it started that still runs.
 */
final class Scenario implements AutoCloseable {

    private static final JsonMapper JSON = JsonMapper.builder().build();
    private static final Duration SNAPSHOT_TIMEOUT = Duration.ofSeconds(60);

    private final KafkaBrokerProcess broker;
    private final GraphFixture graph;
    private final TopicNames topics;
    private final int budget;
    private final FailureLogs logs;
    private final Map<String, String> workerEnvironment;
    private final List<WorkerProcess> workers = new ArrayList<>();
    private Results results;
    private BulkPublisher publisher;

    Scenario(KafkaBrokerProcess broker, GraphFixture graph, TopicNames topics, int budget, FailureLogs logs) {
        this(broker, graph, topics, budget, logs, Map.of());
    }

    /**
     * @param workerEnvironment variables every worker of the scenario gets on top of the usual ones, e.g.
     *                          {@code WORKER_GRAPH_STRATEGY=assign}
     */
    Scenario(KafkaBrokerProcess broker, GraphFixture graph, TopicNames topics, int budget, FailureLogs logs,
             Map<String, String> workerEnvironment) {
        this.broker = broker;
        this.graph = graph;
        this.topics = topics;
        this.budget = budget;
        this.logs = logs;
        this.workerEnvironment = Map.copyOf(workerEnvironment);
    }

    TopicNames topics() {
        return topics;
    }

    /**
     * Intake sessions ended for good and started again, over the scenario's workers that still run: a fault of
     * Graph or of one record must never cost a session.
     */
    double sessionRestarts() {
        return workers.stream().filter(WorkerProcess::isAlive)
                .mapToDouble(worker -> worker.counter("intune_worker_intake_session_restarts_total")).sum();
    }

    /** Starts a worker (joining the scenario's consumer group) and waits until it reports healthy. */
    WorkerProcess startWorker(String name) {
        return startWorker(name, Map.of());
    }

    /** The same, with variables for this worker alone on top of the scenario's (e.g. its own strategy). */
    WorkerProcess startWorker(String name, Map<String, String> ownEnvironment) {
        WorkerProcess worker = WorkerProcess.start(name, graph.worker(broker.bootstrapServers(), topics, budget)
                .withEnvironment(workerEnvironment).withEnvironment(ownEnvironment));
        workers.add(worker);
        logs.watch(name, worker::log);
        worker.awaitReady();
        if (results == null) {
            // Only now: the worker creates the topics, and the broker does not create them on demand.
            results = new Results(broker.bootstrapServers(), topics.results());
            publisher = new BulkPublisher(broker.bootstrapServers(), topics.requests());
        }
        return worker;
    }

    /**
     * Waits until the members share the requests topic's {@code partitions} evenly (each owns
     * {@code partitions / members.size()}, rounded either way, and together all of them): the group has settled
     * after members joined or left, so each paces at its final share of the budget.
     */
    void awaitBalanced(List<WorkerProcess> members, int partitions, Duration atMost) {
        int least = partitions / members.size();
        int most = (partitions + members.size() - 1) / members.size();
        await(members.size() + " workers own " + partitions + " request partitions evenly").atMost(atMost)
                .pollInterval(Duration.ofMillis(250))
                .until(() -> {
                    List<Integer> owned = members.stream().map(WorkerProcess::requestPartitions).toList();
                    return owned.stream().allMatch(n -> n >= least && n <= most)
                            && owned.stream().mapToInt(Integer::intValue).sum() == partitions;
                });
    }

    List<RecordMetadata> publish(List<PlannedRequest> plan) {
        return publisher.publish(plan);
    }

    /** Results seen so far ({@code read_committed}), from a reader that started with the first worker. */
    List<JsonNode> resultsSoFar() {
        return results.all();
    }

    /** How many of these requests have at least one committed result so far. */
    int answered(Collection<PlannedRequest> plan) {
        Set<String> seen = resultsSoFar().stream().map(r -> r.path("requestId").asString(null))
                .collect(Collectors.toSet());
        return (int) plan.stream().filter(r -> seen.contains(r.requestId())).count();
    }

    /** Waits until at least {@code count} of the plan's requests have a committed result. */
    int awaitAnswered(List<PlannedRequest> plan, int count, Duration atMost) {
        await("at least " + count + " of " + plan.size() + " requests answered").atMost(atMost)
                .pollDelay(Duration.ZERO).pollInterval(Duration.ofMillis(50))
                .until(() -> answered(plan) >= count);
        return answered(plan);
    }

    /**
     * Like {@link #awaitAnswered}, but gives up quietly: the caller audits what there is, which says precisely
     * what is missing (requests never answered, assignments not in Graph) instead of a bare timeout.
     */
    int awaitAnsweredOrAudit(List<PlannedRequest> plan, Duration atMost) {
        try {
            return awaitAnswered(plan, plan.size(), atMost);
        } catch (ConditionTimeoutException e) {
            System.out.println("[scenario] " + answered(plan) + " of " + plan.size() + " requests answered after "
                    + atMost + "; auditing what there is");
            return answered(plan);
        }
    }

    /**
     * Waits until the worker's groups have committed every request they were given: from then on no outcome can
     * be added for them, so the result topic is final. The requests topic comes first: a request the worker
     * forwards to the by-policy topic is committed there in the same transaction, so once the requests topic is
     * committed to its end, the by-policy topic has all it will get, and its group's commits finish the job.
     * Records count, not offsets: the by-policy topic's transaction markers need no commit.
     */
    void awaitAllCommitted(Duration atMost) {
        awaitCommitted(topics.group(), topics.requests(), atMost);
        awaitCommitted(topics.byPolicyGroup(), topics.byPolicy(), atMost);
    }

    private void awaitCommitted(String group, String topic, Duration atMost) {
        try (ConsumerGroupProgress progress = new ConsumerGroupProgress(broker.bootstrapServers(), group, topic)) {
            await("group " + group + " committed all of " + topic).atMost(atMost)
                    .pollInterval(Duration.ofMillis(250)).ignoreExceptions()
                    .until(() -> progress.uncommittedRecords() == 0);
        }
    }

    /** Every result committed so far, parsed: a complete snapshot, not the live reader's view. */
    List<JsonNode> committedResults() {
        return CommittedRecords.read(broker.bootstrapServers(), topics.results(), SNAPSHOT_TIMEOUT).stream()
                .map(r -> JSON.readTree(new String(r.value(), StandardCharsets.UTF_8)))
                .toList();
    }

    List<ConsumerRecord<byte[], byte[]>> committedDeadLetters() {
        return CommittedRecords.read(broker.bootstrapServers(), topics.deadLetters(), SNAPSHOT_TIMEOUT);
    }

    @Override
    public void close() throws Exception {
        Teardown.closeAll(() -> workers.forEach(WorkerProcess::close), publisher, results);
    }
}
