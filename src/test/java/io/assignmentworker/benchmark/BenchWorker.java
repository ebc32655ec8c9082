package io.assignmentworker.benchmark;

import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * The packaged worker ({@code target/intune-assignment-worker.jar}) in its own JVM, configured by environment
 * variables only, with what the benchmark measures of it: CPU time from {@code /proc/<pid>/stat} and heap in use
 * sampled from {@code /actuator/metrics}. (The process tier's {@code WorkerProcess} fixes {@code -Xmx512m} and
 * the 20 s budget window, so the benchmark starts its own.)
 */
final class BenchWorker implements AutoCloseable {

    /**
     * The collector the image runs the worker with (the Dockerfile's ENTRYPOINT), so the benchmark measures what
     * ships; a collector named in {@code -Dbenchmark.workerJvmOptions} replaces it.
     */
    static final String IMAGE_COLLECTOR = "-XX:+UseParallelGC";
    private static final Pattern COLLECTOR = Pattern.compile("-XX:\\+Use\\w+GC");

    private static final JsonMapper JSON = JsonMapper.builder().build();
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
    /** USER_HZ: the unit of utime/stime in /proc/<pid>/stat; 100 on every mainstream Linux kernel. */
    private static final long CLOCK_TICKS_PER_SECOND = 100;

    private final Process process;
    private final int port;
    private final Path log;
    private final AtomicLong peakHeap = new AtomicLong();
    private final AtomicLong peakLiveHeap = new AtomicLong();
    private volatile boolean sampling;
    private Thread sampler;

    private BenchWorker(Process process, int port, Path log) {
        this.process = process;
        this.port = port;
        this.log = log;
    }

    /**
     * @param heapOption e.g. {@code -Xmx512m}
     * @param env        the worker's configuration (environment variables)
     */
    static BenchWorker start(String name, String heapOption, Map<String, String> env, Path trustStore) {
        Path jar = Path.of("target/intune-assignment-worker.jar").toAbsolutePath();
        if (!Files.isRegularFile(jar)) {
            throw new IllegalStateException(jar.toAbsolutePath() + " is missing: run ./mvnw -Pbenchmark verify, "
                    + "which packages it first");
        }
        int port = freePort();
        Path log = Bench.logDir().resolve(name + ".log");
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java")
                .toString(), heapOption,
                "-Djavax.net.ssl.trustStore=" + trustStore.toAbsolutePath(),
                "-Djavax.net.ssl.trustStorePassword=changeit", "-Djavax.net.ssl.trustStoreType=PKCS12"));
        // -Dbenchmark.workerJvmOptions: extra JVM options for every worker, e.g. a flight recording
        String extra = System.getProperty("benchmark.workerJvmOptions", "").trim();
        if (!COLLECTOR.matcher(extra).find()) {
            command.add(IMAGE_COLLECTOR);
        }
        if (!extra.isEmpty()) {
            command.addAll(List.of(extra.replace("{name}", name).split("\\s+")));
        }
        command.addAll(List.of("-jar", jar.toString()));
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()))
                .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")));
        Map<String, String> environment = new LinkedHashMap<>(env);
        environment.putAll(Bench.workerEnvironment()); // -Dbenchmark.workerEnv
        environment.put("SERVER_PORT", Integer.toString(port));
        builder.environment().putAll(environment);
        try {
            Process process = builder.start();
            Runtime.getRuntime().addShutdownHook(new Thread(process::destroyForcibly));
            return new BenchWorker(process, port, log);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * The configuration every benchmark worker shares (Kafka, topics, its own group, Graph and Entra ID through
     * the emulator); callers add budgets and the rest.
     */
    static Map<String, String> environment(String bootstrapServers, String group, String requests, String results,
                                           URI graphBaseUrl, URI authorityHost, String tenant, String clientId,
                                           String secret) {
        Map<String, String> env = new LinkedHashMap<>();
        env.put("SPRING_KAFKA_BOOTSTRAP_SERVERS", bootstrapServers);
        env.put("SPRING_KAFKA_CONSUMER_GROUP_ID", "bench-" + group);
        env.put("WORKER_TOPICS_REQUESTS", requests);
        env.put("WORKER_TOPICS_RESULTS", results);
        env.put("WORKER_GRAPH_BASE_URL", graphBaseUrl.toString());
        env.put("AZURE_AUTHORITY_HOST", authorityHost.toString());
        env.put("AZURE_TENANT_ID", tenant);
        env.put("AZURE_CLIENT_ID", clientId);
        env.put("AZURE_CLIENT_SECRET", secret);
        return env;
    }

    long pid() {
        return process.pid();
    }

    Path log() {
        return log;
    }

    BenchWorker awaitReady(Duration atMost) throws InterruptedException {
        long deadline = System.nanoTime() + atMost.toNanos();
        while (System.nanoTime() < deadline) {
            if (!process.isAlive()) {
                throw new IllegalStateException("worker exited before it was ready; see " + log);
            }
            String health = get("/actuator/health");
            if (health != null && health.contains("\"status\":\"UP\"")) {
                return this;
            }
            Thread.sleep(250);
        }
        throw new IllegalStateException("worker not ready within " + atMost + "; see " + log);
    }

    /** utime + stime of the worker process so far, in milliseconds (Linux only). */
    long cpuMillis() {
        return cpuMillis(pid());
    }

    /**
     * utime + stime of the worker's live threads so far, in milliseconds, by thread name with digits replaced by
     * {@code N} (so a pool's threads add up). Linux only; threads that ended are missing.
     */
    Map<String, Long> cpuMillisByThread() {
        Map<String, Long> byName = new TreeMap<>();
        try (Stream<Path> tasks = Files.list(Path.of("/proc", Long.toString(pid()), "task"))) {
            for (Path task : (Iterable<Path>) tasks::iterator) {
                try {
                    String stat = Files.readString(task.resolve("stat"));
                    String name = stat.substring(stat.indexOf('(') + 1, stat.lastIndexOf(')')).replaceAll("\\d+", "N");
                    String[] fields = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
                    long ticks = Long.parseLong(fields[11]) + Long.parseLong(fields[12]);
                    byName.merge(name, ticks * 1000 / CLOCK_TICKS_PER_SECOND, Long::sum);
                } catch (IOException threadEnded) {
                    // gone between the listing and the read
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the worker's threads (Linux /proc only)", e);
        }
        return byName;
    }

    /** utime + stime of any process so far, in milliseconds (Linux only). */
    static long cpuMillis(long pid) {
        try {
            String stat = Files.readString(Path.of("/proc", Long.toString(pid), "stat"));
            String[] fields = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
            // fields[0] is the state (field 3 of stat), so utime (14) and stime (15) are at 11 and 12
            long ticks = Long.parseLong(fields[11]) + Long.parseLong(fields[12]);
            return ticks * 1000 / CLOCK_TICKS_PER_SECOND;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the worker's CPU time (Linux /proc only)", e);
        }
    }

    /**
     * Samples the heap in use ({@code jvm.memory.used}, area heap, summed over pools) and the live heap after the
     * last collection ({@code jvm.gc.live.data.size}) once a second, keeping the peaks. It asks the metrics endpoint
     * for those two meters only: a Prometheus scrape renders every meter (1,500 series, 170 KB with the Kafka
     * clients' own) and cost the worker about 7 ms of CPU against 1 ms for the two, about 0.005 ms per request of
     * the latency-bound phase at one a second: the sampler's cost, not the worker's work.
     */
    void startHeapSampling() {
        peakHeap.set(0);
        peakLiveHeap.set(0);
        sampling = true;
        sampler = new Thread(() -> {
            while (sampling) {
                peakHeap.accumulateAndGet(heapUsed(), Math::max);
                peakLiveHeap.accumulateAndGet((long) gauge("jvm.gc.live.data.size"), Math::max);
                try {
                    Thread.sleep(1_000);
                } catch (InterruptedException e) {
                    return;
                }
            }
        }, "heap-sampler");
        sampler.setDaemon(true);
        sampler.start();
    }

    /**
     * The largest heap still in use right after a collection ({@code jvm_gc_live_data_size_bytes}) while sampling:
     * what the worker really needs, where the peak in use is whatever the collector let it grow to.
     */
    long peakLiveHeap() {
        return peakLiveHeap.get();
    }

    /** Stops sampling and returns the peak heap in use, in bytes. */
    long stopHeapSampling() throws InterruptedException {
        sampling = false;
        if (sampler != null) {
            sampler.interrupt();
            sampler.join(2_000);
        }
        peakHeap.accumulateAndGet(heapUsed(), Math::max);
        return peakHeap.get();
    }

    /**
     * A gauge's value (its Micrometer name, e.g. {@code intune.worker.in.flight}), summed over its tags; 0 when
     * absent or unanswered. Read from the one meter, never from a whole Prometheus scrape: see
     * {@link #allocatedBytes}.
     */
    double gauge(String name) {
        return meter(name, "VALUE");
    }

    /**
     * Partitions of the requests topic the worker owns now, from its health details
     * ({@code components.intake.details.requests.details.assignedPartitions}); -1 when it does not answer.
     */
    int requestPartitions() {
        String health = get("/actuator/health");
        if (health == null) {
            return -1;
        }
        try {
            return JSON.readTree(health).path("components")
                    .path("intake").path("details").path("requests").path("details").path("assignedPartitions")
                    .asInt(-1);
        } catch (JacksonException e) {
            return -1;
        }
    }

    private long heapUsed() {
        return (long) meter("jvm.memory.used?tag=area:heap", "VALUE");
    }

    /**
     * What the worker's heap has allocated so far (Micrometer's {@code jvm.gc.memory.allocated}, counted at each
     * young collection). Read from the one meter, like the heap: a whole Prometheus scrape would be the first of
     * the worker's life inside the measured phase (the warm-up never scrapes), rendering 1,500 series in code the
     * JIT has not compiled yet.
     */
    long allocatedBytes() {
        return (long) meter("jvm.gc.memory.allocated", "COUNT");
    }

    /**
     * A meter's {@code statistic} from {@code /actuator/metrics/{name}} (Spring sums it over the tags not given), 0
     * when absent or unanswered.
     */
    private double meter(String nameAndTags, String statistic) {
        String answer = get("/actuator/metrics/" + nameAndTags);
        if (answer == null) {
            return 0;
        }
        try {
            for (JsonNode measurement : JSON.readTree(answer).path("measurements")) {
                if (statistic.equals(measurement.path("statistic").asString(""))) {
                    return measurement.path("value").asDouble();
                }
            }
        } catch (JacksonException e) {
            return 0;
        }
        return 0;
    }

    private String get(String path) {
        HttpRequest request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
                .timeout(Duration.ofSeconds(5)).build();
        try {
            HttpResponse<String> response = HTTP.send(request, HttpResponse.BodyHandlers.ofString());
            return response.statusCode() == 200 ? response.body() : null;
        } catch (IOException e) {
            return null;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return null;
        }
    }

    /** SIGTERM, then SIGKILL after 30 s. */
    @Override
    public void close() throws InterruptedException {
        sampling = false;
        process.destroy();
        if (!process.waitFor(30, TimeUnit.SECONDS)) {
            process.destroyForcibly();
            process.waitFor(10, TimeUnit.SECONDS);
        }
    }

    private static int freePort() {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
