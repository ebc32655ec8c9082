package io.assignmentworker.intake;

import io.assignmentworker.request.AssignmentRequest;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Optional;
import java.util.function.Function;
import org.apache.kafka.common.utils.Utils;

/**
 * Decides whether a valid request read from the by-policy topic may be written from here. The topic is trusted
 * only as far as this check goes: a coalesced {@code /assign} replaces the policy's whole assignment set, so it
 * is safe only from the one partition every request of the policy goes to. A record is written only when it was
 * forwarded by a worker (it carries the forward headers), its tenant writes with {@code /assign} now, and its
 * key and partition are exactly those the forwarder gives the request's policy.
 */
final class ByPolicyCheck {

    /** What becomes of a valid by-policy request; each case other than {@code WRITE} never writes from here. */
    enum Verdict {
        /** Where its policy belongs, its tenant on {@code /assign}: coalesced and written. */
        WRITE(null, false, "written"),
        /** Keyed otherwise than its policy: forwarded again, under its policy's key. */
        WRONG_KEY("key", true, "not keyed by its policy; forwarded again under its policy's key"),
        /** Its policy's key on another partition than the forwarder picks for it: forwarded again. */
        WRONG_PARTITION("partition", true, "keyed by its policy but not on its policy's partition; forwarded again"),
        /**
         * Its tenant does not write with {@code /assign} now, or is not configured: handled as a request read
         * from the requests topic is (created, forwarded again, or answered FAILED).
         */
        NOT_ASSIGN_TENANT("strategy", false, "its tenant does not write with /assign now; handled as a request"),
        /** Without the headers every forward carries, so not forwarded by a worker: FAILED, never written. */
        NOT_FORWARDED("unforwarded", true, "it has no forward headers, so no worker forwarded it; answered FAILED");

        private final String reason;
        private final boolean suspicious;
        private final String action;

        Verdict(String reason, boolean suspicious, String action) {
            this.reason = reason;
            this.suspicious = suspicious;
            this.action = action;
        }

        /**
         * Whether only a writer other than a worker explains such a record. A tenant not on {@code /assign} is
         * also what an {@code auto} tenant looks like on an instance that has not yet seen it refuse the create
         * route, or a strategy changed while records were under way.
         */
        boolean suspicious() {
            return suspicious;
        }

        /** What the worker does with such a record, for its log line. */
        String action() {
            return action;
        }

        /** The {@code reason} label of {@code intune_worker_by_policy_misrouted_total}; null for {@code WRITE}. */
        String reason() {
            return reason;
        }
    }

    /**
     * @param verdict   what to do with the record
     * @param policyKey the key the forwarder gives the request's policy; null when the record was not forwarded
     *                  or its tenant does not write with {@code /assign}
     */
    record Decision(Verdict verdict, String policyKey) {
    }

    private final Function<AssignmentRequest, Optional<String>> policyKeys;
    private final PartitionCount partitions;

    /**
     * @param policyKeys the by-policy key of a request whose tenant writes with {@code /assign} now, empty
     *                   otherwise (the forwarder's own rule: {@code AssignmentScheduler#byPolicyKey})
     * @param partitions the by-policy topic's partition count
     */
    ByPolicyCheck(Function<AssignmentRequest, Optional<String>> policyKeys, PartitionCount partitions) {
        this.policyKeys = policyKeys;
        this.partitions = partitions;
    }

    /**
     * @param forwarded whether the record carries the forward headers (where the request was first read)
     * @param key       the record's key, as read
     * @param partition the partition it was read from
     */
    Decision judge(AssignmentRequest request, boolean forwarded, byte[] key, int partition) {
        if (!forwarded) {
            return new Decision(Verdict.NOT_FORWARDED, null);
        }
        Optional<String> policyKey = policyKeys.apply(request);
        if (policyKey.isEmpty()) {
            return new Decision(Verdict.NOT_ASSIGN_TENANT, null);
        }
        byte[] expected = policyKey.get().getBytes(StandardCharsets.UTF_8);
        if (!Arrays.equals(expected, key)) {
            return new Decision(Verdict.WRONG_KEY, policyKey.get());
        }
        // A count that changed since it was read would make a well-routed record look misrouted: look again first.
        if (partition != partitionFor(expected, partitions.current())
                && partition != partitionFor(expected, partitions.reread())) {
            return new Decision(Verdict.WRONG_PARTITION, policyKey.get());
        }
        return new Decision(Verdict.WRITE, policyKey.get());
    }

    /**
     * The partition the forwarder's producer picks for a keyed record it sends without a partition: Kafka's
     * built-in partitioner (murmur2 of the key bytes), which the worker's producer uses ({@code OutcomeWriter}
     * sends forwards with a null partition, and the worker sets no {@code partitioner.class}).
     */
    static int partitionFor(byte[] key, int partitionCount) {
        return Utils.toPositive(Utils.murmur2(key)) % partitionCount;
    }
}
