package io.assignmentworker.rollout;

import io.assignmentworker.topics.TopicsProperties;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.function.Function;
import java.util.function.Supplier;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.WakeupException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.SmartLifecycle;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

/**
 * Rollbacks asked for by a message, for pipelines without the command-line tool: a record on the rollback-requests
 * topic ({@code schemas/rollback-request.schema.json}) undoes a rollout exactly as {@code iaw rollback} does. Its
 * {@link RollbackPlan}, read from the ownership ledger, is published as a rollout of its own — manifest and
 * requests — in one Kafka transaction with the request's offset: each rollback request is acted on exactly once,
 * and the rollback's status and summary come like any rollout's. One instance of the group handles a request (a
 * consumer group of its own); a request for a rollout the ledger does not know gets a manifest of 0 requests, so
 * its status says so at once.
 */
public final class RollbackRequests implements SmartLifecycle {

    private static final Logger log = LoggerFactory.getLogger(RollbackRequests.class);
    private static final DateTimeFormatter STAMP = DateTimeFormatter.ofPattern("yyyyMMdd'T'HHmmss.SSS'Z'")
            .withZone(ZoneOffset.UTC);
    private static final Duration POLL = Duration.ofMillis(500);
    private static final Duration AFTER_FAILURE = Duration.ofSeconds(5);
    /**
     * Older requests are not acted on: a new consumer group (a renamed one) reads the topic from its start, and
     * replaying last month's rollbacks is not what anyone asked for today.
     */
    static final Duration MAX_AGE = Duration.ofHours(24);

    private final Supplier<Consumer<byte[], byte[]>> consumers;
    private final Supplier<Producer<byte[], byte[]>> producers;
    private final LedgerReader ledger;
    private final TopicsProperties topics;
    private final Function<List<String>, CompletableFuture<Void>> whenExist;
    private final JsonMapper mapper;
    private final Clock clock;
    private final boolean transactional;
    private volatile boolean running;
    private volatile Consumer<byte[], byte[]> consumer;
    private Thread thread;

    /**
     * @param consumers a consumer of the rollback-requests topic in the group's own rollbacks group, committing
     *                  nothing itself
     * @param producers a transactional producer
     * @param whenExist completes once the named topics exist ({@code MissingTopics#whenExist})
     */
    public RollbackRequests(Supplier<Consumer<byte[], byte[]>> consumers,
                            Supplier<Producer<byte[], byte[]>> producers, LedgerReader ledger,
                            TopicsProperties topics, Function<List<String>, CompletableFuture<Void>> whenExist,
                            JsonMapper mapper, Clock clock, boolean transactional) {
        this.transactional = transactional;
        this.consumers = consumers;
        this.producers = producers;
        this.ledger = ledger;
        this.topics = topics;
        this.whenExist = whenExist;
        this.mapper = mapper;
        this.clock = clock;
    }

    @Override
    public synchronized void start() {
        running = true;
        thread = new Thread(this::run, "rollbacks");
        thread.setDaemon(true);
        thread.start();
    }

    @Override
    public void stop() {
        running = false;
        Consumer<byte[], byte[]> current = consumer;
        if (current != null) {
            current.wakeup();
        }
        Thread started = thread;
        if (started != null) {
            try {
                started.join(10_000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    @Override
    public boolean isRunning() {
        return running;
    }

    /** After the topics exist (they are waited for on the thread), like rollout tracking. */
    @Override
    public int getPhase() {
        return SmartLifecycle.DEFAULT_PHASE - 100;
    }

    private void run() {
        if (!transactional) {
            log.info("Rollback requests on {} are not read: acting on each exactly once needs Kafka transactions "
                    + "(WORKER_OUTCOME_EXACTLY_ONCE=false); iaw rollback works all the same", topics.rollbackRequests());
            return;
        }
        try {
            whenExist.apply(List.of(topics.rollbackRequests(), topics.ledger(), topics.requests(),
                    topics.rolloutManifests())).join();
        } catch (RuntimeException stopped) {
            return;
        }
        while (running) {
            try (Consumer<byte[], byte[]> reader = consumers.get(); Producer<byte[], byte[]> writer = producers.get()) {
                consumer = reader;
                writer.initTransactions();
                reader.subscribe(List.of(topics.rollbackRequests()));
                while (running) {
                    for (ConsumerRecord<byte[], byte[]> record : reader.poll(POLL)) {
                        handle(record, reader, writer);
                    }
                }
            } catch (WakeupException stopping) {
                return;
            } catch (RuntimeException e) {
                if (!running) {
                    return;
                }
                log.warn("Rollback requests: {}; starting again in {} (what was not committed is read again)",
                        e.toString(), AFTER_FAILURE);
                sleep();
            }
        }
    }

    /** One request: its rollback published (or why not logged) and its offset committed, in one transaction. */
    private void handle(ConsumerRecord<byte[], byte[]> record, Consumer<byte[], byte[]> reader,
                        Producer<byte[], byte[]> writer) {
        Map<TopicPartition, OffsetAndMetadata> offset = Map.of(new TopicPartition(record.topic(), record.partition()),
                new OffsetAndMetadata(record.offset() + 1));
        List<ProducerRecord<byte[], byte[]>> out = new ArrayList<>();
        String problem = plan(record, out);
        if (problem != null) {
            log.warn("Rollback request {}-{}@{} ignored: {}", record.topic(), record.partition(), record.offset(),
                    problem);
        }
        writer.beginTransaction();
        try {
            out.forEach(writer::send);
            writer.sendOffsetsToTransaction(offset, reader.groupMetadata());
            writer.commitTransaction();
        } catch (RuntimeException e) {
            try {
                writer.abortTransaction();
            } catch (RuntimeException ignored) {
                // fenced or closed: the clients are made again
            }
            throw e;
        }
    }

    /** Fills {@code out} with the rollback's manifest and requests; returns why there is none, else null. */
    private String plan(ConsumerRecord<byte[], byte[]> record, List<ProducerRecord<byte[], byte[]>> out) {
        Instant published = Instant.ofEpochMilli(record.timestamp());
        if (published.plus(MAX_AGE).isBefore(clock.instant())) {
            return "published at " + published + ", more than " + MAX_AGE.toHours() + " h ago (a new consumer group "
                    + "reads the topic from its start); publish it again to act on it";
        }
        JsonNode json;
        try {
            json = record.value() == null ? null : mapper.readTree(record.value());
        } catch (RuntimeException unreadable) {
            return "not JSON";
        }
        if (json == null || !json.isObject()) {
            return "not a JSON object";
        }
        String rolloutId = json.path("rolloutId").asString(null);
        if (!RolloutLimits.isRolloutId(rolloutId)) {
            return "rolloutId: must be 1-200 printable characters";
        }
        String prefix = RollbackPlan.rollbackPrefix(rolloutId);
        String rollbackId = json.path("rollbackId").asString(null);
        if (rollbackId == null) {
            // The record's time, and where it sits: two requests in the same millisecond get rollbacks of their own.
            rollbackId = prefix + STAMP.format(Instant.ofEpochMilli(record.timestamp())) + "-" + record.partition()
                    + "-" + record.offset();
        }
        if (!RolloutLimits.isRolloutId(rollbackId) || rollbackId.length() > 190
                || !RollbackPlan.isRollbackOf(rollbackId, rolloutId)) {
            return "rollbackId: must be 1-190 printable characters (room for /<number> in its requestIds) starting "
                    + "with " + prefix;
        }
        RollbackPlan plan = RollbackPlan.of(rolloutId, rollbackId, ledger.readAll());
        String description = "rollback of " + rolloutId + " (asked on " + topics.rollbackRequests() + ")"
                + (plan.knowsTheRollout() ? "" : ": the ledger has no change by that rollout")
                + (plan.conflicts().isEmpty() ? "" : ", " + plan.conflicts().size() + " changed since, left alone")
                + (plan.alreadyUndone().isEmpty() ? "" : ", " + plan.alreadyUndone().size() + " already undone")
                + (plan.problems().isEmpty() ? "" : ", " + plan.problems().size() + " that could not be undone");
        out.add(new ProducerRecord<>(topics.rolloutManifests(), bytes(rollbackId), manifest(rollbackId,
                plan.changes().size(), description)));
        for (RollbackPlan.Undo undo : plan.requests()) {
            out.add(new ProducerRecord<>(topics.requests(), bytes(undo.request().requestId()), undo.json()));
        }
        log.info("Rollback {} of rollout {}: {} changes to undo, {} left alone (changed since), {} already undone, "
                        + "{} not undone ({}); published as a rollout", rollbackId, rolloutId, plan.changes().size(),
                plan.conflicts().size(), plan.alreadyUndone().size(), plan.problems().size(),
                plan.problems().stream().limit(3).toList());
        return null;
    }

    private byte[] manifest(String rolloutId, int expectedCount, String description) {
        ObjectNode json = mapper.createObjectNode();
        json.put("rolloutId", rolloutId);
        json.put("expectedCount", expectedCount);
        json.put("submittedAt", clock.instant().toString());
        json.put("description", RolloutLimits.description(description));
        return mapper.writeValueAsBytes(json);
    }

    private static byte[] bytes(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }

    private void sleep() {
        try {
            Thread.sleep(AFTER_FAILURE.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            running = false;
        }
    }

    /** Every entry of the ownership ledger as it is now, in offset order within each key. */
    public interface LedgerReader {
        List<Map.Entry<String, JsonNode>> readAll();
    }
}
