package io.assignmentworker.emulator;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class ThrottleGateTest {
    private static final Duration WINDOW = Duration.ofSeconds(20);

    @Test
    void refusesWriteOverWriteBudgetWithWaitUntilOldestLeavesWindow() {
        TenantBehaviour behaviour = new TenantBehaviour(EmulatorSettings.defaults().withWriteBudget(1));
        ThrottleGate gate = new ThrottleGate();

        assertThat(gate.tryAdmit(true, behaviour, WINDOW)).isZero();
        Duration wait = gate.tryAdmit(true, behaviour, WINDOW);

        assertThat(wait).isPositive().isLessThanOrEqualTo(WINDOW).isGreaterThan(Duration.ofSeconds(19));
        assertThat(gate.tryAdmit(false, behaviour, WINDOW)).as("reads draw on the request budget only").isZero();
    }

    @Test
    void honoursABudgetLoweredAtRuntime() {
        TenantBehaviour behaviour = new TenantBehaviour(EmulatorSettings.defaults());
        ThrottleGate gate = new ThrottleGate();
        for (int i = 0; i < 5; i++) {
            assertThat(gate.tryAdmit(false, behaviour, WINDOW)).isZero();
        }

        behaviour.requestBudget(2);

        assertThat(gate.tryAdmit(false, behaviour, WINDOW)).isPositive();
    }

    @Test
    void keepsNoStateForUnlimitedBudgets() {
        TenantBehaviour behaviour = new TenantBehaviour(EmulatorSettings.defaults()
                .withWriteBudget(EmulatorSettings.UNLIMITED).withRequestBudget(EmulatorSettings.UNLIMITED));
        ThrottleGate gate = new ThrottleGate();

        for (int i = 0; i < 10_000; i++) {
            assertThat(gate.tryAdmit(true, behaviour, WINDOW)).isZero();
        }
        behaviour.writeBudget(1);

        assertThat(gate.tryAdmit(true, behaviour, WINDOW)).as("the window starts empty").isZero();
    }
}
