package io.assignmentworker.intake;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.assignmentworker.intake.ByPolicyCheck.Decision;
import io.assignmentworker.intake.ByPolicyCheck.Verdict;
import io.assignmentworker.metrics.WorkerMetrics;
import io.assignmentworker.request.AssignmentRequest;
import io.assignmentworker.request.AssignmentSource;
import io.assignmentworker.request.AssignmentTarget;
import io.assignmentworker.request.FilterType;
import io.assignmentworker.request.TargetType;
import io.assignmentworker.scheduling.AssignmentScheduler;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Arrays;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Function;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.apache.kafka.clients.producer.internals.BuiltInPartitioner;
import org.apache.kafka.common.KafkaException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** A by-policy record is written from where it was read only if a worker forwarded it to exactly there. */
class ByPolicyCheckTest {

    static final String ASSIGN_TENANT = "8F1C7E2A-1B2C-4D5E-8F90-0A1B2C3D4E5F";
    static final String CREATE_TENANT = "11111111-2222-4333-8444-555555555555";
    static final String POLICY = "0B6E2F51-7C1D-4E8A-9F3B-2A4C6D8E0F12";
    static final int PARTITIONS = 6;

    /** The forwarder's rule for tenants on /assign (the worker's own: lowercased tenant/policy). */
    static final Function<AssignmentRequest, Optional<String>> KEYS = request -> ASSIGN_TENANT
            .equalsIgnoreCase(request.tenantId())
            ? Optional.of(AssignmentScheduler.policyKey(request.tenantId(), request.policyId())) : Optional.empty();

    static final String RIGHT_KEY = AssignmentScheduler.policyKey(ASSIGN_TENANT, POLICY);
    /** Where Kafka's own producer puts the right key: the oracle the check must agree with. */
    static final int RIGHT_PARTITION = BuiltInPartitioner.partitionForKey(bytes(RIGHT_KEY), PARTITIONS);
    static final int OTHER_PARTITION = (RIGHT_PARTITION + 1) % PARTITIONS;

    static Stream<Arguments> records() {
        return Stream.of(
                Arguments.of("forwarded, tenant on /assign, its key, its partition", ASSIGN_TENANT, true, RIGHT_KEY,
                        RIGHT_PARTITION, Verdict.WRITE),
                Arguments.of("another policy's key", ASSIGN_TENANT, true,
                        AssignmentScheduler.policyKey(ASSIGN_TENANT, UUID.randomUUID().toString()), RIGHT_PARTITION,
                        Verdict.WRONG_KEY),
                Arguments.of("the key not lowercased", ASSIGN_TENANT, true, ASSIGN_TENANT + "/" + POLICY,
                        RIGHT_PARTITION, Verdict.WRONG_KEY),
                Arguments.of("no key", ASSIGN_TENANT, true, null, RIGHT_PARTITION, Verdict.WRONG_KEY),
                Arguments.of("its key on another partition", ASSIGN_TENANT, true, RIGHT_KEY, OTHER_PARTITION,
                        Verdict.WRONG_PARTITION),
                Arguments.of("tenant writing with create", CREATE_TENANT, true,
                        AssignmentScheduler.policyKey(CREATE_TENANT, POLICY), RIGHT_PARTITION,
                        Verdict.NOT_ASSIGN_TENANT),
                Arguments.of("no forward headers, though well routed", ASSIGN_TENANT, false, RIGHT_KEY,
                        RIGHT_PARTITION, Verdict.NOT_FORWARDED),
                Arguments.of("no forward headers, tenant on create", CREATE_TENANT, false, null, 0,
                        Verdict.NOT_FORWARDED));
    }

    @ParameterizedTest(name = "{0}: {5}")
    @MethodSource("records")
    void writesOnlyWhatAWorkerForwardedToWhereItsPolicyBelongs(String what, String tenant, boolean forwarded,
                                                                String key, int partition, Verdict expected) {
        ByPolicyCheck check = new ByPolicyCheck(KEYS, new PartitionCount(() -> PARTITIONS));

        Decision decision = check.judge(request(tenant), forwarded, key == null ? null : bytes(key), partition);

        assertThat(decision.verdict()).isEqualTo(expected);
        if (expected == Verdict.WRONG_KEY || expected == Verdict.WRONG_PARTITION || expected == Verdict.WRITE) {
            assertThat(decision.policyKey()).as("forwarded again under").isEqualTo(RIGHT_KEY);
        }
    }

    @Test
    void picksThePartitionKafkasProducerPicksForTheKey() {
        for (int partitions = 1; partitions <= 64; partitions++) {
            for (int i = 0; i < 200; i++) {
                byte[] key = bytes(AssignmentScheduler.policyKey(UUID.randomUUID().toString(),
                        UUID.randomUUID().toString()));
                assertThat(ByPolicyCheck.partitionFor(key, partitions))
                        .isEqualTo(BuiltInPartitioner.partitionForKey(key, partitions));
            }
        }
    }

    @Test
    void looksAtTheCountAgainBeforeCallingARecordMisplaced() {
        AtomicInteger count = new AtomicInteger(3);
        AtomicInteger lookups = new AtomicInteger();
        AtomicLong now = new AtomicLong();
        PartitionCount partitions = new PartitionCount(() -> {
            lookups.incrementAndGet();
            return count.get();
        }, now::get);
        ByPolicyCheck check = new ByPolicyCheck(KEYS, partitions);
        String key = keyPlacedDifferentlyBy(3, 12);
        int placedBy12 = BuiltInPartitioner.partitionForKey(bytes(key), 12);

        assertThat(check.judge(request(ASSIGN_TENANT, policyOf(key)), true, bytes(key), placedBy12).verdict())
                .as("counted 3, nothing changed").isEqualTo(Verdict.WRONG_PARTITION);
        count.set(12); // partitions added
        assertThat(check.judge(request(ASSIGN_TENANT, policyOf(key)), true, bytes(key), placedBy12).verdict())
                .as("looked up less than a second ago: not again").isEqualTo(Verdict.WRONG_PARTITION);
        assertThat(lookups).hasValue(1);

        now.addAndGet(PartitionCount.MIN_REREAD.toNanos());

        assertThat(check.judge(request(ASSIGN_TENANT, policyOf(key)), true, bytes(key), placedBy12).verdict())
                .isEqualTo(Verdict.WRITE);
        assertThat(lookups).hasValue(2);
        assertThat(check.judge(request(ASSIGN_TENANT, policyOf(key)), true, bytes(key), placedBy12).verdict())
                .as("the new count is kept").isEqualTo(Verdict.WRITE);
        assertThat(lookups).hasValue(2);
    }

    @Test
    void readsTheCountOnceWhileRecordsAreWellPlaced() {
        AtomicInteger lookups = new AtomicInteger();
        AtomicLong now = new AtomicLong();
        ByPolicyCheck check = new ByPolicyCheck(KEYS, new PartitionCount(() -> {
            lookups.incrementAndGet();
            return PARTITIONS;
        }, now::get));

        for (int i = 0; i < 10; i++) {
            now.addAndGet(Duration.ofMinutes(1).toNanos());
            assertThat(check.judge(request(ASSIGN_TENANT), true, bytes(RIGHT_KEY), RIGHT_PARTITION).verdict())
                    .isEqualTo(Verdict.WRITE);
        }

        assertThat(lookups).hasValue(1);
    }

    @Test
    void refusesToJudgeWithoutAPartitionCount() {
        ByPolicyCheck check = new ByPolicyCheck(KEYS, new PartitionCount(() -> 0));

        assertThatThrownBy(() -> check.judge(request(ASSIGN_TENANT), true, bytes(RIGHT_KEY), 0))
                .isInstanceOf(KafkaException.class);
    }

    @Test
    void everyRefusalHasAReasonTheMetricKnows() {
        Set<String> reasons = Arrays.stream(Verdict.values()).filter(v -> v != Verdict.WRITE)
                .map(Verdict::reason).collect(Collectors.toSet());

        assertThat(reasons).containsExactlyInAnyOrderElementsOf(WorkerMetrics.BY_POLICY_MISROUTED_REASONS);
    }

    @Test
    void warnsOfEveryRefusalButATenantOnAnotherStrategy() {
        Set<Verdict> suspicious = Arrays.stream(Verdict.values()).filter(Verdict::suspicious)
                .collect(Collectors.toSet());

        assertThat(suspicious).containsExactlyInAnyOrder(Verdict.WRONG_KEY, Verdict.WRONG_PARTITION,
                Verdict.NOT_FORWARDED);
    }

    /** A policy key of the /assign tenant that 3 and 12 partitions place on different partitions. */
    static String keyPlacedDifferentlyBy(int fewer, int more) {
        for (int i = 0; ; i++) {
            String key = AssignmentScheduler.policyKey(ASSIGN_TENANT, new UUID(0, i).toString());
            if (BuiltInPartitioner.partitionForKey(bytes(key), fewer)
                    != BuiltInPartitioner.partitionForKey(bytes(key), more)) {
                return key;
            }
        }
    }

    static String policyOf(String key) {
        return key.substring(key.indexOf('/') + 1);
    }

    static AssignmentRequest request(String tenant) {
        return request(tenant, POLICY);
    }

    static AssignmentRequest request(String tenant, String policy) {
        return new AssignmentRequest("r-" + UUID.randomUUID(), tenant, policy, null,
                new AssignmentTarget(TargetType.GROUP, UUID.randomUUID().toString(), null, null, FilterType.NONE),
                AssignmentSource.DIRECT, null);
    }

    static byte[] bytes(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }
}
