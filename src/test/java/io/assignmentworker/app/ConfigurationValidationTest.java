package io.assignmentworker.app;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import io.assignmentworker.WorkerApplication;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;

/** Invalid configuration stops start-up with one clear message naming the property, and never a secret. */
@ExtendWith(OutputCaptureExtension.class)
class ConfigurationValidationTest {

    static final String SECRET = "do-not-print-this-secret-8b1f";

    static List<String> valid() {
        return new ArrayList<>(List.of(
                "--spring.main.web-application-type=none",
                "--spring.kafka.bootstrap-servers=127.0.0.1:1",
                "--worker.topics.create-missing=false",
                "--worker.auth.tenant-id=8f1c7e2a-1b2c-4d5e-8f90-0a1b2c3d4e5f",
                "--worker.auth.client-id=6b3a9d2e-5c4f-4e1a-9b8c-7d6e5f4a3b2c",
                "--worker.auth.client-secret=" + SECRET));
    }

    static Stream<Arguments> invalidSettings() {
        return Stream.of(
                Arguments.of("--worker.auth.tenant-id=", "worker.auth.tenant-id (AZURE_TENANT_ID) is required"),
                Arguments.of("--worker.auth.tenant-id=contoso.onmicrosoft.com", "must be the tenant's GUID"),
                Arguments.of("--worker.auth.client-secret=", "worker.auth.client-secret (AZURE_CLIENT_SECRET), worker.auth.federated-token-file (AZURE_FEDERATED_TOKEN_FILE) or worker.auth.certificate-file (AZURE_CLIENT_CERTIFICATE_PATH) is required"),
                Arguments.of("--worker.auth.tenants[0].tenant-id=contoso", "worker.auth.tenants[0].tenant-id must be the tenant's GUID"),
                Arguments.of("--worker.auth.tenants[0].tenant-id=8F1C7E2A-1B2C-4D5E-8F90-0A1B2C3D4E5F",
                        "tenant 8F1C7E2A-1B2C-4D5E-8F90-0A1B2C3D4E5F is configured twice"),
                Arguments.of("--worker.auth.authority-host=http://login.example", "worker.auth.authority-host"),
                Arguments.of("--worker.graph.base-url=graph.microsoft.com/beta", "worker.graph.base-url (WORKER_GRAPH_BASE_URL)"),
                Arguments.of("--worker.graph.request-timeout=0s", "worker.graph.request-timeout must be a positive duration"),
                Arguments.of("--worker.scheduling.write-budget=0", "worker.scheduling.write-budget must be at least 1"),
                Arguments.of("--worker.scheduling.tenants.8f1c7e2a-1b2c-4d5e-8f90-0a1b2c3d4e5f.write-budget=0",
                        "worker.scheduling.tenants.8f1c7e2a-1b2c-4d5e-8f90-0a1b2c3d4e5f.write-budget must be at least 1"),
                Arguments.of("--worker.topics.results=intune.assignment.requests", "worker.topics.results must differ"),
                Arguments.of("--worker.graph.strategy=batch", "worker.graph.strategy"),
                Arguments.of("--worker.scheduling.max-batch-size=0", "worker.scheduling.max-batch-size must be at least 1"),
                Arguments.of("--worker.topics.by-policy=intune.assignment.requests", "worker.topics.by-policy must differ"),
                Arguments.of("--worker.intake.max-in-flight-per-partition=50000", "worker.intake.max-in-flight-per-partition"),
                Arguments.of("--worker.graph.max-concurrent-calls=0", "worker.graph.max-concurrent-calls must be at least 1"),
                Arguments.of("--worker.rollouts.emit-interval=0s", "worker.rollouts.emit-interval must be a positive duration"),
                Arguments.of("--spring.kafka.producer.properties.partitioner.class="
                        + "org.apache.kafka.clients.producer.RoundRobinPartitioner",
                        "spring.kafka.producer.properties.partitioner.class must not be set"),
                Arguments.of("--spring.kafka.producer.properties.partitioner.ignore.keys=true",
                        "spring.kafka.producer.properties.partitioner.ignore.keys must not be true"));
    }

    @ParameterizedTest
    @MethodSource("invalidSettings")
    void refusesToStartWithAMessageNamingTheProperty(String setting, String expected, CapturedOutput output) {
        List<String> args = valid();
        String name = setting.substring(0, setting.indexOf('=') + 1);
        args.removeIf(arg -> arg.startsWith(name));
        args.add(setting);

        Throwable failure = catchThrowable(() -> new SpringApplicationBuilder(WorkerApplication.class)
                .run(args.toArray(String[]::new)).close());

        assertThat(failure).isNotNull();
        assertThat(output.getAll()).contains(expected).doesNotContain(SECRET);
    }
}
