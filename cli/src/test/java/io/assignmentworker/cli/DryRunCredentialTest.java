package io.assignmentworker.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.assignmentworker.emulator.EmulatorSettings;
import io.assignmentworker.emulator.EmulatorStats.Operation;
import io.assignmentworker.emulator.GraphEmulator;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Which credential {@code submit --dry-run} reads Graph with, against the Graph emulator over https: a read-only
 * app registration of its own when {@code IAW_DRY_RUN_CLIENT_ID} is set, else the worker's; and a 403 names the
 * credential and the permission it lacks.
 */
class DryRunCredentialTest {

    static final String TENANT = "5b7c1d2e-3f40-4a5b-8c6d-7e8f9a0b1c2d";
    static final String WORKER_APP = "0a1b2c3d-4e5f-4a6b-8c7d-8e9f0a1b2c3d";
    static final String READ_ONLY_APP = "1b2c3d4e-5f6a-4b7c-9d8e-9f0a1b2c3d4e";
    static final String WORKER_SECRET = "test-only-" + UUID.randomUUID();
    static final String READ_ONLY_SECRET = "test-only-" + UUID.randomUUID();
    static final GraphEmulator graph = GraphEmulator.start(EmulatorSettings.defaults());

    @TempDir
    Path dir;

    @AfterAll
    static void close() {
        graph.close();
    }

    @Test
    void readsGraphWithTheReadOnlyAppWhenOneIsGivenAndNeverWithTheWorkersApp() throws Exception {
        graph.registerApp(TENANT, WORKER_APP, WORKER_SECRET);
        graph.denyPermission(TENANT, WORKER_APP);
        graph.registerReadOnlyApp(TENANT, READ_ONLY_APP, READ_ONLY_SECRET);
        Map<String, String> env = env();
        env.put("IAW_DRY_RUN_CLIENT_ID", READ_ONLY_APP);
        env.put("IAW_DRY_RUN_CLIENT_SECRET", READ_ONLY_SECRET);

        CliRun run = CliRun.of(env, "submit", oneLine().toString(), "--dry-run");

        assertThat(run.exit()).as(run.transcript()).isZero();
        assertThat(run.out()).containsPattern("line 2 +would create");
        assertThat(run.err()).contains("as the read-only app IAW_DRY_RUN_CLIENT_ID=" + READ_ONLY_APP);
    }

    @Test
    void aReadOnlyAppCannotWriteInTheEmulator() throws Exception {
        graph.registerReadOnlyApp(TENANT, READ_ONLY_APP, READ_ONLY_SECRET);
        GraphAccess access = GraphAccess.fromEnvironment(Map.of("AZURE_TENANT_ID", TENANT,
                "IAW_DRY_RUN_CLIENT_ID", READ_ONLY_APP, "IAW_DRY_RUN_CLIENT_SECRET", READ_ONLY_SECRET,
                "AZURE_AUTHORITY_HOST", graph.authorityHost().toString(),
                "WORKER_GRAPH_BASE_URL", graph.graphBaseUrl().toString()));
        String policy = UUID.randomUUID().toString();
        graph.addPolicy(TENANT, policy, "Read-only check");
        try (access) {
            var write = access.http().send(java.net.http.HttpRequest.newBuilder(
                            access.url("/deviceManagement/deviceCompliancePolicies/" + policy + "/assign"))
                    .header("Authorization", "Bearer " + access.token(TENANT))
                    .header("Content-Type", "application/json")
                    .POST(java.net.http.HttpRequest.BodyPublishers.ofString("{\"assignments\":[]}")).build(),
                    java.net.http.HttpResponse.BodyHandlers.ofString());

            assertThat(write.statusCode()).isEqualTo(403);
            assertThat(write.body()).contains("DeviceManagementConfiguration.ReadWrite.All");
        }
    }

    @Test
    void aForbiddenReadEndsTheDryRunNamingTheCredentialAndTheMissingPermission() throws Exception {
        graph.registerApp(TENANT, WORKER_APP, WORKER_SECRET);
        graph.denyPermission(TENANT, WORKER_APP);
        long reads = graph.stats().count(Operation.GET_POLICY, 403);

        CliRun run = CliRun.of(env(), "submit", oneLine().toString(), "--dry-run");

        assertThat(run.exit()).as(run.transcript()).isEqualTo(ExitCode.UNAVAILABLE.code());
        assertThat(run.out()).doesNotContain("would create");
        assertThat(run.err()).contains("403")
                .contains("the worker's app AZURE_CLIENT_ID=" + WORKER_APP)
                .contains("DeviceManagementConfiguration.Read.All")
                .contains("IAW_DRY_RUN_CLIENT_ID");
        assertThat(graph.stats().count(Operation.GET_POLICY, 403)).isGreaterThan(reads);
    }

    @Test
    void helpSaysWhichCredentialAndPermissionTheDryRunNeeds() {
        CliRun help = CliRun.of(Map.of(), "submit", "--help");

        assertThat(help.out() + help.err()).contains("IAW_DRY_RUN_CLIENT_ID")
                .contains("DeviceManagementConfiguration.Read.All");
    }

    private Path oneLine() throws Exception {
        String policy = UUID.randomUUID().toString();
        graph.addPolicy(TENANT, policy, "Dry-run credential");
        return Files.write(dir.resolve("one.csv"), List.of(String.join(",", InputFormat.COLUMNS),
                TENANT + "," + policy + ",allDevices,,,,,,"), StandardCharsets.UTF_8);
    }

    private static Map<String, String> env() {
        Map<String, String> env = new HashMap<>();
        env.put("AZURE_TENANT_ID", TENANT);
        env.put("AZURE_CLIENT_ID", WORKER_APP);
        env.put("AZURE_CLIENT_SECRET", WORKER_SECRET);
        env.put("AZURE_AUTHORITY_HOST", graph.authorityHost().toString());
        env.put("WORKER_GRAPH_BASE_URL", graph.graphBaseUrl().toString());
        return env;
    }
}
