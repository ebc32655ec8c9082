package io.assignmentworker.emulator;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;

class ConcurrentWritesTest {

    @Test
    void countsEveryConcurrentWriteExactlyOnce() throws Exception {
        try (GraphEmulator emulator = EmulatorTestClient.standardEmulator(EmulatorSettings.defaults()
                .withWriteBudget(EmulatorSettings.UNLIMITED).withRequestBudget(EmulatorSettings.UNLIMITED))) {
            EmulatorTestClient client = new EmulatorTestClient(emulator);
            String token = client.token();
            ExecutorService pool = Executors.newFixedThreadPool(16);
            try {
                List<Future<Integer>> results = new ArrayList<>();
                for (int i = 0; i < 200; i++) {
                    results.add(pool.submit(() -> client.createGroupAssignment(token, EmulatorTestClient.GROUP)
                            .statusCode()));
                }
                for (Future<Integer> result : results) {
                    assertThat(result.get()).isEqualTo(201);
                }
            } finally {
                pool.shutdownNow();
            }

            assertThat(emulator.assignments(EmulatorTestClient.TENANT, EmulatorTestClient.POLICY)).hasSize(200);
            assertThat(emulator.duplicateAssignments(EmulatorTestClient.TENANT)).isEqualTo(199);
            assertThat(emulator.stats().writesPerformed()).isEqualTo(200);
            assertThat(emulator.stats().count(EmulatorStats.Operation.CREATE, 201)).isEqualTo(200);
        }
    }
}
