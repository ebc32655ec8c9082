package io.assignmentworker.process;

import io.assignmentworker.emulator.EmulatorSettings;
import io.assignmentworker.emulator.GraphEmulator;
import java.nio.file.Path;
import java.util.List;
import java.util.UUID;
import java.util.stream.IntStream;
import tools.jackson.databind.JsonNode;

/**
 * The Graph and Entra ID emulator in the test JVM, with one tenant, the worker's app registration and a set of
 * compliance policies: what an Intune administrator would have prepared before a rollout.
 */
final class GraphFixture implements AutoCloseable {

    static final String TENANT = "8f1c7e2a-1b2c-4d5e-8f90-0a1b2c3d4e5f";
    static final String CLIENT_ID = "3c1f6a7e-0000-4000-8000-00000000c1d1";

    private final GraphEmulator emulator;
    private final String secret = "process-test-secret-" + UUID.randomUUID();
    private final Path trustStore;

    private GraphFixture(GraphEmulator emulator, Path trustStore) {
        this.emulator = emulator;
        this.trustStore = trustStore;
        emulator.registerApp(TENANT, CLIENT_ID, secret);
    }

    static GraphFixture start(EmulatorSettings settings) {
        GraphEmulator emulator = GraphEmulator.start(settings);
        return new GraphFixture(emulator, emulator.writeTrustStore(ProcessLogs.root()));
    }

    /** Creates {@code count} policies and returns their ids. */
    List<String> addPolicies(int count) {
        return IntStream.range(0, count).mapToObj(i -> {
            String policyId = UUID.randomUUID().toString();
            emulator.addPolicy(TENANT, policyId, "Windows compliance " + (i + 1));
            return policyId;
        }).toList();
    }

    GraphEmulator emulator() {
        return emulator;
    }

    List<JsonNode> assignments(String policyId) {
        return emulator.assignments(TENANT, policyId);
    }

    int duplicateAssignments() {
        return emulator.duplicateAssignments(TENANT);
    }

    /** Settings for a worker that signs in to this tenant through the emulator. */
    WorkerSettings worker(String bootstrapServers, TopicNames topics, int budget) {
        return new WorkerSettings(bootstrapServers, topics.requests(), topics.results(), topics.group(),
                emulator.graphBaseUrl(), emulator.authorityHost(), TENANT, CLIENT_ID, secret, budget, budget * 10,
                trustStore);
    }

    @Override
    public void close() {
        emulator.close();
    }
}
