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
    void refusesPartialAppConfiguration() {
        Map<String, String> config = Map.of("EMULATOR_PORT", "0", "EMULATOR_TENANT_ID", EmulatorTestClient.TENANT);

        assertThatThrownBy(() -> GraphEmulatorMain.start(config::get, System.out))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("EMULATOR_CLIENT_SECRET");
    }
}
