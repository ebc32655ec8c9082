package io.assignmentworker.process;

import java.util.UUID;

/**
 * The topics and consumer group of one scenario. Each scenario gets its own, so that one broker can serve
 * several scenarios without their records, offsets or dead group members meeting.
 */
record TopicNames(String requests, String results, String group) {

    /** What the worker uses when nothing is configured: what a new user's first run looks like. */
    static TopicNames defaults() {
        return new TopicNames("intune.assignment.requests", "intune.assignment.results", "intune-assignment-worker");
    }

    /** The worker's default names with a unique suffix. */
    static TopicNames unique(String scenario) {
        String suffix = scenario + "-" + UUID.randomUUID().toString().substring(0, 8);
        return new TopicNames("intune.assignment.requests." + suffix, "intune.assignment.results." + suffix,
                "intune-assignment-worker-" + suffix);
    }

    /** The internal topic through which the worker routes requests of {@code /assign} tenants to a policy's owner. */
    String byPolicy() {
        return requests + ".by-policy";
    }

    /** The consumer group that reads {@link #byPolicy()}: the worker's group with a suffix. */
    String byPolicyGroup() {
        return group + "-by-policy";
    }

    /** The dead-letter topic the worker derives from the request topic. */
    String deadLetters() {
        return requests + ".DLT";
    }
}
