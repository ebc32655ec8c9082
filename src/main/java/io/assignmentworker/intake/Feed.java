package io.assignmentworker.intake;

import io.assignmentworker.topics.TopicsProperties;

/** The two topics the intake stage reads, each by its own consumer, loop and consumer group. */
enum Feed {
    /** Requests as upstream systems publish them, keyed by requestId. */
    REQUESTS("intake", "", "requests"),
    /**
     * Requests of tenants that write with {@code /assign}, keyed by tenant and policy: each policy's
     * requests reach the one worker that owns its partition, the only one that may write it.
     */
    BY_POLICY("intake-by-policy", "-by-policy", "by_policy");

    private final String threadName;
    private final String groupSuffix;
    private final String metricLabel;

    Feed(String threadName, String groupSuffix, String metricLabel) {
        this.threadName = threadName;
        this.groupSuffix = groupSuffix;
        this.metricLabel = metricLabel;
    }

    /** The value of the {@code feed} label of the intake's meters. */
    String metricLabel() {
        return metricLabel;
    }

    String topic(TopicsProperties topics) {
        return this == REQUESTS ? topics.requests() : topics.byPolicy();
    }

    String threadName() {
        return threadName;
    }

    /** The consumer group of this feed: the configured group id, with a suffix for the by-policy feed. */
    String groupId(String configured) {
        return configured + groupSuffix;
    }
}
