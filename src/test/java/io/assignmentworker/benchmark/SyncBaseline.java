package io.assignmentworker.benchmark;

import io.github.resilience4j.core.functions.Either;
import io.github.resilience4j.retry.Retry;
import io.github.resilience4j.retry.RetryConfig;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * The baseline: what a straightforward implementation does. One thread and one {@link KafkaConsumer} per
 * partition; each record in turn is sent to Graph with a blocking JDK {@link HttpClient} call wrapped in a
 * blocking Resilience4j {@link Retry} (429 honours {@code Retry-After}, 5xx, 504 and I/O errors back off
 * exponentially with jitter from 1 s, at most 8 attempts), then a plain (non-transactional) result is produced
 * and the offset committed synchronously after each polled batch. No read-before-write, so an ambiguous 504
 * retried is a duplicate: the baseline's duplicates are reported, not asserted.
 */
final class SyncBaseline {

    private static final JsonMapper JSON = JsonMapper.builder().build();

    private final String bootstrap;
    private final String requestsTopic;
    private final String resultsTopic;
    private final int partitions;
    private final URI graph;
    private final URI tokenUrl;
    private final String clientId;
    private final String secret;
    private final HttpClient http;
    private final List<Long> latencies = Collections.synchronizedList(new ArrayList<>());
    private final AtomicInteger done = new AtomicInteger();
    private final AtomicInteger failed = new AtomicInteger();
    private final AtomicLong firstPolled = new AtomicLong(Long.MAX_VALUE);
    private volatile String token;

    SyncBaseline(String bootstrap, String requestsTopic, String resultsTopic, int partitions, URI graphBaseUrl,
                 URI authorityHost, String tenantId, String clientId, String secret, Path trustStore)
            throws Exception {
        this.bootstrap = bootstrap;
        this.requestsTopic = requestsTopic;
        this.resultsTopic = resultsTopic;
        this.partitions = partitions;
        this.graph = graphBaseUrl;
        this.tokenUrl = URI.create(authorityHost + "/" + tenantId + "/oauth2/v2.0/token");
        this.clientId = clientId;
        this.secret = secret;
        KeyStore store = KeyStore.getInstance("PKCS12");
        try (InputStream in = Files.newInputStream(trustStore)) {
            store.load(in, "changeit".toCharArray());
        }
        TrustManagerFactory trust = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        trust.init(store);
        SSLContext tls = SSLContext.getInstance("TLS");
        tls.init(null, trust.getTrustManagers(), null);
        this.http = HttpClient.newBuilder().sslContext(tls).version(HttpClient.Version.HTTP_1_1)
                .connectTimeout(Duration.ofSeconds(10)).build();
    }

    /** What the baseline measured. */
    record Outcome(int done, int failed, double seconds, List<Long> latenciesMillis) {
    }

    /** Consumes until {@code expected} records are done (or {@code atMost} passes) and returns the figures. */
    Outcome run(int expected, Duration atMost) throws Exception {
        token = fetchToken();
        String group = "baseline-" + UUID.randomUUID();
        List<Thread> threads = new ArrayList<>();
        KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(Map.of(
                ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap, ProducerConfig.ACKS_CONFIG, "all"),
                new ByteArraySerializer(), new ByteArraySerializer());
        long deadline = System.nanoTime() + atMost.toNanos();
        try {
            for (int p = 0; p < partitions; p++) {
                int partition = p;
                Thread thread = new Thread(() -> consume(partition, group, producer, expected, deadline),
                        "baseline-p" + p);
                thread.start();
                threads.add(thread);
            }
            for (Thread thread : threads) {
                thread.join();
            }
            long end = System.nanoTime();
            return new Outcome(done.get(), failed.get(), (end - firstPolled.get()) / 1e9, List.copyOf(latencies));
        } finally {
            producer.close();
        }
    }

    private void consume(int partition, String group, KafkaProducer<byte[], byte[]> producer, int expected,
                         long deadline) {
        TopicPartition tp = new TopicPartition(requestsTopic, partition);
        Retry retry = Retry.of("baseline-p" + partition, RetryConfig.<HttpResponse<String>>custom()
                .maxAttempts(8)
                .retryOnException(e -> e instanceof Transient || e instanceof IOException)
                .intervalBiFunction((attempt, either) -> backoff(attempt, either))
                .build());
        try (KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(Map.of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap,
                ConsumerConfig.GROUP_ID_CONFIG, group,
                ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false,
                ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest",
                ConsumerConfig.MAX_POLL_RECORDS_CONFIG, 50),
                new ByteArrayDeserializer(), new ByteArrayDeserializer())) {
            consumer.assign(List.of(tp));
            while (done.get() + failed.get() < expected && System.nanoTime() < deadline) {
                ConsumerRecords<byte[], byte[]> records = consumer.poll(Duration.ofMillis(100));
                for (ConsumerRecord<byte[], byte[]> record : records) {
                    long received = System.nanoTime();
                    firstPolled.accumulateAndGet(received, Math::min);
                    String result = handle(record, retry);
                    producer.send(new ProducerRecord<>(resultsTopic, record.key(),
                            result.getBytes(StandardCharsets.UTF_8)));
                    latencies.add((System.nanoTime() - received) / 1_000_000);
                }
                if (!records.isEmpty()) {
                    producer.flush();
                    consumer.commitSync();
                }
            }
        }
    }

    /** Creates the assignment; a FAILED result when the retries run out or Graph refuses it for good. */
    private String handle(ConsumerRecord<byte[], byte[]> record, Retry retry) {
        JsonNode request = JSON.readTree(new String(record.value(), StandardCharsets.UTF_8));
        String requestId = request.path("requestId").asString();
        String policyId = request.path("policyId").asString();
        String body = JSON.writeValueAsString(request.path("assignment"));
        HttpRequest post = HttpRequest.newBuilder(URI.create(graph + "/deviceManagement/deviceCompliancePolicies/"
                        + policyId + "/assignments"))
                .timeout(Duration.ofSeconds(60))
                .header("Content-Type", "application/json")
                .header("Authorization", "Bearer " + token)
                .POST(HttpRequest.BodyPublishers.ofString(body)).build();
        try {
            HttpResponse<String> response = Retry.decorateCheckedSupplier(retry, () -> {
                HttpResponse<String> r = http.send(post, HttpResponse.BodyHandlers.ofString());
                if (r.statusCode() == 429 || r.statusCode() >= 500) {
                    throw new Transient(r);
                }
                return r;
            }).get();
            boolean created = response.statusCode() == 201;
            (created ? done : failed).incrementAndGet();
            return "{\"requestId\":\"" + requestId + "\",\"status\":\"" + (created ? "CREATED" : "FAILED")
                    + "\",\"completedAt\":\"" + Instant.now() + "\"}";
        } catch (Throwable e) {
            failed.incrementAndGet();
            return "{\"requestId\":\"" + requestId + "\",\"status\":\"FAILED\"}";
        }
    }

    private static long backoff(int attempt, Either<Throwable, HttpResponse<String>> either) {
        if (either.isLeft() && either.getLeft() instanceof Transient t && t.response.statusCode() == 429) {
            String retryAfter = t.response.headers().firstValue("Retry-After").orElse(null);
            if (retryAfter != null) {
                try {
                    return (long) (Double.parseDouble(retryAfter) * 1000);
                } catch (NumberFormatException ignored) {
                    // fall through to the exponential backoff
                }
            }
        }
        long cap = Math.min(60_000, 1_000L << Math.min(attempt - 1, 6));
        return ThreadLocalRandom.current().nextLong(cap / 2, cap + 1);
    }

    private String fetchToken() throws IOException, InterruptedException {
        String form = "grant_type=client_credentials&client_id=" + enc(clientId) + "&client_secret=" + enc(secret)
                + "&scope=" + enc("https://graph.microsoft.com/.default");
        HttpResponse<String> response = http.send(HttpRequest.newBuilder(tokenUrl)
                .header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString(form)).build(), HttpResponse.BodyHandlers.ofString());
        if (response.statusCode() != 200) {
            throw new IllegalStateException("token endpoint answered " + response.statusCode() + ": "
                    + response.body());
        }
        return JSON.readTree(response.body()).path("access_token").asString();
    }

    private static String enc(String value) {
        return URLEncoder.encode(value, StandardCharsets.UTF_8);
    }

    /** 429 or 5xx: worth another attempt. */
    private static final class Transient extends RuntimeException {
        private final transient HttpResponse<String> response;

        Transient(HttpResponse<String> response) {
            super("HTTP " + response.statusCode(), null, false, false);
            this.response = response;
        }
    }
}
