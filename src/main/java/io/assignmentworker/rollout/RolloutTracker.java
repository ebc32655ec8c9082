package io.assignmentworker.rollout;

import io.assignmentworker.metrics.WorkerMetrics;
import io.assignmentworker.topics.MissingTopics;
import io.assignmentworker.topics.TopicsProperties;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.StreamsBuilder;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.Topology;
import org.apache.kafka.streams.errors.StreamsUncaughtExceptionHandler;
import org.apache.kafka.streams.kstream.Consumed;
import org.apache.kafka.streams.kstream.KStream;
import org.apache.kafka.streams.kstream.Produced;
import org.apache.kafka.streams.kstream.Repartitioned;
import org.apache.kafka.streams.state.Stores;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.health.contributor.Health;
import org.springframework.context.SmartLifecycle;

/**
 * Front door of rollout tracking: a Kafka Streams application (one per worker group) that reads the results
 * and the rollout manifests, re-keys them by rolloutId, folds each rollout's events into its status
 * ({@link RolloutAggregator}, exactly once) and publishes every new status to the compacted rollouts topic.
 * Each rollout lives in one partition, so several instances share the work; its state is restored from the
 * changelog after a restart or a rebalance.
 */
public final class RolloutTracker implements SmartLifecycle {

    private static final Logger log = LoggerFactory.getLogger(RolloutTracker.class);

    private final Properties config;
    private final TopicsProperties topics;
    private final RolloutsProperties properties;
    private final MissingTopics missingTopics;
    private final RolloutJson json;
    private final Clock clock;
    private final WorkerMetrics metrics;
    private final TrackingLimit limit;
    private volatile KafkaStreams streams;
    private volatile boolean running;
    private Thread starter;

    /** @param config Kafka Streams settings: bootstrap servers, security, application id, guarantee */
    public RolloutTracker(Properties config, TopicsProperties topics, RolloutsProperties properties,
                          MissingTopics missingTopics, RolloutJson json, Clock clock, WorkerMetrics metrics) {
        this.config = config;
        this.topics = topics;
        this.properties = properties;
        this.missingTopics = missingTopics;
        this.json = json;
        this.clock = clock;
        this.metrics = metrics;
        // Counted as the tasks fold their events: a scrape costs a sum over this instance's tasks, not a scan.
        RolloutCounts counts = new RolloutCounts();
        this.limit = new TrackingLimit(properties.maxTracked(), counts, metrics);
        metrics.rolloutsActive(counts::active);
        metrics.rolloutsPendingRequests(counts::pending);
        metrics.rolloutsTracked(counts::tracked);
    }

    Topology topology() {
        StreamsBuilder builder = new StreamsBuilder();
        // Cached: a rollout's many updates between two commits reach the changelog as one.
        builder.addStateStore(Stores.keyValueStoreBuilder(Stores.inMemoryKeyValueStore(RolloutAggregator.STORE),
                Serdes.String(), json.statusSerde()).withCachingEnabled());
        KStream<String, RolloutEvent> outcomes = builder
                .stream(topics.results(), Consumed.with(Serdes.ByteArray(), Serdes.ByteArray()))
                .flatMap((key, value) -> json.fromResult(value)
                        .map(e -> List.of(KeyValue.pair(e.getKey(), e.getValue())))
                        .orElse(List.of()));
        KStream<String, RolloutEvent> manifests = builder
                .stream(topics.rolloutManifests(), Consumed.with(Serdes.String(), Serdes.ByteArray()))
                .flatMap((key, value) -> json.fromManifest(key, value)
                        .map(e -> List.of(KeyValue.pair(e.getKey(), e.getValue())))
                        .orElse(List.of()));
        outcomes.merge(manifests)
                .repartition(Repartitioned.with(Serdes.String(), json.eventSerde()).withName("rollout-events"))
                .process(() -> new RolloutAggregator(clock, properties.retention(), properties.emitInterval(),
                        limit, status -> metrics.rolloutCompleted()), RolloutAggregator.STORE)
                .to(topics.rollouts(), Produced.with(Serdes.String(), json.statusSerde()));
        return builder.build();
    }

    @Override
    public synchronized void start() {
        if (running || !properties.enabled()) {
            return;
        }
        running = true;
        // The source topics must exist before Kafka Streams starts; the worker may have to create them first.
        starter = new Thread(this::startWhenTopicsExist, "rollouts-start");
        starter.setDaemon(true);
        starter.start();
    }

    /** Whether or not the worker may create topics, and whether or not its other topics exist. */
    private void startWhenTopicsExist() {
        var exist = missingTopics.whenExist(rolloutTopics());
        while (running && !exist.isDone()) {
            sleep(Duration.ofMillis(200));
        }
        synchronized (this) {
            if (!running) {
                return;
            }
            KafkaStreams created = new KafkaStreams(topology(), config);
            created.setUncaughtExceptionHandler(failure -> {
                log.error("Rollout tracking failed; its stream thread is replaced", failure);
                return StreamsUncaughtExceptionHandler.StreamThreadExceptionResponse.REPLACE_THREAD;
            });
            created.start();
            streams = created;
            log.info("Rollout tracking started: {} + {} → {}", topics.results(), topics.rolloutManifests(),
                    topics.rollouts());
        }
    }

    /** The topics Kafka Streams reads and writes (it creates its internal ones itself). */
    private List<String> rolloutTopics() {
        return List.of(topics.results(), topics.rolloutManifests(), topics.rollouts());
    }

    @Override
    public void stop() {
        KafkaStreams current;
        synchronized (this) {
            running = false;
            current = streams;
            streams = null;
        }
        if (current != null) {
            current.close(Duration.ofSeconds(15));
        }
    }

    @Override
    public boolean isRunning() {
        return running;
    }

    /** Stops after the intake (which publishes the results it reads) and before the Kafka clients go. */
    @Override
    public int getPhase() {
        return SmartLifecycle.DEFAULT_PHASE - 200;
    }

    /** Health: UP while Kafka Streams runs or rebalances; DOWN when it has failed or stopped. */
    public Health health() {
        if (!properties.enabled()) {
            return Health.up().withDetail("enabled", false).build();
        }
        KafkaStreams current = streams;
        if (current == null) {
            return Health.unknown().withDetail("state", "waiting for the topics " + rolloutTopics())
                    .withDetail("topics", String.valueOf(missingTopics.state())).build();
        }
        KafkaStreams.State state = current.state();
        Health.Builder health = state.isRunningOrRebalancing() || state == KafkaStreams.State.CREATED
                ? Health.up() : Health.down();
        return health.withDetail("state", state.name()).build();
    }

    /** The Kafka Streams settings of the worker group's rollout application. */
    public static Properties streamsConfig(Map<String, Object> kafka, String groupId, boolean exactlyOnce,
                                           short replicationFactor, RolloutsProperties properties) {
        Properties config = new Properties();
        config.putAll(kafka);
        config.put(StreamsConfig.APPLICATION_ID_CONFIG, groupId + "-rollouts");
        config.put(StreamsConfig.PROCESSING_GUARANTEE_CONFIG,
                exactlyOnce ? StreamsConfig.EXACTLY_ONCE_V2 : StreamsConfig.AT_LEAST_ONCE);
        config.put(StreamsConfig.REPLICATION_FACTOR_CONFIG, (int) replicationFactor);
        config.put(StreamsConfig.STATE_DIR_CONFIG, properties.stateDir().toString());
        config.put(StreamsConfig.NUM_STREAM_THREADS_CONFIG, 1);
        config.put(StreamsConfig.consumerPrefix("auto.offset.reset"), "earliest");
        return config;
    }

    private static void sleep(Duration duration) {
        try {
            Thread.sleep(duration.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
