package io.assignmentworker.emulator;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import org.junit.jupiter.api.Test;

class GraphEmulatorMainTest {

    @Test
    void startsFromSettingsAndPrintsUrlsButNeverTheSecret() {
        Map<String, String> config = Map.of("EMULATOR_PORT", "0", "EMULATOR_TENANT_ID", EmulatorTestClient.TENANT,
                "EMULATOR_CLIENT_ID", EmulatorTestClient.CLIENT, "EMULATOR_CLIENT_SECRET", EmulatorTestClient.SECRET,
                "EMULATOR_POLICIES", EmulatorTestClient.POLICY + ", 6c8f4a2b-1d3e-4f5a-9b7c-8d9e0f1a2b3c",
                "EMULATOR_TOKEN_TTL", "PT5M", "EMULATOR_WRITE_BUDGET", "5");
        ByteArrayOutputStream printed = new ByteArrayOutputStream();

        try (GraphEmulator emulator = GraphEmulatorMain.start(config::get,
                new PrintStream(printed, true, StandardCharsets.UTF_8))) {
            String banner = printed.toString(StandardCharsets.UTF_8);
            assertThat(banner).contains(emulator.graphBaseUrl().toString()).contains("/oauth2/v2.0/token")
                    .doesNotContain(EmulatorTestClient.SECRET);
            assertThat(emulator.settings().writeBudget()).isEqualTo(5);
            assertThat(emulator.assignments(EmulatorTestClient.TENANT, EmulatorTestClient.POLICY)).isEmpty();
            String token = new EmulatorTestClient(emulator).token();
            assertThat(new EmulatorTestClient(emulator)
                    .get(EmulatorTestClient.policyPath("6c8f4a2b-1d3e-4f5a-9b7c-8d9e0f1a2b3c"), token).statusCode())
                    .isEqualTo(200);
        }
    }

    @Test
    void registersGroupsAndFiltersAndTurnsDirectoryChecksOnWhenStrict() {
        String group = "2c3d4e5f-6071-4829-93a4-b5c6d7e8f901";
        String filter = "4f5a6b7c-8d9e-4f01-a2b3-c4d5e6f70819";
        Map<String, String> config = Map.of("EMULATOR_PORT", "0", "EMULATOR_TENANT_ID", EmulatorTestClient.TENANT,
                "EMULATOR_CLIENT_ID", EmulatorTestClient.CLIENT, "EMULATOR_CLIENT_SECRET", EmulatorTestClient.SECRET,
                "EMULATOR_POLICIES", EmulatorTestClient.POLICY, "EMULATOR_DIRECTORY", "strict",
                "EMULATOR_GROUPS", group, "EMULATOR_FILTERS", " " + filter + " ,");
        ByteArrayOutputStream printed = new ByteArrayOutputStream();

        try (GraphEmulator emulator = GraphEmulatorMain.start(config::get,
                new PrintStream(printed, true, StandardCharsets.UTF_8))) {
            assertThat(printed.toString(StandardCharsets.UTF_8)).contains("strict, 1 groups, 1 assignment filters");
            assertThat(emulator.settings().directoryChecks()).isTrue();
            EmulatorTestClient client = new EmulatorTestClient(emulator);
            String token = client.token();
            assertThat(client.get("/groups/" + group, token).statusCode()).isEqualTo(200);
            assertThat(client.get("/deviceManagement/assignmentFilters/" + filter, token).statusCode()).isEqualTo(200);
            assertThat(client.createGroupAssignment(token, group).statusCode()).isEqualTo(201);
            assertThat(client.createGroupAssignment(token, EmulatorTestClient.GROUP).statusCode()).isEqualTo(400);
        }
    }

    @Test
    void refusesUnknownDirectoryModesAndDirectoryListsWithoutATenant() {
        assertThatThrownBy(() -> GraphEmulatorMain.start(Map.of("EMULATOR_PORT", "0", "EMULATOR_DIRECTORY",
                "lenient")::get, System.out))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("'open' or 'strict'");
        assertThatThrownBy(() -> GraphEmulatorMain.start(Map.of("EMULATOR_PORT", "0", "EMULATOR_GROUPS",
                EmulatorTestClient.GROUP)::get, System.out))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("EMULATOR_GROUPS needs");
        assertThatThrownBy(() -> GraphEmulatorMain.start(Map.of("EMULATOR_PORT", "0", "EMULATOR_TENANT_ID",
                EmulatorTestClient.TENANT, "EMULATOR_FILTERS", "not-a-guid")::get, System.out))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("EMULATOR_FILTERS must hold GUIDs");
    }

    @Test
    void refusesPartialAppConfiguration() {
        Map<String, String> config = Map.of("EMULATOR_PORT", "0", "EMULATOR_TENANT_ID", EmulatorTestClient.TENANT);

        assertThatThrownBy(() -> GraphEmulatorMain.start(config::get, System.out))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("EMULATOR_CLIENT_SECRET");
    }
}
