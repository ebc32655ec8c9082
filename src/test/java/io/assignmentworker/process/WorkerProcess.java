package io.assignmentworker.process;

import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;
import org.awaitility.core.ConditionTimeoutException;
import org.awaitility.core.TerminalFailureException;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.json.JsonMapper;

/**
 * The packaged worker ({@code target/intune-assignment-worker.jar}, built by the {@code package} phase) in its
 * own JVM, started with {@code java -jar} as a user would, configured by environment variables only.
 */
public final class WorkerProcess implements AutoCloseable {

    /** Spring Boot starts in ~8 s here; twice that is normal on a busy 2-core runner. */
    private static final Duration READY_TIMEOUT = Duration.ofSeconds(120);
    /** Longer than the worker's own shutdown grace (20 s) plus its Kafka clean-up, so slowness is measured, not cut. */
    private static final Duration STOP_GRACE = Duration.ofSeconds(60);
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
    private static final JsonMapper JSON = JsonMapper.builder().build();

    private final ChildJvm jvm;
    private final int serverPort;

    private WorkerProcess(ChildJvm jvm, int serverPort) {
        this.jvm = jvm;
        this.serverPort = serverPort;
    }

    /** Starts the worker on a free port; call {@link #awaitReady()} before relying on it. */
    public static WorkerProcess start(String name, WorkerSettings settings) {
        Path jar = jar();
        int port = FreePort.pick();
        ChildJvm jvm = ChildJvm.start(name, Stream.concat(ChildJvm.LEAN.stream(), Stream.of("-Xmx512m",
                "-Djavax.net.ssl.trustStore=" + settings.trustStore().toAbsolutePath(),
                "-Djavax.net.ssl.trustStorePassword=changeit",
                "-Djavax.net.ssl.trustStoreType=PKCS12",
                "-jar", jar.toString())).toList(), settings.environment(port), ProcessLogs.newLog(name));
        return new WorkerProcess(jvm, port);
    }

    static Path jar() {
        Path jar = Path.of("target").toAbsolutePath().resolve("intune-assignment-worker.jar");
        if (!Files.isRegularFile(jar)) {
            throw new IllegalStateException(jar.toAbsolutePath() + " is missing: these tests run the packaged worker; "
                    + "run them with ./mvnw verify, which packages it first");
        }
        return jar;
    }

    public long pid() {
        return jvm.pid();
    }

    public Path log() {
        return jvm.log();
    }

    public boolean isAlive() {
        return jvm.isAlive();
    }

    /** Waits until {@code /actuator/health} says UP, failing at once if the worker exits. */
    public WorkerProcess awaitReady() {
        try {
            await(jvm.name() + " reports health UP")
                    .atMost(READY_TIMEOUT)
                    .pollInterval(Duration.ofMillis(250))
                    .failFast(jvm.name() + " exited before it was ready", () -> !jvm.isAlive())
                    .until(this::isHealthy);
        } catch (ConditionTimeoutException | TerminalFailureException e) {
            throw new AssertionError(e.getMessage() + "\n" + jvm.tail(80), e);
        }
        return this;
    }

    /** Whether {@code /actuator/health} answers 200 with status UP right now. */
    public boolean isHealthy() {
        return health().map(body -> body.contains("\"status\":\"UP\"")).orElse(false);
    }

    /** The body of a 200 health answer, or empty when there is none (not listening, not up). */
    public Optional<String> health() {
        return get("/actuator/health");
    }

    /**
     * How many partitions of the requests topic the worker owns now, as its health details say
     * ({@code components.intake.details.requests.details.assignedPartitions}); -1 when it does not answer.
     */
    public int requestPartitions() {
        return requestsIntake("assignedPartitions");
    }

    /**
     * A number from the health details of the requests topic's intake
     * ({@code components.intake.details.requests.details.<detail>}, e.g. {@code pausedPartitions},
     * {@code inFlight}); -1 when it does not answer.
     */
    public int requestsIntake(String detail) {
        return health().map(body -> {
            try {
                return JSON.readTree(body).path("components").path("intake").path("details").path("requests")
                        .path("details").path(detail).asInt(-1);
            } catch (JacksonException e) {
                return -1;
            }
        }).orElse(-1);
    }

    /**
     * The value of a counter in {@code /actuator/prometheus}, summed over its tags (e.g.
     * {@code intune_worker_strategy_switches_total}); 0 when the worker does not report it, or does not answer.
     */
    public double counter(String prometheusName) {
        double sum = 0;
        for (String line : get("/actuator/prometheus").orElse("").split("\n")) {
            if (line.startsWith(prometheusName + "{") || line.startsWith(prometheusName + " ")) {
                sum += Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1));
            }
        }
        return sum;
    }

    private Optional<String> get(String path) {
        HttpRequest request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + serverPort + path))
                .timeout(Duration.ofSeconds(5)).build();
        try {
            HttpResponse<String> response = HTTP.send(request, HttpResponse.BodyHandlers.ofString());
            return response.statusCode() == 200 ? Optional.of(response.body()) : Optional.empty();
        } catch (IOException e) {
            return Optional.empty();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return Optional.empty();
        }
    }

    /** SIGTERM, as Kubernetes stops a pod; waits for the process to end (killing it after a generous grace). */
    public ProcessExit terminate() {
        return jvm.terminate(STOP_GRACE);
    }

    /** SIGKILL: no shutdown hook runs, nothing in flight is finished or committed. */
    public ProcessExit kill() {
        return jvm.kill();
    }

    /** The end of its log, for failure messages. */
    public String tail(int lines) {
        return jvm.tail(lines);
    }

    @Override
    public void close() {
        jvm.close();
    }

    @Override
    public String toString() {
        return jvm.toString();
    }
}
