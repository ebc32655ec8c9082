package io.assignmentworker.topics;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;
import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.Status;

class MissingTopicsTest {

    private static final TopicsProperties TOPICS = properties(true);
    private static final List<String> ROLLOUT_TOPICS = List.of(TOPICS.results(), TOPICS.rolloutManifests(),
            TOPICS.rollouts());

    private final RefusingAdmin admin = new RefusingAdmin();
    private MissingTopics missing;

    @AfterEach
    void stop() {
        if (missing != null) {
            missing.stop();
        }
    }

    @Test
    void isReadyWhenAllTopicsExistEvenThoughCreatingTopicsIsForbidden() throws Exception {
        admin.withTopics(TOPICS.all()).refuseCreate = true;

        start(TOPICS);

        await().atMost(Duration.ofSeconds(5)).until(() -> missing.state() instanceof TopicsState.Ready);
        assertThat(missing.whenExist(ROLLOUT_TOPICS).get(1, TimeUnit.SECONDS)).isNull();
        assertThat(admin.createRequested).isEmpty();
        assertThat(health().getStatus()).isEqualTo(Status.UP);
    }

    @Test
    void createsOnlyTheMissingTopicsWithTheWorkersSettings() {
        admin.withTopics(List.of(TOPICS.requests(), TOPICS.results()));

        start(TOPICS);

        await().atMost(Duration.ofSeconds(5)).until(() -> missing.state() instanceof TopicsState.Ready);
        assertThat(admin.createRequested).containsExactlyInAnyOrder(TOPICS.deadLetter(), TOPICS.byPolicy(),
                TOPICS.strategies(), TOPICS.rollouts(), TOPICS.rolloutManifests(), TOPICS.ledger(),
                TOPICS.rollbackRequests());
    }

    @Test
    void namesTheTopicsItMayNotCreateAndStillLetsRolloutTrackingStartWhenItsOwnExist() throws Exception {
        admin.withTopics(ROLLOUT_TOPICS).withTopics(List.of(TOPICS.requests(), TOPICS.strategies(),
                TOPICS.byPolicy(), TOPICS.ledger(), TOPICS.rollbackRequests())).refuseCreate = true;

        start(TOPICS);

        await().atMost(Duration.ofSeconds(5)).until(() -> missing.state() instanceof TopicsState.Failed);
        TopicsState.Failed failed = (TopicsState.Failed) missing.state();
        assertThat(failed.missing()).containsOnlyKeys(TOPICS.deadLetter());
        assertThat(failed.missing().get(TOPICS.deadLetter())).startsWith("TopicAuthorizationException");
        assertThat(failed.reason()).contains("may not create topics");
        assertThat(missing.whenExist(ROLLOUT_TOPICS).get(1, TimeUnit.SECONDS)).isNull();
        assertThat(health().getStatus()).isEqualTo(Status.DOWN);
        assertThat(health().getDetails()).containsKey("missing");
    }

    @Test
    void saysOnceThatATopicCannotBeCreatedThenRetriesQuietly() {
        ch.qos.logback.classic.Logger logger = (ch.qos.logback.classic.Logger) LoggerFactory
                .getLogger(MissingTopics.class);
        ch.qos.logback.core.read.ListAppender<ch.qos.logback.classic.spi.ILoggingEvent> logged =
                new ch.qos.logback.core.read.ListAppender<>();
        logged.start();
        logger.addAppender(logged);
        try {
            admin.withTopics(TOPICS.all().subList(1, TOPICS.all().size())).refuseCreate = true;
            start(TOPICS);

            await().atMost(Duration.ofSeconds(5)).until(() -> admin.createRequested.size() >= 4);

            assertThat(logged.list).filteredOn(event -> event.getLevel() == ch.qos.logback.classic.Level.WARN)
                    .singleElement().extracting(ch.qos.logback.classic.spi.ILoggingEvent::getFormattedMessage)
                    .asString().contains(TOPICS.requests()).contains("may not create topics");
        } finally {
            logger.detachAppender(logged);
        }
    }

    @Test
    void becomesReadyWhenSomeoneElseCreatesTheMissingTopicLater() {
        admin.withTopics(TOPICS.all().subList(1, TOPICS.all().size())).refuseCreate = true;
        start(TOPICS);
        await().atMost(Duration.ofSeconds(5)).until(() -> missing.state() instanceof TopicsState.Failed);

        admin.withTopics(List.of(TOPICS.requests()));

        await().atMost(Duration.ofSeconds(5)).until(() -> missing.state() instanceof TopicsState.Ready);
    }

    @Test
    void createsNothingWhenCreatingIsSwitchedOff() {
        admin.withTopics(List.of(TOPICS.requests()));

        start(properties(false));

        await().atMost(Duration.ofSeconds(5)).until(() -> missing.state() instanceof TopicsState.Failed);
        assertThat(((TopicsState.Failed) missing.state()).reason()).contains("create-missing is false");
        assertThat(admin.createRequested).isEmpty();
    }

    @Test
    void aSilentBrokerHoldsUpNobodyButTheTopicsThread() {
        admin.withTopics(TOPICS.all()).hang = true;

        long started = System.nanoTime();
        start(TOPICS);
        missing.awaitFirstCheck(Duration.ofMillis(300));

        assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(Duration.ofSeconds(2));
        assertThat(missing.state()).isInstanceOf(TopicsState.Pending.class);
        assertThat(missing.whenExist(ROLLOUT_TOPICS)).isNotDone();
        await().atMost(Duration.ofSeconds(2)).until(() -> !admin.callingThreads.isEmpty());
        assertThat(admin.callingThreads).containsOnly("topics");
    }

    private void start(TopicsProperties topics) {
        missing = new MissingTopics(topics, () -> admin, Clock.systemUTC(), Duration.ofMillis(50),
                Duration.ofMillis(200));
        missing.start();
    }

    private Health health() {
        return new TopicsHealthIndicator(missing).health();
    }

    private static TopicsProperties properties(boolean createMissing) {
        return new TopicsProperties("t.requests", "t.results", null, null, null, "t.rollouts", "t.manifests", "t.ledger", "t.rollbacks",
                createMissing, 3, (short) 1);
    }
}
