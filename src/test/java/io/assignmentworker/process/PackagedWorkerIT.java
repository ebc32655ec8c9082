package io.assignmentworker.process;

import static org.assertj.core.api.Assertions.assertThat;

import io.assignmentworker.emulator.EmulatorSettings;
import io.assignmentworker.support.Requests;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.stream.Collectors;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.springframework.kafka.support.KafkaHeaders;
import tools.jackson.databind.JsonNode;

/**
 * The product as a new user first tries it: a Kafka broker, Graph (the emulator) and the packaged worker, each
 * its own process, the worker configured by environment variables and talking https to Graph. The tests run in
 * order because together they are one session with one worker: a rollout, then bad input, then shutdown.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class PackagedWorkerIT {

    static {
        QuietConsole.apply();
    }

    /** Generous on both sides: this scenario is about correctness, not about pacing under Intune's limits. */
    private static final int BUDGET = 100_000;
    private static final Duration RESULT_WAIT = Duration.ofSeconds(120);

    @RegisterExtension
    static final FailureLogs logs = new FailureLogs();

    @RegisterExtension
    static final ClassBroker broker = new ClassBroker("accept-broker", logs);

    private GraphFixture graph;
    private Scenario scenario;
    private WorkerProcess worker;
    private Requests requests;
    private List<String> policies;

    @BeforeAll
    void startProcesses() {
        graph = GraphFixture.start(EmulatorSettings.defaults().withWriteBudget(BUDGET).withRequestBudget(BUDGET * 10));
        policies = graph.addPolicies(10);
        // One create per request: the shutdown test needs requests finishing one by one, which coalescing (the
        // default, auto; packaged in CoalescedAssignIT and CrashRecoveryIT) would answer together.
        scenario = new Scenario(broker.process(), graph, TopicNames.defaults(), BUDGET, logs,
                Map.of("WORKER_GRAPH_STRATEGY", "create"));
        worker = scenario.startWorker("accept-worker");
        logs.watchForClass("accept-worker", worker::log);
        requests = new Requests(broker.process().bootstrapServers(), scenario.topics().requests());
    }

    @AfterAll
    void stopProcesses() throws Exception {
        Teardown.closeAll(requests, scenario, graph);
    }

    @Test
    @Order(1)
    void createsEveryAssignmentOnceFromAPackagedWorker() {
        List<PlannedRequest> plan = Rollout.mixed("accept", GraphFixture.TENANT, policies, 500);

        scenario.publish(plan);

        scenario.awaitAnswered(plan, plan.size(), RESULT_WAIT);
        scenario.awaitAllCommitted(RESULT_WAIT);
        List<JsonNode> committed = scenario.committedResults();
        assertThat(committed).as("committed results").hasSize(500);
        assertThat(committed).allSatisfy(r -> assertThat(r.path("status").asString()).as(ExactlyOnceAudit.summary(r))
                .isEqualTo("CREATED"));
        ExactlyOnceAudit audit = ExactlyOnceAudit.of(plan, committed, graph);
        audit.assertExactlyOnce();
        assertThat(audit.assignmentsInGraph()).isEqualTo(500);
        assertThat(policies.stream().mapToInt(p -> graph.assignments(p).size()).sum()).isEqualTo(500);
        assertThat(graph.duplicateAssignments()).isZero();
    }

    @Test
    @Order(2)
    void answersEveryBadInputOnceWithItsCategoryAndKeepsWorking() {
        List<BadInput> inputs = BadInput.everyKind(GraphFixture.TENANT, policies.get(0));
        List<RecordMetadata> sent = new ArrayList<>();
        for (BadInput input : inputs) {
            sent.add(requests.send(input.key(), input.value()));
        }
        PlannedRequest afterwards = new PlannedRequest("after-bad-input-" + Rollout.guid(), GraphFixture.TENANT,
                policies.get(1), Target.group(Rollout.guid()));
        requests.send(afterwards.requestId(), afterwards.value());

        scenario.awaitAnswered(List.of(afterwards), 1, RESULT_WAIT);
        scenario.awaitAllCommitted(RESULT_WAIT);
        List<JsonNode> committed = scenario.committedResults();
        List<ConsumerRecord<byte[], byte[]>> deadLetters = scenario.committedDeadLetters();
        for (int i = 0; i < inputs.size(); i++) {
            BadInput input = inputs.get(i);
            RecordMetadata record = sent.get(i);
            List<JsonNode> results = committed.stream().filter(r -> isResultOf(r, input, record)).toList();
            assertThat(results).as("results of the %s record at %s", input, record).hasSize(1);
            JsonNode result = results.get(0);
            assertThat(result.path("status").asString()).as(input.name()).isEqualTo("FAILED");
            assertThat(result.path("error").path("category").asString()).as(input.name()).isEqualTo(input.category());
            List<ConsumerRecord<byte[], byte[]>> letters = deadLetters.stream()
                    .filter(letter -> isLetterOf(letter, record)).toList();
            if (input.deadLettered()) {
                assertThat(result.path("requestId").isNull()).as(input.name()).isTrue();
                assertThat(letters).as("dead letters of the %s record", input).hasSize(1);
                assertThat(letters.get(0).value()).as("dead letter of the %s record", input).isEqualTo(input.value());
                assertThat(header(letters.get(0), KafkaHeaders.DLT_EXCEPTION_MESSAGE)).as(input.name()).isNotBlank();
            } else {
                assertThat(letters).as("dead letters of the %s record", input).isEmpty();
            }
        }
        assertThat(deadLetters).hasSize((int) inputs.stream().filter(BadInput::deadLettered).count());
        JsonNode invalid = resultFor(committed, inputs.get(6).requestId());
        assertThat(invalid.path("error").path("message").asString()).contains("assignment.target.groupId");
        JsonNode notFound = resultFor(committed, inputs.get(7).requestId());
        assertThat(notFound.path("error").path("httpStatus").asInt()).isEqualTo(404);

        assertThat(worker.isHealthy()).as("worker health after the bad input").isTrue();
        assertThat(worker.counter("intune_worker_intake_session_restarts_total"))
                .as("intake sessions restarted by the bad input").isZero();
        JsonNode created = resultFor(committed, afterwards.requestId());
        assertThat(created.path("status").asString()).isEqualTo("CREATED");
        assertThat(graph.assignments(afterwards.policyId())).extracting(a -> a.path("id").asString())
                .contains(created.path("assignmentId").asString());
        assertThat(graph.duplicateAssignments()).isZero();
    }

    @Test
    @Order(3)
    void finishesWorkInFlightWithinFortySecondsOfSigterm() {
        // Calls that take a while, and more requests than run at once (128 calls), so that requests are still under
        // way when the signal comes.
        graph.emulator().tenant(GraphFixture.TENANT).latency(Duration.ofSeconds(1), Duration.ZERO);
        List<PlannedRequest> plan = Rollout.mixed("sigterm", GraphFixture.TENANT, graph.addPolicies(3), 300);
        scenario.publish(plan);
        int answeredAtSignal = scenario.awaitAnswered(plan, 1, RESULT_WAIT);

        ProcessExit exit = worker.terminate();

        assertThat(answeredAtSignal).as("requests answered before SIGTERM").isLessThan(plan.size());
        assertThat(exit.forced()).as("still running %s after SIGTERM", exit.took()).isFalse();
        assertThat(exit.took()).isLessThan(Duration.ofSeconds(40));
        ExactlyOnceAudit.of(plan, resultsOf(plan), graph).assertExactlyOnce();
    }

    @Test
    @Order(4)
    void exitsWithStatusZeroOnSigterm() {
        WorkerProcess another = scenario.startWorker("accept-worker-2");

        ProcessExit exit = another.terminate();

        assertThat(exit.forced()).as("still running %s after SIGTERM", exit.took()).isFalse();
        assertThat(exit.code()).as("exit status after SIGTERM (took %s)", exit.took()).isZero();
    }

    private List<JsonNode> resultsOf(List<PlannedRequest> plan) {
        Set<String> ids = plan.stream().map(PlannedRequest::requestId).collect(Collectors.toSet());
        return scenario.committedResults().stream().filter(r -> ids.contains(r.path("requestId").asString(null)))
                .toList();
    }

    private static boolean isResultOf(JsonNode result, BadInput input, RecordMetadata record) {
        if (input.requestId() != null) {
            return input.requestId().equals(result.path("requestId").asString(null));
        }
        JsonNode source = result.path("source");
        return source.path("partition").asInt(-1) == record.partition()
                && source.path("offset").asLong(-1) == record.offset();
    }

    private static boolean isLetterOf(ConsumerRecord<byte[], byte[]> letter, RecordMetadata record) {
        var partition = letter.headers().lastHeader(KafkaHeaders.DLT_ORIGINAL_PARTITION);
        var offset = letter.headers().lastHeader(KafkaHeaders.DLT_ORIGINAL_OFFSET);
        return partition != null && offset != null && ByteBuffer.wrap(partition.value()).getInt() == record.partition()
                && ByteBuffer.wrap(offset.value()).getLong() == record.offset();
    }

    private static String header(ConsumerRecord<byte[], byte[]> record, String name) {
        var header = record.headers().lastHeader(name);
        return header == null ? null : new String(header.value(), StandardCharsets.UTF_8);
    }

    private static JsonNode resultFor(List<JsonNode> committed, String requestId) {
        List<JsonNode> found = committed.stream()
                .filter(r -> Objects.equals(requestId, r.path("requestId").asString(null))).toList();
        assertThat(found).as("results of %s", requestId).hasSize(1);
        return found.get(0);
    }
}
