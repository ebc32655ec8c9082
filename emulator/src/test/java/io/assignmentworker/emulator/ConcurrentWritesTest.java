package io.assignmentworker.emulator;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;

class ConcurrentWritesTest {

    /** 200 concurrent creates, each of 100 groups twice: exactly one create per group wins. */
    @Test
    void storesEachGroupOnceUnderConcurrentCreatesAndCountsEveryWriteExactlyOnce() throws Exception {
        try (GraphEmulator emulator = EmulatorTestClient.standardEmulator(EmulatorSettings.defaults()
                .withWriteBudget(EmulatorSettings.UNLIMITED).withRequestBudget(EmulatorSettings.UNLIMITED))) {
            EmulatorTestClient client = new EmulatorTestClient(emulator);
            String token = client.token();
            ExecutorService pool = Executors.newFixedThreadPool(16);
            try {
                List<Future<Integer>> results = new ArrayList<>();
                for (int i = 0; i < 200; i++) {
                    String group = "1b2c3d4e-5f60-4718-8293-a4b5c6d7e%03d".formatted(i % 100);
                    results.add(pool.submit(() -> client.createGroupAssignment(token, group).statusCode()));
                }
                List<Integer> statuses = new ArrayList<>();
                for (Future<Integer> result : results) {
                    statuses.add(result.get());
                }
                assertThat(statuses).filteredOn(s -> s == 201).hasSize(100);
                assertThat(statuses).filteredOn(s -> s == 400).hasSize(100);
            } finally {
                pool.shutdownNow();
            }

            assertThat(emulator.assignments(EmulatorTestClient.TENANT, EmulatorTestClient.POLICY)).hasSize(100);
            assertThat(emulator.duplicateAssignments(EmulatorTestClient.TENANT)).as("refused second creates")
                    .isEqualTo(100);
            assertThat(emulator.stats().writesPerformed()).isEqualTo(100);
            assertThat(emulator.stats().count(EmulatorStats.Operation.CREATE, 201)).isEqualTo(100);
            assertThat(emulator.stats().count(EmulatorStats.Operation.CREATE, 400)).isEqualTo(100);
        }
    }
}
