package io.assignmentworker.topics;

import io.assignmentworker.graph.AnnouncedStrategies;
import io.assignmentworker.graph.Strategy;
import io.assignmentworker.graph.StrategyAnnouncement;
import io.assignmentworker.graph.StrategyAnnouncer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.SmartLifecycle;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

/**
 * The compacted strategies topic ({@code worker.topics.strategies}): key = tenant id in lower case, value =
 * {@code {"strategy":"assign","reason":…,"at":…,"instance":…}}. Every instance reads it from the beginning with
 * its own consumer (no group: it assigns itself every partition) on a daemon thread, folds each record into
 * {@link AnnouncedStrategies}, and marks the view caught up whenever it has read to the end offsets it asked
 * for; it also publishes this instance's announcements.
 */
public final class StrategyTopic implements StrategyAnnouncer, SmartLifecycle {

    private static final Logger log = LoggerFactory.getLogger(StrategyTopic.class);
    private static final Duration POLL = Duration.ofMillis(200);
    private static final Duration RETRY = Duration.ofSeconds(1);
    private static final Duration SEND_TIMEOUT = Duration.ofSeconds(15);

    private final String topic;
    private final Map<String, Object> consumerConfig;
    private final Map<String, Object> producerConfig;
    private final AnnouncedStrategies announced;
    private final JsonMapper json;
    private volatile boolean running;
    private volatile KafkaConsumer<byte[], byte[]> consumer;
    private KafkaProducer<String, String> producer;
    private Thread thread;

    StrategyTopic(String topic, Map<String, Object> consumerConfig, Map<String, Object> producerConfig,
                  AnnouncedStrategies announced, JsonMapper json) {
        this.topic = topic;
        this.announced = announced;
        this.json = json;
        this.consumerConfig = new HashMap<>(consumerConfig);
        this.consumerConfig.remove(ConsumerConfig.GROUP_ID_CONFIG);
        this.consumerConfig.remove(ConsumerConfig.GROUP_INSTANCE_ID_CONFIG);
        this.consumerConfig.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        this.consumerConfig.put(ConsumerConfig.CLIENT_ID_CONFIG, "strategies-" + ProcessHandle.current().pid());
        this.producerConfig = new HashMap<>(producerConfig);
        this.producerConfig.remove(ProducerConfig.TRANSACTIONAL_ID_CONFIG);
        this.producerConfig.put(ProducerConfig.ACKS_CONFIG, "all");
        this.producerConfig.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
    }

    @Override
    public synchronized void start() {
        if (running) {
            return;
        }
        running = true;
        thread = new Thread(this::run, "strategies");
        thread.setDaemon(true);
        thread.start();
    }

    @Override
    public void stop() {
        running = false;
        KafkaConsumer<byte[], byte[]> current = consumer;
        if (current != null) {
            current.wakeup();
        }
        synchronized (this) {
            if (producer != null) {
                producer.close(Duration.ofSeconds(5));
                producer = null;
            }
        }
    }

    @Override
    public boolean isRunning() {
        return running;
    }

    /** Starts before the intake (which waits for the topic to be read) and stops after it. */
    @Override
    public int getPhase() {
        return SmartLifecycle.DEFAULT_PHASE - 200;
    }

    @Override
    public void announce(String tenantKey, StrategyAnnouncement announcement) {
        ObjectNode value = json.createObjectNode();
        value.put("strategy", announcement.strategy().name().toLowerCase(Locale.ROOT));
        value.put("reason", announcement.reason());
        value.put("at", announcement.at().toString());
        value.put("instance", announcement.instance());
        String key = tenantKey.toLowerCase(Locale.ROOT);
        try {
            producer().send(new ProducerRecord<>(topic, key, json.writeValueAsString(value)))
                    .get(SEND_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
            log.info("Announced to the group on {}: tenant {} is written with {} ({})", topic, key,
                    value.path("strategy").asString(), announcement.reason());
        } catch (Exception e) {
            if (e instanceof InterruptedException) {
                Thread.currentThread().interrupt();
            }
            // Not fatal: this instance already acts on it, and its creates wait until the group has decided.
            log.warn("Could not announce tenant {}'s strategy on {}: {}", key, topic, e.toString());
        }
    }

    private synchronized KafkaProducer<String, String> producer() {
        if (producer == null) {
            producer = new KafkaProducer<>(producerConfig, new StringSerializer(), new StringSerializer());
        }
        return producer;
    }

    private void run() {
        while (running) {
            try (KafkaConsumer<byte[], byte[]> reader = new KafkaConsumer<>(consumerConfig,
                    new ByteArrayDeserializer(), new ByteArrayDeserializer())) {
                consumer = reader;
                read(reader);
            } catch (WakeupException stopping) {
                return;
            } catch (RuntimeException e) {
                log.warn("Reading {} failed; trying again in {}: {}", topic, RETRY, e.toString());
                sleep(RETRY);
            } finally {
                consumer = null;
            }
        }
    }

    private void read(KafkaConsumer<byte[], byte[]> reader) {
        List<TopicPartition> partitions = partitions(reader);
        if (partitions.isEmpty()) {
            return;
        }
        reader.assign(partitions);
        reader.seekToBeginning(partitions);
        long askedAt = System.nanoTime();
        Map<TopicPartition, Long> end = reader.endOffsets(partitions);
        while (running) {
            for (ConsumerRecord<byte[], byte[]> record : reader.poll(POLL)) {
                fold(record);
            }
            if (partitions.stream().allMatch(p -> reader.position(p) >= end.get(p))) {
                announced.caughtUp(askedAt);
                askedAt = System.nanoTime();
                end.putAll(reader.endOffsets(partitions));
            }
        }
    }

    private List<TopicPartition> partitions(KafkaConsumer<byte[], byte[]> reader) {
        List<PartitionInfo> infos = reader.partitionsFor(topic);
        if (infos == null || infos.isEmpty()) {
            log.info("Waiting for topic {} to exist", topic);
            sleep(RETRY);
            return List.of();
        }
        return infos.stream().map(info -> new TopicPartition(topic, info.partition())).toList();
    }

    private void fold(ConsumerRecord<byte[], byte[]> record) {
        if (record.key() == null) {
            return;
        }
        String tenant = new String(record.key(), StandardCharsets.UTF_8);
        Instant writtenAt = Instant.ofEpochMilli(record.timestamp());
        if (record.value() == null) {
            announced.fold(tenant, null, writtenAt);
            log.info("Tenant {}: the group's strategy was withdrawn (tombstone on {})", tenant, topic);
            return;
        }
        try {
            JsonNode value = json.readTree(new String(record.value(), StandardCharsets.UTF_8));
            Strategy strategy = Strategy.valueOf(value.path("strategy").asString("").toUpperCase(Locale.ROOT));
            Instant at = value.hasNonNull("at") ? Instant.parse(value.path("at").asString()) : writtenAt;
            var before = announced.strategyOf(tenant);
            announced.fold(tenant, new StrategyAnnouncement(strategy, value.path("reason").asString(null), at,
                    value.path("instance").asString("?")), writtenAt);
            var after = announced.strategyOf(tenant);
            if (!after.equals(before)) {
                log.info("Tenant {} is written with {} by the whole group (announced by {} at {}: {}){}", tenant,
                        value.path("strategy").asString(), value.path("instance").asString("?"), at,
                        value.path("reason").asString(""), announced.assignHeldFor(tenant).isZero() ? ""
                                : "; /assign writes wait " + announced.assignHeldFor(tenant).toMillis()
                                + " ms for creates sent before the switch");
            }
        } catch (RuntimeException e) {
            log.warn("Ignoring unreadable record {}-{}@{} on {}: {}", record.topic(), record.partition(),
                    record.offset(), topic, e.toString());
        }
    }

    private static void sleep(Duration duration) {
        try {
            Thread.sleep(duration.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
