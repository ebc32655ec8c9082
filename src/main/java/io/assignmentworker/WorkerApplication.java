package io.assignmentworker;

import io.assignmentworker.cli.Cli;
import org.springframework.boot.SpringApplication;
import sun.misc.Signal;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.context.properties.ConfigurationPropertiesScan;

/**
 * intune-assignment-worker: consumes assignment requests from Kafka, creates Intune compliance-policy
 * assignments through Microsoft Graph and publishes exactly one outcome per request.
 *
 * <p>A request travels intake → scheduling → graph → outcome; each stage is a package with one front door.
 * The same jar is also the command-line tool for bulk rollouts ({@code submit}, {@code status}, {@code failures}):
 * those commands run without starting Spring.
 */
@SpringBootApplication
@ConfigurationPropertiesScan
public class WorkerApplication {

    public static void main(String[] args) {
        if (Cli.handles(args)) {
            System.exit(Cli.runFromMain(args));
            return;
        }
        exitZeroAfterGracefulStop();
        SpringApplication.run(WorkerApplication.class, args);
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
