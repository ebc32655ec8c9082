package io.assignmentworker.benchmark;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicBoolean;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Reads a result topic from the beginning as a result consumer would ({@code read_committed}), and keeps per
 * requestId how many outcomes it saw, their status and their {@code receivedAt → completedAt} latency, plus the
 * wall-clock time at which each became visible here.
 */
final class ResultWatch implements AutoCloseable {

    private static final JsonMapper JSON = JsonMapper.builder().build();

    private final Map<String, Integer> outcomes = new HashMap<>();
    private final Map<String, Seen> first = new HashMap<>();
    private final Map<String, Integer> statuses = new HashMap<>();
    private final AtomicBoolean running = new AtomicBoolean(true);
    private final Thread thread;

    ResultWatch(String bootstrap, String topic) {
        thread = new Thread(() -> run(bootstrap, topic), "result-watch-" + topic);
        thread.setDaemon(true);
        thread.start();
    }

    private void run(String bootstrap, String topic) {
        try (KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(Map.of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap,
                ConsumerConfig.GROUP_ID_CONFIG, "bench-watch-" + UUID.randomUUID(),
                ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed",
                ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest",
                ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false),
                new ByteArrayDeserializer(), new ByteArrayDeserializer())) {
            consumer.subscribe(List.of(topic));
            while (running.get()) {
                for (ConsumerRecord<byte[], byte[]> record : consumer.poll(Duration.ofMillis(50))) {
                    accept(JSON.readTree(new String(record.value(), StandardCharsets.UTF_8)), Instant.now());
                }
            }
        }
    }

    /**
     * The first outcome of a request: when the worker read it, finished it, and when it became visible here, and
     * the partition of the requests topic it came from.
     */
    record Seen(Instant received, Instant completed, Instant visible, int partition) {
    }

    /** What a set of requests took. */
    record Phase(int answered, Instant firstReceived, Instant lastVisible, List<Long> latenciesMillis) {
        double seconds() {
            return Duration.between(firstReceived, lastVisible).toNanos() / 1e9;
        }
    }

    private synchronized void accept(JsonNode result, Instant visible) {
        String requestId = result.path("requestId").asString("?");
        outcomes.merge(requestId, 1, Integer::sum);
        statuses.merge(result.path("status").asString("?") + (result.hasNonNull("error")
                ? " " + result.path("error").path("category").asString("") : ""), 1, Integer::sum);
        Instant received = Instant.parse(result.path("receivedAt").asString());
        Instant completed = Instant.parse(result.path("completedAt").asString());
        first.putIfAbsent(requestId, new Seen(received, completed, visible,
                result.path("source").path("partition").asInt(-1)));
    }

    /** Waits until every request of the plan has an outcome; false on timeout. */
    synchronized boolean awaitAll(List<Load.Request> plan, Duration atMost) throws InterruptedException {
        long deadline = System.nanoTime() + atMost.toNanos();
        while (missing(plan) > 0) {
            long left = deadline - System.nanoTime();
            if (left <= 0) {
                return false;
            }
            wait(Math.max(1, Math.min(100, left / 1_000_000)));
        }
        return true;
    }

    synchronized int distinct() {
        return outcomes.size();
    }

    /** Outcomes beyond the first per request. */
    synchronized int duplicateOutcomes() {
        return outcomes.values().stream().mapToInt(n -> n - 1).sum();
    }

    /** The planned requests that have an outcome. */
    synchronized List<Load.Request> answered(List<Load.Request> plan) {
        return plan.stream().filter(r -> outcomes.containsKey(r.requestId())).toList();
    }

    /** Planned requests without an outcome. */
    synchronized int missing(List<Load.Request> plan) {
        return (int) plan.stream().filter(r -> !outcomes.containsKey(r.requestId())).count();
    }

    synchronized Map<String, Integer> statuses() {
        return Map.copyOf(statuses);
    }

    /** The first outcome of each of these requests that has one. */
    synchronized List<Seen> seen(List<Load.Request> plan) {
        return plan.stream().map(r -> first.get(r.requestId())).filter(Objects::nonNull).toList();
    }

    /**
     * Where the time went, per {@code bucket} from the first of these requests read: how many the worker read
     * (from the requests topic) and how many it finished, in each. A rollout that reads slowly shows it here.
     */
    synchronized String timeline(List<Load.Request> plan, Duration bucket) {
        List<Seen> seen = plan.stream().map(r -> first.get(r.requestId())).filter(Objects::nonNull).toList();
        Instant origin = seen.stream().map(Seen::received).min(Instant::compareTo).orElse(null);
        if (origin == null) {
            return "(nothing answered)";
        }
        Map<Long, int[]> buckets = new TreeMap<>();
        for (Seen s : seen) {
            buckets.computeIfAbsent(Duration.between(origin, s.received()).toMillis() / bucket.toMillis(),
                    b -> new int[2])[0]++;
            buckets.computeIfAbsent(Duration.between(origin, s.completed()).toMillis() / bucket.toMillis(),
                    b -> new int[2])[1]++;
        }
        StringBuilder line = new StringBuilder("read/finished per " + bucket.toSeconds() + " s:");
        buckets.forEach((b, counts) -> line.append(' ').append(b * bucket.toSeconds()).append("s ")
                .append(counts[0]).append('/').append(counts[1]));
        return line.toString();
    }

    /** Window from the first of these requests read by the worker to the last outcome visible here. */
    synchronized Phase phase(List<Load.Request> plan) {
        Instant firstReceived = null;
        Instant lastVisible = null;
        List<Long> latencies = new ArrayList<>(plan.size());
        for (Load.Request request : plan) {
            Seen seen = first.get(request.requestId());
            if (seen == null) {
                continue;
            }
            latencies.add(Duration.between(seen.received(), seen.completed()).toMillis());
            firstReceived = firstReceived == null || seen.received().isBefore(firstReceived) ? seen.received()
                    : firstReceived;
            lastVisible = lastVisible == null || seen.visible().isAfter(lastVisible) ? seen.visible() : lastVisible;
        }
        return new Phase(latencies.size(), firstReceived, lastVisible, latencies);
    }

    @Override
    public void close() throws InterruptedException {
        running.set(false);
        thread.join(5_000);
    }
}
