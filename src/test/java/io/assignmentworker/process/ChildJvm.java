package io.assignmentworker.process;

import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

/**
 * A JVM started as a child process, its output appended to a log file. The signals are the ones an orchestrator
 * sends: {@link #terminate} is SIGTERM, {@link #kill} is SIGKILL. Every child still running when the test JVM
 * shuts down is killed, so that a crashed or interrupted test run leaves no stray JVM behind.
 */
final class ChildJvm implements AutoCloseable {

    /**
     * Flags for the brokers and workers of the process tests: the quick compiler only and one GC thread. A test's
     * JVMs live for minutes on 2 shared cores, where the optimising compiler's and the parallel collector's threads
     * cost more than they give back.
     */
    static final List<String> LEAN = List.of("-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC");


    private static final Duration KILL_WAIT = Duration.ofSeconds(30);
    private static final Set<Process> RUNNING = ConcurrentHashMap.newKeySet();

    static {
        Runtime.getRuntime().addShutdownHook(new Thread(() -> RUNNING.forEach(Process::destroyForcibly),
                "child-jvm-reaper"));
    }

    private final String name;
    private final Process process;
    private final Path log;

    private ChildJvm(String name, Process process, Path log) {
        this.name = name;
        this.process = process;
        this.log = log;
    }

    /**
     * Starts {@code java <arguments>} with the JDK running the tests.
     *
     * @param environment added to (and overriding) the inherited environment
     */
    static ChildJvm start(String name, List<String> arguments, Map<String, String> environment, Path log) {
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        command.addAll(arguments);
        ProcessBuilder builder = new ProcessBuilder(command)
                .redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()))
                .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")));
        builder.environment().putAll(environment);
        try {
            Process process = builder.start();
            RUNNING.add(process);
            process.onExit().thenRun(() -> RUNNING.remove(process));
            return new ChildJvm(name, process, log);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot start " + name + ": " + command, e);
        }
    }

    String name() {
        return name;
    }

    long pid() {
        return process.pid();
    }

    Path log() {
        return log;
    }

    boolean isAlive() {
        return process.isAlive();
    }

    /** The exit status, once it has ended. */
    Integer exitCode() {
        return process.isAlive() ? null : process.exitValue();
    }

    /** Waits for the process to end by itself, at most {@code timeout}. */
    boolean awaitExit(Duration timeout) {
        try {
            return process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    /** SIGTERM, then waits up to {@code grace}; a process still running then is killed and reported as forced. */
    ProcessExit terminate(Duration grace) {
        long started = System.nanoTime();
        process.destroy();
        if (awaitExit(grace)) {
            return new ProcessExit(process.exitValue(), since(started), false);
        }
        ProcessExit killed = kill();
        return new ProcessExit(killed.code(), since(started), true);
    }

    /** SIGKILL: the process gets no chance to finish anything. */
    ProcessExit kill() {
        long started = System.nanoTime();
        process.destroyForcibly();
        if (!awaitExit(KILL_WAIT)) {
            throw new IllegalStateException(name + " (pid " + pid() + ") survived SIGKILL for " + KILL_WAIT);
        }
        return new ProcessExit(process.exitValue(), since(started), false);
    }

    String tail(int lines) {
        return ProcessLogs.tail(log, lines);
    }

    /** Kills the process if it still runs; teardown must not wait for a graceful stop. */
    @Override
    public void close() {
        if (process.isAlive()) {
            kill();
        }
    }

    private static Duration since(long started) {
        return Duration.ofNanos(System.nanoTime() - started);
    }

    @Override
    public String toString() {
        return name + " (pid " + pid() + ", log " + log + ")";
    }
}
