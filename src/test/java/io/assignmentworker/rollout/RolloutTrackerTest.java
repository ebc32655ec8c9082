package io.assignmentworker.rollout;

import static org.assertj.core.api.Assertions.assertThat;

import io.assignmentworker.metrics.WorkerMetrics;
import io.assignmentworker.topics.TopicsProperties;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.Properties;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.TestInputTopic;
import org.apache.kafka.streams.TopologyTestDriver;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.json.JsonMapper;

/** The rollout gauges, driven through the tracker's topology. */
class RolloutTrackerTest {

    @TempDir
    Path stateDir;

    private final SimpleMeterRegistry registry = new SimpleMeterRegistry();
    private final TopicsProperties topics = new TopicsProperties("requests", "results", null, null, null,
            "rollouts", "manifests", "ledger", "rollback-requests", true, 6, (short) -1);

    private double gauge(String name) {
        return registry.get(name).gauge().value();
    }

    private static byte[] result(String rolloutId, String status) {
        return ("{\"rolloutId\":\"" + rolloutId + "\",\"status\":\"" + status + "\"}").getBytes(StandardCharsets.UTF_8);
    }

    @Test
    void gaugesFollowTheFoldedRolloutsWithoutAStoreToScan() {
        RolloutsProperties properties = new RolloutsProperties(true, Duration.ofDays(30), stateDir,
                Duration.ofMillis(500), 10_000);
        RolloutTracker tracker = new RolloutTracker(new Properties(), topics, properties, null,
                new RolloutJson(JsonMapper.builder().build()), Clock.systemUTC(), new WorkerMetrics(registry));
        Properties config = new Properties();
        config.put(StreamsConfig.APPLICATION_ID_CONFIG, "gauges");
        config.put(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, "unused:9092");
        config.put(StreamsConfig.STATE_DIR_CONFIG, stateDir.toString());

        try (TopologyTestDriver driver = new TopologyTestDriver(tracker.topology(), config)) {
            TestInputTopic<byte[], byte[]> results = driver.createInputTopic("results", new ByteArraySerializer(),
                    new ByteArraySerializer());
            TestInputTopic<String, byte[]> manifests = driver.createInputTopic("manifests", new StringSerializer(),
                    new ByteArraySerializer());
            manifests.pipeInput("big", "{\"expectedCount\":100}".getBytes(StandardCharsets.UTF_8));
            for (int i = 0; i < 30; i++) {
                results.pipeInput(null, result("big", "CREATED"));
            }
            manifests.pipeInput("small", "{\"expectedCount\":1}".getBytes(StandardCharsets.UTF_8));
            results.pipeInput(null, result("small", "FAILED"));
            results.pipeInput(null, result("no-manifest", "CREATED"));

            assertThat(gauge(WorkerMetrics.ROLLOUTS_ACTIVE)).isEqualTo(2);
            assertThat(gauge(WorkerMetrics.ROLLOUTS_PENDING)).isEqualTo(70);
            assertThat(gauge(WorkerMetrics.ROLLOUTS_TRACKED)).isEqualTo(3);
        }
        assertThat(gauge(WorkerMetrics.ROLLOUTS_TRACKED)).as("nothing held once the tasks closed").isZero();
    }
}
