package io.assignmentworker.process;

import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.time.Instant;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.common.Uuid;
import org.awaitility.core.ConditionTimeoutException;
import org.awaitility.core.TerminalFailureException;

/**
 * A single-node KRaft Kafka broker in its own JVM, run from the broker classes on the test classpath, so that
 * it can be stopped, killed and restarted while clients keep their bootstrap address. Data lives in a temporary
 * directory that survives restarts and is deleted on {@link #close()}; output goes to a log under
 * {@code target/process-it}.
 */
public final class KafkaBrokerProcess implements AutoCloseable {

    private static final Duration FORMAT_TIMEOUT = Duration.ofSeconds(60);
    /** A broker is ready in ~5 s here; a slow CI machine, or a restart after SIGKILL (~14 s), needs more. */
    private static final Duration READY_TIMEOUT = Duration.ofSeconds(90);
    private static final Duration STOP_GRACE = Duration.ofSeconds(60);

    private final String name;
    private final Path workDir;
    private final Path serverProperties;
    private final KraftServerProperties properties;
    private final String logbackOption;
    private final Path log;
    private ChildJvm jvm;

    private KafkaBrokerProcess(String name, Path workDir, KraftServerProperties properties) {
        this.name = name;
        this.workDir = workDir;
        this.properties = properties;
        this.serverProperties = properties.writeTo(workDir.resolve("server.properties"));
        this.logbackOption = ChildLogging.logbackOption(workDir);
        this.log = ProcessLogs.newLog(name);
    }

    /** Formats a new log directory on free loopback ports and starts the broker; call {@link #awaitReady()}. */
    public static KafkaBrokerProcess start(String name) {
        Path workDir;
        try {
            workDir = Files.createTempDirectory("kafka-" + name + "-");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        KafkaBrokerProcess broker = new KafkaBrokerProcess(name, workDir,
                new KraftServerProperties(FreePort.pick(), FreePort.pick(), workDir.resolve("data")));
        try {
            broker.format();
            broker.launch();
            return broker;
        } catch (RuntimeException e) {
            broker.close();
            throw e;
        }
    }

    public String bootstrapServers() {
        return properties.bootstrapServers();
    }

    public Path log() {
        return log;
    }

    public long pid() {
        return jvm.pid();
    }

    public boolean isAlive() {
        return jvm != null && jvm.isAlive();
    }

    /** Waits until an Admin client can describe the cluster, failing at once if the broker exits. */
    public KafkaBrokerProcess awaitReady() {
        try (Admin admin = Admin.create(Map.of(
                AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers(),
                AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, 3_000,
                AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, 5_000,
                AdminClientConfig.RETRY_BACKOFF_MS_CONFIG, 200))) {
            await("broker " + name + " at " + bootstrapServers() + " describes its cluster")
                    .atMost(READY_TIMEOUT)
                    .pollInterval(Duration.ofMillis(250))
                    .ignoreExceptions()
                    .failFast("broker " + name + " exited", () -> !jvm.isAlive())
                    .until(() -> !admin.describeCluster().nodes().get(5, TimeUnit.SECONDS).isEmpty());
        } catch (ConditionTimeoutException | TerminalFailureException e) {
            throw new AssertionError(e.getMessage() + "\n" + jvm.tail(60), e);
        }
        return this;
    }

    /** SIGTERM: a controlled shutdown, as an orchestrator stops a broker. Waits for the process to end. */
    public ProcessExit terminate() {
        return jvm.terminate(STOP_GRACE);
    }

    /** SIGKILL: the broker dies without flushing or telling anyone. */
    public ProcessExit kill() {
        return jvm.kill();
    }

    /**
     * Stops the broker if it still runs (SIGTERM) and starts it again on the same data and ports, so clients
     * reconnect to the address they already have. Waits until it is ready.
     */
    public KafkaBrokerProcess restart() {
        if (jvm.isAlive()) {
            terminate();
        }
        launch();
        return awaitReady();
    }

    private void format() {
        String clusterId = Uuid.randomUuid().toString();
        ChildJvm storageTool = ChildJvm.start(name + "-format", List.of("-Xmx256m", logbackOption,
                "-cp", TestClasspath.value(), "kafka.tools.StorageTool", "format", "--standalone",
                "-t", clusterId, "-c", serverProperties.toString()), Map.of(), log);
        try (storageTool) {
            if (!storageTool.awaitExit(FORMAT_TIMEOUT) || storageTool.exitCode() != 0) {
                throw new IllegalStateException("formatting the KRaft log directory failed\n" + storageTool.tail(40));
            }
        }
    }

    private void launch() {
        mark("starting broker " + name + " on " + bootstrapServers());
        jvm = ChildJvm.start(name, Stream.concat(ChildJvm.LEAN.stream(), Stream.of("-Xmx512m", "-Xms128m",
                logbackOption, "-cp", TestClasspath.value(), "kafka.Kafka", serverProperties.toString())).toList(),
                Map.of(), log);
    }

    /** A line in the shared log, so that several lives of the broker can be told apart. */
    private void mark(String event) {
        try {
            Files.writeString(log, "==== " + Instant.now() + " " + event + System.lineSeparator(),
                    StandardOpenOption.CREATE, StandardOpenOption.APPEND);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Kills the broker if it still runs (teardown need not be graceful) and deletes its data. */
    @Override
    public void close() {
        try {
            if (jvm != null) {
                jvm.close();
            }
        } finally {
            deleteRecursively(workDir);
        }
    }

    private static void deleteRecursively(Path dir) {
        try (Stream<Path> paths = Files.walk(dir)) {
            paths.sorted(Comparator.reverseOrder()).forEach(path -> path.toFile().delete());
        } catch (IOException | UncheckedIOException ignored) {
            // A leftover temporary directory is not worth failing a test for.
        }
    }

    @Override
    public String toString() {
        return "broker " + name + " at " + bootstrapServers() + " (log " + log + ")";
    }
}
