package io.assignmentworker.emulator;

import static io.assignmentworker.emulator.EmulatorTestClient.GROUP;
import static io.assignmentworker.emulator.EmulatorTestClient.POLICY;
import static io.assignmentworker.emulator.EmulatorTestClient.TENANT;
import static io.assignmentworker.emulator.EmulatorTestClient.assignmentsPath;
import static io.assignmentworker.emulator.EmulatorTestClient.groupAssignment;
import static io.assignmentworker.emulator.EmulatorTestClient.json;
import static io.assignmentworker.emulator.EmulatorTestClient.policyPath;
import static org.assertj.core.api.Assertions.assertThat;

import io.assignmentworker.emulator.EmulatorStats.InjectedFault;
import java.net.http.HttpResponse;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

/** The one-shot malformed replies of {@link TenantBehaviour}: each happens exactly as many times as asked. */
class MalformedRepliesTest {
    private static final int PAGE_SIZE = 2;

    private GraphEmulator emulator;
    private EmulatorTestClient client;
    private String token;

    @BeforeEach
    void start() {
        emulator = EmulatorTestClient.standardEmulator(EmulatorSettings.defaults().withPageSize(PAGE_SIZE));
        client = new EmulatorTestClient(emulator);
        token = client.token();
        for (int i = 0; i < 5; i++) {
            emulator.addAssignment(TENANT, POLICY, EmulatorTestClient.JSON.readTree(
                    groupAssignment("1b2c3d4e-5f60-4718-8293-a4b5c6d7e8f" + i)));
        }
    }

    @AfterEach
    void stop() {
        emulator.close();
    }

    @Test
    void answersListsWithoutValueExactlyTheNextNTimes() {
        emulator.tenant(TENANT).listWithoutValue(2);

        HttpResponse<String> first = client.get(assignmentsPath(POLICY), token);
        HttpResponse<String> followUp = client.getUrl(nextLink(first), token);
        HttpResponse<String> third = client.get(assignmentsPath(POLICY), token);

        for (HttpResponse<String> malformed : List.of(first, followUp)) {
            assertThat(malformed.statusCode()).isEqualTo(200);
            assertThat(json(malformed).isObject()).isTrue();
            assertThat(json(malformed).has("value")).isFalse();
            assertThat(json(malformed).has("@odata.context")).isTrue();
        }
        assertThat(json(third).get("value")).hasSize(PAGE_SIZE);
        assertThat(emulator.tenant(TENANT).listWithoutValue()).isZero();
        assertThat(emulator.stats().injected(InjectedFault.LIST_WITHOUT_VALUE)).isEqualTo(2);
    }

    @Test
    void failsOnlyFollowUpPagesWith503ExactlyTheNextNTimes() {
        emulator.tenant(TENANT).failNextPage(1);

        HttpResponse<String> first = client.get(assignmentsPath(POLICY), token);
        String next = nextLink(first);
        HttpResponse<String> failed = client.getUrl(next, token);
        HttpResponse<String> retried = client.getUrl(next, token);

        assertThat(first.statusCode()).as("a first page is not a follow-up").isEqualTo(200);
        assertThat(failed.statusCode()).isEqualTo(503);
        JsonNode error = json(failed).get("error");
        assertThat(error.get("code").stringValue()).isEqualTo("ServiceUnavailable");
        assertThat(error.get("innerError").get("request-id").stringValue())
                .isEqualTo(failed.headers().firstValue("request-id").orElseThrow());
        assertThat(retried.statusCode()).isEqualTo(200);
        assertThat(json(retried).get("value")).hasSize(PAGE_SIZE);
        assertThat(client.getUrl(nextLink(retried), token).statusCode()).isEqualTo(200);
        assertThat(emulator.stats().injected(InjectedFault.FAILED_NEXT_PAGE)).isEqualTo(1);
    }

    @Test
    void givesFirstPagesANextLinkThatAnswers400ExactlyTheNextNTimes() {
        emulator.tenant(TENANT).brokenNextLink(1);

        HttpResponse<String> first = client.get(assignmentsPath(POLICY), token);
        HttpResponse<String> followed = client.getUrl(nextLink(first), token);
        HttpResponse<String> again = client.get(assignmentsPath(POLICY), token);

        assertThat(first.statusCode()).isEqualTo(200);
        assertThat(json(first).get("value")).hasSize(PAGE_SIZE);
        assertThat(nextLink(first)).startsWith(emulator.graphBaseUrl() + assignmentsPath(POLICY) + "?$skiptoken=");
        assertThat(followed.statusCode()).isEqualTo(400);
        assertThat(json(followed).get("error").get("code").stringValue()).isEqualTo("BadRequest");
        assertThat(json(followed).get("error").get("message").stringValue()).contains("has expired");
        assertThat(client.getUrl(nextLink(again), token).statusCode()).as("the next listing is whole")
                .isEqualTo(200);
        assertThat(emulator.stats().injected(InjectedFault.BROKEN_NEXT_LINK)).isEqualTo(1);
    }

    @Test
    void givesABrokenNextLinkEvenWhenEverythingFitsOnePage() {
        emulator.close();
        emulator = EmulatorTestClient.standardEmulator(EmulatorSettings.defaults());
        client = new EmulatorTestClient(emulator);
        token = client.token();
        emulator.tenant(TENANT).brokenNextLink(1);

        HttpResponse<String> only = client.get(assignmentsPath(POLICY), token);

        assertThat(json(only).get("value")).isEmpty();
        assertThat(client.getUrl(nextLink(only), token).statusCode()).isEqualTo(400);
        assertThat(json(client.get(assignmentsPath(POLICY), token)).has("@odata.nextLink")).isFalse();
    }

    @Test
    void performsAssignButAnswersWithoutBodyExactlyTheNextNTimes() {
        emulator.tenant(TENANT).assignWithoutBody(1);
        String other = "2c3d4e5f-6071-4829-93a4-b5c6d7e8f9a0";

        HttpResponse<String> refused = assign(groupAssignment(GROUP) + "," + groupAssignment(GROUP));
        HttpResponse<String> bodiless = assign(groupAssignment(GROUP));
        HttpResponse<String> normal = assign(groupAssignment(GROUP) + "," + groupAssignment(other));

        assertThat(refused.statusCode()).as("a refused assign does not take one").isEqualTo(400);
        assertThat(bodiless.statusCode()).isEqualTo(200);
        assertThat(bodiless.body()).isEmpty();
        assertThat(bodiless.headers().firstValue("request-id")).isPresent();
        assertThat(normal.statusCode()).isEqualTo(200);
        assertThat(json(normal).get("value")).hasSize(2);
        assertThat(emulator.assignments(TENANT, POLICY)).hasSize(2);
        assertThat(emulator.stats().writesPerformed()).as("both successful assigns wrote").isEqualTo(2);
        assertThat(emulator.stats().injected(InjectedFault.ASSIGN_WITHOUT_BODY)).isEqualTo(1);
    }

    @Test
    void dropsTheFirstEntryThePolicyHeldFromTheNextAssignOnly() {
        String other = "2c3d4e5f-6071-4829-93a4-b5c6d7e8f9a0";
        String third = "3d4e5f60-7182-4930-a4b5-c6d7e8f9a0b1";
        assign(groupAssignment(GROUP));
        emulator.tenant(TENANT).assignDropsExisting(1);

        HttpResponse<String> dropping = assign(groupAssignment(GROUP) + "," + groupAssignment(other));
        HttpResponse<String> normal = assign(groupAssignment(other) + "," + groupAssignment(third));

        assertThat(dropping.statusCode()).isEqualTo(200);
        assertThat(json(dropping).get("value")).as("the reply shows what was stored").hasSize(1);
        assertThat(normal.statusCode()).isEqualTo(200);
        assertThat(emulator.assignments(TENANT, POLICY)).extracting(a -> a.path("target").path("groupId").asString())
                .containsExactlyInAnyOrder(other, third);
        assertThat(emulator.stats().injected(InjectedFault.ASSIGN_DROPPED_EXISTING)).isEqualTo(1);
    }

    @Test
    void setsTheKnobsThroughTheAdminEndpointAndReportsWhatIsPending() {
        HttpResponse<String> set = client.admin("POST", "tenants/" + TENANT + "/behaviour",
                "{\"listWithoutValue\":3,\"failNextPage\":2,\"brokenNextLink\":1,\"assignWithoutBody\":4}");
        client.get(assignmentsPath(POLICY), token);

        assertThat(set.statusCode()).isEqualTo(200);
        JsonNode now = json(client.admin("GET", "tenants/" + TENANT + "/behaviour", null));
        assertThat(now.get("listWithoutValue").asInt()).isEqualTo(2);
        assertThat(now.get("failNextPage").asInt()).isEqualTo(2);
        assertThat(now.get("brokenNextLink").asInt()).isZero();
        assertThat(now.get("assignWithoutBody").asInt()).isEqualTo(4);
        JsonNode injected = json(client.admin("GET", "stats", null)).get("injected");
        assertThat(injected.get("LIST_WITHOUT_VALUE").asLong()).isEqualTo(1);
        assertThat(injected.get("BROKEN_NEXT_LINK").asLong()).isEqualTo(1);
        assertThat(injected.get("ASSIGN_WITHOUT_BODY").asLong()).isZero();
    }

    @Test
    void refusesANegativeCountWithoutApplyingAnything() {
        HttpResponse<String> set = client.admin("POST", "tenants/" + TENANT + "/behaviour",
                "{\"listWithoutValue\":3,\"assignWithoutBody\":-1}");

        assertThat(set.statusCode()).isEqualTo(400);
        assertThat(emulator.tenant(TENANT).listWithoutValue()).isZero();
        assertThat(emulator.tenant(TENANT).assignWithoutBody()).isZero();
    }

    private HttpResponse<String> assign(String assignments) {
        return client.post(policyPath(POLICY) + "/assign", token, "{\"assignments\":[" + assignments + "]}");
    }

    private static String nextLink(HttpResponse<String> page) {
        return json(page).get("@odata.nextLink").stringValue();
    }
}
