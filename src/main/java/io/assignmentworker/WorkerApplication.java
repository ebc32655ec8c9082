package io.assignmentworker;

import org.springframework.boot.SpringApplication;
import sun.misc.Signal;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.context.properties.ConfigurationPropertiesScan;

/**
 * intune-assignment-worker: consumes assignment requests from Kafka, creates Intune compliance-policy
 * assignments through Microsoft Graph and publishes exactly one outcome per request.
 *
 * <p>A request travels intake → scheduling → graph → outcome; each stage is a package with one front door.
 */
@SpringBootApplication
@ConfigurationPropertiesScan
public class WorkerApplication {

    public static void main(String[] args) {
        exitZeroAfterGracefulStop();
        asyncStagesOnAPool();
        SpringApplication.run(WorkerApplication.class, args);
    }

    /**
     * The JDK's HTTP client completes every response on {@code CompletableFuture}'s default executor, the common
     * pool, unless that pool's parallelism is 1 (the default on a 2-CPU machine or container): then it starts a
     * new thread for every response. Measured: 4,500 threads started in 40 s, most of the worker's CPU. A
     * parallelism of at least 2 keeps it a pool; an explicit {@code -D} setting wins.
     */
    static void asyncStagesOnAPool() {
        String property = "java.util.concurrent.ForkJoinPool.common.parallelism";
        if (System.getProperty(property) == null) {
            System.setProperty(property, Integer.toString(Math.max(2, Runtime.getRuntime().availableProcessors() - 1)));
        }
    }

    /**
     * SIGTERM is how Kubernetes, compose and systemd ask the worker to stop. It then stops taking work,
     * finishes and commits what is under way (Spring's shutdown hook) and exits 0, rather than the JVM's 143
     * that reads like a crash to supervisors.
     */
    private static void exitZeroAfterGracefulStop() {
        try {
            Signal.handle(new Signal("TERM"), signal -> System.exit(0));
        } catch (IllegalArgumentException unsupported) {
            // no SIGTERM on this platform: the JVM's default handling stays
        }
    }
}
