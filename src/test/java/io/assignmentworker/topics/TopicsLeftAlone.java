package io.assignmentworker.topics;

import java.time.Clock;
import java.time.Duration;

/**
 * For tests of the intake without a broker: a {@link MissingTopics} whose first check is over at once (it finds
 * no topic and creates none), so the intake never waits for it.
 */
public final class TopicsLeftAlone {

    private TopicsLeftAlone() {
    }

    public static MissingTopics of(TopicsProperties topics) {
        if (topics.createMissing()) {
            throw new IllegalArgumentException("worker.topics.create-missing must be false here");
        }
        RefusingAdmin admin = new RefusingAdmin();
        MissingTopics missing = new MissingTopics(topics, () -> admin, Clock.systemUTC(), Duration.ofHours(1),
                Duration.ofHours(1));
        missing.start();
        return missing;
    }
}
