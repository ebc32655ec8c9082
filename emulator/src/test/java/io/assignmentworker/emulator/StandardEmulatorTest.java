package io.assignmentworker.emulator;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;

/** A test against a fresh standard emulator (its tenant, app and policy), with a client and a token for it. */
abstract class StandardEmulatorTest {

    GraphEmulator emulator;
    EmulatorTestClient client;
    String token;

    @BeforeEach
    void start() {
        emulator = EmulatorTestClient.standardEmulator(EmulatorSettings.defaults());
        client = new EmulatorTestClient(emulator);
        token = client.token();
    }

    @AfterEach
    void stop() {
        emulator.close();
    }
}
