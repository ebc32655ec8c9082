package io.assignmentworker.intake;

import static org.assertj.core.api.Assertions.assertThat;

import io.assignmentworker.emulator.EmulatorSettings;
import io.assignmentworker.emulator.EmulatorStats.Operation;
import io.assignmentworker.emulator.GraphEmulator;
import io.assignmentworker.graph.Strategy;
import io.assignmentworker.metrics.WorkerMetrics;
import io.assignmentworker.outcome.Completion;
import io.assignmentworker.outcome.ErrorCategory;
import io.assignmentworker.outcome.Forward;
import io.assignmentworker.outcome.Outcome;
import io.assignmentworker.outcome.RecordSource;
import io.assignmentworker.request.Decoded;
import io.assignmentworker.request.RequestDecoder;
import io.assignmentworker.scheduling.AssignmentScheduler;
import io.assignmentworker.scheduling.GraphStackFixture;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.TreeSet;
import java.util.UUID;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.header.Headers;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.common.record.TimestampType;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The record → {@link Finished} contract of the dispatcher, over the real scheduling and Graph
 * stages against the emulator: whatever a record holds, it ends in exactly one Finished, for the partition state
 * it was read under.
 */
class RecordDispatcherTest {

    private static final String TENANT = SessionFixture.TENANT;
    private static final String CLIENT = "3c1f6a7e-0000-4000-8000-00000000d1d1";
    private static final String SECRET = "dispatcher-test-secret";
    private static final String BY_POLICY = "requests-by-policy";
    private static final int BY_POLICY_PARTITIONS = 4;

    private final BlockingQueue<Finished> finished = new LinkedBlockingQueue<>();
    private final PartitionProgress owner = new PartitionLedger().assign(SessionFixture.P0, 0,
            new TreeSet<>());
    private GraphEmulator emulator;
    private GraphStackFixture stack;
    private IntakeSession.Stages stages;

    @AfterEach
    void stop() {
        if (stack != null) {
            stack.close();
        }
        if (emulator != null) {
            emulator.close();
        }
    }

    @Test
    void aValidRequestGoesToTheSchedulerAndFinishesWithItsOutcome() throws InterruptedException {
        RecordDispatcher dispatcher = dispatcher(Strategy.CREATE, Feed.REQUESTS, () -> true);
        ConsumerRecord<byte[], byte[]> record = record(SessionFixture.TOPIC, 1, 7, null, request(newPolicy()),
                new RecordHeaders());

        dispatch(dispatcher, record);

        Completion completion = completion(next());
        assertThat(completion.consumed()).isEqualTo(new RecordSource(SessionFixture.TOPIC, 1, 7));
        assertThat(completion.outcome()).isInstanceOfSatisfying(Outcome.Created.class,
                created -> assertThat(created.source()).isEqualTo(completion.consumed()));
        assertThat(emulator.stats().count(Operation.CREATE)).isEqualTo(1);
        assertThat(finished).as("one Finished per record").isEmpty();
    }

    @Test
    void aRejectedRequestFinishesFailedAtOnceWithoutGraph() {
        RecordDispatcher dispatcher = dispatcher(Strategy.CREATE, Feed.REQUESTS, () -> true);
        String invalid = """
                {"requestId":"r-1","tenantId":"%s","policyId":"not a policy id","rolloutId":"ro-1"}"""
                .formatted(TENANT);
        assertThat(stages.decoder().decode(bytes(invalid))).isInstanceOf(Decoded.Rejected.class);

        dispatch(dispatcher, record(SessionFixture.TOPIC, 0, 3, null, invalid, new RecordHeaders()));

        assertThat(finished).as("answered before dispatch returns").singleElement().satisfies(done -> {
            assertThat(done.owner()).isSameAs(owner.ownership());
            assertThat(completion(done).deadLetter()).isNull();
            assertThat(completion(done).forward()).isNull();
            assertThat(completion(done).outcome()).isInstanceOfSatisfying(Outcome.Failed.class, failed -> {
                assertThat(failed.requestId()).isEqualTo("r-1");
                assertThat(failed.error().category()).isEqualTo(ErrorCategory.INVALID_REQUEST);
                assertThat(failed.error().code()).isEqualTo("InvalidRequest");
                assertThat(failed.source()).isEqualTo(new RecordSource(SessionFixture.TOPIC, 0, 3));
            });
        });
        assertThat(graphCalls()).isZero();
    }

    @Test
    void anUnreadableRecordFinishesFailedAtOnceWithItsOriginalBytesForTheDeadLetterTopic() {
        RecordDispatcher dispatcher = dispatcher(Strategy.CREATE, Feed.REQUESTS, () -> true);
        byte[] key = bytes("some-key");
        byte[] value = bytes("{ not json");
        RecordHeaders headers = new RecordHeaders();
        headers.add("trace", bytes("abc"));

        dispatch(dispatcher, new ConsumerRecord<>(SessionFixture.TOPIC, 0, 4, 0L, TimestampType.CREATE_TIME, 0,
                value.length, key, value, headers, Optional.empty()));

        assertThat(finished).singleElement().satisfies(done -> {
            assertThat(completion(done).outcome()).isInstanceOfSatisfying(Outcome.Failed.class, failed -> {
                assertThat(failed.error().category()).isEqualTo(ErrorCategory.UNREADABLE_RECORD);
                assertThat(failed.error().code()).isEqualTo("UnreadableRecord");
                assertThat(failed.requestId()).isNull();
            });
            assertThat(completion(done).deadLetter()).isNotNull().satisfies(dead -> {
                assertThat(dead.key()).isEqualTo(key);
                assertThat(dead.value()).isEqualTo(value);
                assertThat(dead.headers().lastHeader("trace").value()).isEqualTo(bytes("abc"));
            });
        });
        assertThat(graphCalls()).isZero();
    }

    @Test
    void aByPolicyRecordNoWorkerForwardedFinishesFailedNotForwardedAndIsNeverWritten() {
        RecordDispatcher dispatcher = dispatcher(Strategy.ASSIGN, Feed.BY_POLICY, () -> true);
        String policy = newPolicy();
        byte[] key = bytes(AssignmentScheduler.policyKey(TENANT, policy));

        dispatch(dispatcher, record(BY_POLICY, partitionOf(key), 5, key, request(policy), new RecordHeaders()));

        assertThat(finished).singleElement().satisfies(done -> assertThat(completion(done).outcome())
                .isInstanceOfSatisfying(Outcome.Failed.class, failed -> {
                    assertThat(failed.error().category()).isEqualTo(ErrorCategory.INVALID_REQUEST);
                    assertThat(failed.error().code()).isEqualTo("NotForwarded");
                }));
        assertThat(graphCalls()).isZero();
    }

    @Test
    void aByPolicyRecordUnderAnotherKeyIsForwardedAgainUnderItsPolicysKey() {
        RecordDispatcher dispatcher = dispatcher(Strategy.ASSIGN, Feed.BY_POLICY, () -> true);
        String policy = newPolicy();
        RecordSource upstream = new RecordSource(SessionFixture.TOPIC, 1, 42);
        Instant firstRead = Instant.parse("2026-01-01T10:00:00Z");
        String json = request(policy);

        dispatch(dispatcher, record(BY_POLICY, 0, 9, bytes("not-its-policy"), json, forwardHeaders(upstream,
                firstRead)));

        assertThat(finished).singleElement().satisfies(done -> {
            assertThat(completion(done).consumed()).isEqualTo(new RecordSource(BY_POLICY, 0, 9));
            assertThat(completion(done).outcome()).isNull();
            Forward forward = completion(done).forward();
            assertThat(forward).isNotNull();
            assertThat(new String(forward.key(), StandardCharsets.UTF_8))
                    .isEqualTo(AssignmentScheduler.policyKey(TENANT, policy));
            assertThat(forward.source()).as("still names where upstream published it").isEqualTo(upstream);
            assertThat(forward.receivedAt()).isEqualTo(firstRead);
        });
        assertThat(graphCalls()).isZero();
    }

    @Test
    void aByPolicyRecordWhereItsPolicyBelongsIsWrittenWithAssignAndAnsweredForItsFirstRead()
            throws InterruptedException {
        RecordDispatcher dispatcher = dispatcher(Strategy.ASSIGN, Feed.BY_POLICY, () -> true);
        String policy = newPolicy();
        byte[] key = bytes(AssignmentScheduler.policyKey(TENANT, policy));
        RecordSource upstream = new RecordSource(SessionFixture.TOPIC, 0, 11);

        dispatch(dispatcher, record(BY_POLICY, partitionOf(key), 2, key, request(policy),
                forwardHeaders(upstream, Instant.now())));

        Completion completion = completion(next());
        assertThat(completion.consumed()).isEqualTo(new RecordSource(BY_POLICY, partitionOf(key), 2));
        assertThat(completion.outcome()).isInstanceOfSatisfying(Outcome.Created.class,
                created -> assertThat(created.source()).isEqualTo(upstream));
        assertThat(emulator.stats().count(Operation.ASSIGN)).isEqualTo(1);
        assertThat(finished).isEmpty();
    }

    @Test
    void aFailureInsideTheSchedulerStillFinishesTheRecordWithAnInternalError() throws InterruptedException {
        // The lease check runs inside the scheduler, before each write: a fault there is one the worker did not
        // plan for, and must still answer the request rather than leave its offset uncommitted for ever.
        RecordDispatcher dispatcher = dispatcher(Strategy.CREATE, Feed.REQUESTS, () -> {
            throw new IllegalStateException("lease check broke");
        });

        dispatch(dispatcher, record(SessionFixture.TOPIC, 0, 8, null, request(newPolicy()), new RecordHeaders()));

        Finished done = next();
        assertThat(done.owner()).isSameAs(owner.ownership());
        assertThat(completion(done).outcome()).isInstanceOfSatisfying(Outcome.Failed.class, failed -> {
            assertThat(failed.error().code()).isEqualTo("InternalError");
            assertThat(failed.error().message()).contains("lease check broke");
            assertThat(failed.error().retryable()).isTrue();
        });
        assertThat(emulator.stats().count(Operation.CREATE)).isZero();
        assertThat(finished).isEmpty();
    }

    private RecordDispatcher dispatcher(Strategy strategy, Feed feed, BooleanSupplier leaseFresh) {
        emulator = GraphEmulator.start(EmulatorSettings.defaults().withWriteBudget(100_000)
                .withRequestBudget(1_000_000));
        emulator.registerApp(TENANT, CLIENT, SECRET);
        stack = new GraphStackFixture(emulator, TENANT, CLIENT, SECRET,
                GraphStackFixture.fastScheduling(1_000, Duration.ofSeconds(1)), strategy);
        stages = new IntakeSession.Stages(new RequestDecoder(65_536, 32), stack.scheduler, stack.budgetShare,
                SessionFixture.TOPICS, Clock.systemUTC(), new WorkerMetrics(stack.meters), Duration.ofSeconds(5));
        return new RecordDispatcher(feed, stages, finished::add, leaseFresh, () -> BY_POLICY_PARTITIONS);
    }

    /** As the intake loop does: the record is under way for its partition before it is dispatched. */
    private void dispatch(RecordDispatcher dispatcher, ConsumerRecord<byte[], byte[]> record) {
        owner.received(record.offset());
        dispatcher.dispatch(record, owner);
    }

    /** Waits for the next Finished, which a request that goes to Graph delivers on another thread. */
    private Finished next() throws InterruptedException {
        Finished done = finished.poll(30, TimeUnit.SECONDS);
        assertThat(done).as("the record finished").isNotNull();
        assertThat(done.owner()).isSameAs(owner.ownership());
        return done;
    }

    /** What the record ended with; a hand-back (no answer here) fails the test, none is expected in these cases. */
    private static Completion completion(Finished finished) {
        assertThat(finished).isInstanceOf(Finished.Done.class);
        return ((Finished.Done) finished).completion();
    }

    private long graphCalls() {
        return List.of(Operation.values()).stream().mapToLong(op -> emulator.stats().count(op)).sum();
    }

    private String newPolicy() {
        String policy = UUID.randomUUID().toString();
        emulator.addPolicy(TENANT, policy, "policy " + policy);
        return policy;
    }

    private static String request(String policy) {
        return """
                {"requestId":"%s","tenantId":"%s","policyId":"%s","rolloutId":"test-rollout",
                 "assignment":{"@odata.type":"#microsoft.graph.deviceCompliancePolicyAssignment",
                  "target":{"@odata.type":"#microsoft.graph.groupAssignmentTarget","groupId":"%s",
                   "deviceAndAppManagementAssignmentFilterId":null,
                   "deviceAndAppManagementAssignmentFilterType":"none"},
                  "source":"direct","sourceId":null}}""".formatted(UUID.randomUUID(), TENANT, policy,
                UUID.randomUUID());
    }

    private static Headers forwardHeaders(RecordSource upstream, Instant firstRead) {
        RecordHeaders headers = new RecordHeaders();
        headers.add(ForwardHeaders.TOPIC, bytes(upstream.topic()));
        headers.add(ForwardHeaders.PARTITION, bytes(Integer.toString(upstream.partition())));
        headers.add(ForwardHeaders.OFFSET, bytes(Long.toString(upstream.offset())));
        headers.add(ForwardHeaders.RECEIVED_AT, bytes(firstRead.toString()));
        return headers;
    }

    private static int partitionOf(byte[] key) {
        return ByPolicyCheck.partitionFor(key, BY_POLICY_PARTITIONS);
    }

    private static ConsumerRecord<byte[], byte[]> record(String topic, int partition, long offset, byte[] key,
                                                         String value, Headers headers) {
        byte[] bytes = bytes(value);
        return new ConsumerRecord<>(topic, partition, offset, 0L, TimestampType.CREATE_TIME,
                key == null ? 0 : key.length, bytes.length, key, bytes, headers, Optional.empty());
    }

    private static byte[] bytes(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }
}
