package io.assignmentworker.topics;

import java.util.Map;

/** For tests of the intake without a broker: a {@link MissingTopics} that never creates (nor reaches) anything. */
public final class TopicsLeftAlone {

    private TopicsLeftAlone() {
    }

    public static MissingTopics of(TopicsProperties topics) {
        if (topics.createMissing()) {
            throw new IllegalArgumentException("worker.topics.create-missing must be false here");
        }
        return new MissingTopics(topics, Map.of());
    }
}
