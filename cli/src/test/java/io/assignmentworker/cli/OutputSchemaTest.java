package io.assignmentworker.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.assignmentworker.emulator.EmulatorSettings;
import io.assignmentworker.emulator.GraphEmulator;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import tools.jackson.databind.JsonNode;

/**
 * {@code -o json} keeps its promise: the published examples and what the tool really prints match
 * {@code schemas/iaw-output.schema.json}, and stdout then carries that one document alone. (The commands that need
 * Kafka are checked the same way end to end, in the worker's CliApplicationTest.)
 */
class OutputSchemaTest {

    static final String TENANT = "6c8d2e3f-4a51-4b6c-9d7e-8f9a0b1c2d3e";
    static final String APP = "2c3d4e5f-6a7b-4c8d-9e0f-0a1b2c3d4e5f";
    static final String SECRET = "test-only-" + UUID.randomUUID();
    static final GraphEmulator graph = GraphEmulator.start(EmulatorSettings.defaults());

    @TempDir
    Path dir;

    @AfterAll
    static void close() {
        graph.close();
    }

    static Stream<Path> examples() throws IOException {
        return Files.list(OutputSchema.EXAMPLES).sorted();
    }

    @ParameterizedTest
    @MethodSource("examples")
    void theDocumentedExamplesMatchTheSchema(Path example) {
        assertThat(OutputSchema.violations(OutputSchema.read(example))).isEmpty();
    }

    @Test
    void theSchemaRefusesWhatItDoesNotDescribe() {
        JsonNode status = OutputSchema.read(OutputSchema.EXAMPLES.resolve("status.json"));

        assertThat(OutputSchema.violations(((tools.jackson.databind.node.ObjectNode) status.deepCopy())
                .put("kind", "frobnicate"))).isNotEmpty();
        assertThat(OutputSchema.violations(((tools.jackson.databind.node.ObjectNode) status.deepCopy())
                .put("state", "done"))).isNotEmpty();
        assertThat(OutputSchema.violations(((tools.jackson.databind.node.ObjectNode) status.deepCopy())
                .remove(List.of("total")))).isNotEmpty();
    }

    @Test
    void theDryRunsJsonIsOneDocumentOnStdoutThatMatchesTheSchema() throws Exception {
        graph.registerApp(TENANT, APP, SECRET);
        String policy = UUID.randomUUID().toString();
        String missing = UUID.randomUUID().toString();
        graph.addPolicy(TENANT, policy, "Output schema");
        Path csv = Files.write(dir.resolve("plan.csv"), List.of(String.join(",", InputFormat.COLUMNS),
                TENANT + "," + policy + ",allDevices,,,,,,",
                TENANT + "," + policy + ",allDevices,,,,,,",
                TENANT + "," + missing + ",allUsers,,,,,,"), StandardCharsets.UTF_8);

        CliRun run = CliRun.of(env(), "submit", csv.toString(), "--dry-run", "-o", "json");

        assertThat(run.exit()).as(run.transcript()).isEqualTo(1);
        JsonNode document = OutputSchema.document(run);
        assertThat(OutputSchema.violations(document)).as(run.out()).isEmpty();
        assertThat(document.path("kind").asString()).isEqualTo("dryRun");
        assertThat(document.path("lines")).extracting(l -> l.path("verdict").asString())
                .containsExactly("wouldCreate", "repeats", "problem");
        assertThat(document.path("lines").get(1).path("repeatsLine").asInt()).isEqualTo(2);
        assertThat(document.path("problems").asInt()).isEqualTo(1);
        assertThat(run.err()).contains("Connecting to Graph at " + graph.graphBaseUrl())
                .contains("line 2").contains("Dry run: 3 requests");
    }

    @Test
    void unreachableGraphIsSaidAtOnceAndEndsWithExitCode6() throws Exception {
        int closed;
        try (java.net.ServerSocket socket = new java.net.ServerSocket(0)) {
            closed = socket.getLocalPort();
        }
        graph.registerApp(TENANT, APP, SECRET);
        Path csv = Files.write(dir.resolve("one.csv"), List.of(String.join(",", InputFormat.COLUMNS),
                TENANT + "," + UUID.randomUUID() + ",allDevices,,,,,,"), StandardCharsets.UTF_8);
        Map<String, String> env = env();
        env.put("WORKER_GRAPH_BASE_URL", "https://127.0.0.1:" + closed + "/beta");

        CliRun run = CliRun.of(env, "submit", csv.toString(), "--dry-run", "--connect-timeout", "2s");

        assertThat(run.exit()).as(run.transcript()).isEqualTo(6);
        assertThat(run.err()).contains("Connecting to Graph at https://127.0.0.1:" + closed + "/beta …")
                .contains("Graph unreachable at https://127.0.0.1:" + closed + "/beta after 2s");
    }

    private static Map<String, String> env() {
        Map<String, String> env = new HashMap<>();
        env.put("AZURE_TENANT_ID", TENANT);
        env.put("AZURE_CLIENT_ID", APP);
        env.put("AZURE_CLIENT_SECRET", SECRET);
        env.put("AZURE_AUTHORITY_HOST", graph.authorityHost().toString());
        env.put("WORKER_GRAPH_BASE_URL", graph.graphBaseUrl().toString());
        return env;
    }
}
