package io.assignmentworker.emulator;

import java.time.Clock;

/** The shared state of one emulator instance, handed to its handlers. */
record EmulatorState(EmulatorSettings settings, Clock clock, EmulatedTenants tenants, TokenStore tokens,
                     StatsRecorder stats, Dice dice, OperationDelays delays) {

    EmulatorState(EmulatorSettings settings, Clock clock) {
        this(settings, clock, new EmulatedTenants(settings), new TokenStore(clock, settings.tokenTtl()),
                new StatsRecorder(), new Dice(settings.seed()), new OperationDelays());
    }
}
