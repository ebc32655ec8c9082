package io.assignmentworker;

import org.springframework.boot.SpringApplication;
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
        SpringApplication.run(WorkerApplication.class, args);
    }
}
