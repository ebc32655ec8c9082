package io.assignmentworker.emulator;

import static io.assignmentworker.emulator.EmulatorTestClient.GROUP;
import static io.assignmentworker.emulator.EmulatorTestClient.POLICY;
import static io.assignmentworker.emulator.EmulatorTestClient.TENANT;
import static io.assignmentworker.emulator.EmulatorTestClient.json;
import static io.assignmentworker.emulator.EmulatorTestClient.policyPath;
import static org.assertj.core.api.Assertions.assertThat;

import java.net.http.HttpResponse;
import java.time.Duration;
import org.junit.jupiter.api.Test;

class FaultInjectionTest extends StandardEmulatorTest {

    @Test
    void answers503ForEveryCallDuringOutageUntilSwitchedOff() {
        emulator.tenant(TENANT).outage(true);

        HttpResponse<String> read = client.get(policyPath(POLICY), token);
        HttpResponse<String> write = client.createGroupAssignment(token, GROUP);
        emulator.tenant(TENANT).outage(false);

        assertThat(read.statusCode()).isEqualTo(503);
        assertThat(json(read).get("error").get("code").stringValue()).isEqualTo("ServiceUnavailable");
        assertThat(write.statusCode()).isEqualTo(503);
        assertThat(emulator.assignments(TENANT, POLICY)).isEmpty();
        assertThat(client.get(policyPath(POLICY), token).statusCode()).isEqualTo(200);
    }

    @Test
    void answers503WithoutWritingAtUnavailableRatioOne() {
        emulator.tenant(TENANT).unavailableRatio(1);

        HttpResponse<String> write = client.createGroupAssignment(token, GROUP);

        assertThat(write.statusCode()).isEqualTo(503);
        assertThat(emulator.assignments(TENANT, POLICY)).isEmpty();
        assertThat(emulator.stats().writesPerformed()).isZero();
    }

    @Test
    void performsWriteThenAnswers504AtAmbiguousTimeoutRatioOne() {
        emulator.tenant(TENANT).ambiguousTimeoutRatio(1);

        HttpResponse<String> write = client.createGroupAssignment(token, GROUP);

        assertThat(write.statusCode()).isEqualTo(504);
        assertThat(json(write).get("error").get("code").stringValue()).isEqualTo("GatewayTimeout");
        assertThat(emulator.assignments(TENANT, POLICY)).hasSize(1);
        assertThat(emulator.stats().writesPerformed()).isEqualTo(1);
        assertThat(client.get(policyPath(POLICY), token).statusCode()).as("reads are unaffected").isEqualTo(200);
    }

    @Test
    void failsExactlyTheNextCallsWithTheGivenStatus() {
        emulator.tenant(TENANT).failNext(2, 500);

        HttpResponse<String> first = client.createGroupAssignment(token, GROUP);
        HttpResponse<String> second = client.get(policyPath(POLICY), token);
        HttpResponse<String> third = client.createGroupAssignment(token, GROUP);

        assertThat(first.statusCode()).isEqualTo(500);
        assertThat(json(first).get("error").get("code").stringValue()).isEqualTo("InternalServerError");
        assertThat(second.statusCode()).isEqualTo(500);
        assertThat(third.statusCode()).isEqualTo(201);
        assertThat(emulator.assignments(TENANT, POLICY)).hasSize(1);
    }

    @Test
    void injected429CarriesRetryAfterOfOneSecond() {
        emulator.tenant(TENANT).failNext(1, 429);

        HttpResponse<String> throttled = client.createGroupAssignment(token, GROUP);

        assertThat(throttled.statusCode()).isEqualTo(429);
        assertThat(throttled.headers().firstValue("Retry-After")).hasValue("1");
        assertThat(emulator.stats().throttled()).isEqualTo(1);
    }

    @Test
    void delaysEachCallByTheTenantLatency() {
        emulator.tenant(TENANT).latency(Duration.ofMillis(150), Duration.ZERO);

        long start = System.nanoTime();
        assertThat(client.get(policyPath(POLICY), token).statusCode()).isEqualTo(200);

        assertThat(Duration.ofNanos(System.nanoTime() - start)).isGreaterThanOrEqualTo(Duration.ofMillis(150));
    }
}
