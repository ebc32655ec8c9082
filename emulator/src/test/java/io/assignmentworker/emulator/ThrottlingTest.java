package io.assignmentworker.emulator;

import static io.assignmentworker.emulator.EmulatorTestClient.GROUP;
import static io.assignmentworker.emulator.EmulatorTestClient.POLICY;
import static io.assignmentworker.emulator.EmulatorTestClient.TENANT;
import static io.assignmentworker.emulator.EmulatorTestClient.json;
import static io.assignmentworker.emulator.EmulatorTestClient.policyPath;
import static org.assertj.core.api.Assertions.assertThat;

import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class ThrottlingTest {
    private static final String OTHER_GROUP = "1b2c3d4e-5f60-4718-8293-a4b5c6d7e8f9";
    private static final String THIRD_GROUP = "2c3d4e5f-6071-4829-93a4-b5c6d7e8f9a0";

    private GraphEmulator emulator;
    private EmulatorTestClient client;
    private String token;

    private void start(EmulatorSettings settings) {
        emulator = EmulatorTestClient.standardEmulator(settings);
        client = new EmulatorTestClient(emulator);
        token = client.token();
    }

    @AfterEach
    void stop() {
        emulator.close();
    }

    @Test
    void answers429WithRetryAfterWhenWriteBudgetIsSpent() {
        start(EmulatorSettings.defaults().withWriteBudget(2));

        assertThat(client.createGroupAssignment(token, GROUP).statusCode()).isEqualTo(201);
        assertThat(client.createGroupAssignment(token, OTHER_GROUP).statusCode()).isEqualTo(201);
        HttpResponse<String> throttled = client.createGroupAssignment(token, THIRD_GROUP);

        assertThat(throttled.statusCode()).isEqualTo(429);
        assertThat(json(throttled).get("error").get("code").stringValue()).isEqualTo("TooManyRequests");
        assertThat(throttled.headers().firstValue("Retry-After")).hasValueSatisfying(
                v -> assertThat(Integer.parseInt(v)).isBetween(19, 20));
        assertThat(emulator.assignments(TENANT, POLICY)).hasSize(2);
        assertThat(emulator.stats().throttled()).isEqualTo(1);
        assertThat(client.get(policyPath(POLICY), token).statusCode()).as("reads are not writes").isEqualTo(200);
    }

    @Test
    void writesFractionalRetryAfterWhenConfigured() {
        start(EmulatorSettings.defaults().withWriteBudget(1).withRetryAfterFormat(RetryAfterFormat.FRACTIONAL_SECONDS));
        client.createGroupAssignment(token, GROUP);

        HttpResponse<String> throttled = client.createGroupAssignment(token, GROUP);

        assertThat(throttled.statusCode()).isEqualTo(429);
        assertThat(throttled.headers().firstValue("Retry-After")).hasValueSatisfying(
                v -> assertThat(v).matches("\\d+\\.\\d{3}").satisfies(
                        s -> assertThat(Double.parseDouble(s)).isBetween(19.0, 20.0)));
    }

    @Test
    void writesHttpDateRetryAfterWhenConfigured() {
        start(EmulatorSettings.defaults().withWriteBudget(1).withRetryAfterFormat(RetryAfterFormat.HTTP_DATE));
        client.createGroupAssignment(token, GROUP);

        HttpResponse<String> throttled = client.createGroupAssignment(token, GROUP);

        assertThat(throttled.statusCode()).isEqualTo(429);
        ZonedDateTime retryAt = ZonedDateTime.parse(throttled.headers().firstValue("Retry-After").orElseThrow(),
                DateTimeFormatter.RFC_1123_DATE_TIME);
        assertThat(Duration.between(ZonedDateTime.now(), retryAt).toSeconds()).isBetween(18L, 21L);
    }

    @Test
    void omitsRetryAfterAtOmitRatioOne() {
        start(EmulatorSettings.defaults().withWriteBudget(1).withOmitRetryAfterRatio(1));
        client.createGroupAssignment(token, GROUP);

        HttpResponse<String> throttled = client.createGroupAssignment(token, GROUP);

        assertThat(throttled.statusCode()).isEqualTo(429);
        assertThat(throttled.headers().firstValue("Retry-After")).isEmpty();
    }

    @Test
    void throttlesAllRequestsOverRequestBudget() {
        start(EmulatorSettings.defaults());
        emulator.tenant(TENANT).requestBudget(2);

        assertThat(client.get(policyPath(POLICY), token).statusCode()).isEqualTo(200);
        assertThat(client.get(policyPath(POLICY), token).statusCode()).isEqualTo(200);

        assertThat(client.get(policyPath(POLICY), token).statusCode()).isEqualTo(429);
    }

    @Test
    void throttledCallsDoNotConsumeBudgetAndWindowSlides() throws InterruptedException {
        start(EmulatorSettings.defaults().withWriteBudget(1).withBudgetWindow(Duration.ofMillis(400)));
        assertThat(client.createGroupAssignment(token, GROUP).statusCode()).isEqualTo(201);
        for (int i = 0; i < 5; i++) {
            assertThat(client.createGroupAssignment(token, GROUP).statusCode()).isEqualTo(429);
        }

        Thread.sleep(450);

        assertThat(client.createGroupAssignment(token, OTHER_GROUP).statusCode()).isEqualTo(201);
        assertThat(emulator.stats().writesPerformed()).isEqualTo(2);
    }
}
