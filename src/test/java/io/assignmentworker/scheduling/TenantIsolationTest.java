package io.assignmentworker.scheduling;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.assignmentworker.emulator.EmulatorSettings;
import io.assignmentworker.emulator.GraphEmulator;
import io.assignmentworker.graph.AuthProperties;
import io.assignmentworker.graph.Strategy;
import io.assignmentworker.outcome.ErrorCategory;
import io.assignmentworker.outcome.Outcome;
import io.assignmentworker.outcome.RecordSource;
import io.assignmentworker.request.AssignmentRequest;
import io.assignmentworker.request.AssignmentSource;
import io.assignmentworker.request.AssignmentTarget;
import io.assignmentworker.request.FilterType;
import io.assignmentworker.request.TargetType;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Two tenants, each with its own app registration (one signs in with a secret, the other with a certificate)
 * and its own budget: one tenant's throttling and outage never slow the other, and a request for a tenant the
 * worker has no credentials for fails clearly.
 */
class TenantIsolationTest {

    private static final String TROUBLED = "8f1c7e2a-1b2c-4d5e-8f90-0a1b2c3d4e5f";
    private static final String HEALTHY = "2d7e9c41-6a3b-4f8e-9d2c-1b0a9f8e7d6c";
    private static final String TROUBLED_CLIENT = "3c1f6a7e-0000-4000-8000-00000000c1d1";
    private static final String HEALTHY_CLIENT = "7c4b0e3f-6d5a-4f2b-8c9d-0e1f2a3b4c5d";
    private static final String PASSWORD = "test-only-password";

    private GraphEmulator emulator;
    private GraphStackFixture stack;

    @TempDir
    Path dir;

    @BeforeEach
    void start() throws Exception {
        emulator = GraphEmulator.start(EmulatorSettings.defaults().withWriteBudget(100_000)
                .withRequestBudget(1_000_000));
        emulator.registerApp(TROUBLED, TROUBLED_CLIENT, "troubled-secret");
        // A file, as the worker is given one; the test resource may sit inside the contract's test jar.
        Path certificate = dir.resolve("app-certificate.p12");
        try (InputStream in = getClass().getResourceAsStream("/auth/app-certificate.p12")) {
            Files.copy(in, certificate);
        }
        emulator.registerAppCertificate(HEALTHY, HEALTHY_CLIENT, certificate(certificate));
        AuthProperties auth = new AuthProperties(emulator.authorityHost(), TROUBLED, TROUBLED_CLIENT,
                "troubled-secret", null, null, null, "https://graph.microsoft.com/.default", List.of(
                        new AuthProperties.TenantCredentials(HEALTHY, HEALTHY_CLIENT, null, null, certificate,
                                PASSWORD)));
        // Each tenant has its own budget: 25 writes per second for the troubled one, 200 for the healthy one.
        SchedulingProperties scheduling = GraphStackFixture.fastScheduling(200, Duration.ofSeconds(1),
                Map.of(TROUBLED, new SchedulingProperties.TenantBudget(25, null)));
        stack = new GraphStackFixture(emulator, auth, scheduling, Strategy.CREATE);
    }

    @AfterEach
    void stop() {
        stack.close();
        emulator.close();
    }

    private static X509Certificate certificate(Path file) throws Exception {
        KeyStore store = KeyStore.getInstance("PKCS12");
        try (var in = Files.newInputStream(file)) {
            store.load(in, PASSWORD.toCharArray());
        }
        return (X509Certificate) store.getCertificate("app");
    }

    private String policy(String tenant) {
        String id = UUID.randomUUID().toString();
        emulator.addPolicy(tenant, id, "policy");
        return id;
    }

    private static ReceivedRequest request(String tenant, String policy) {
        return new ReceivedRequest(new AssignmentRequest("r-" + UUID.randomUUID(), tenant, policy, "rollout",
                new AssignmentTarget(TargetType.GROUP, UUID.randomUUID().toString(), null, null, FilterType.NONE),
                AssignmentSource.DIRECT, null), new RecordSource("t", 0, 0), Instant.now());
    }

    @Test
    void oneTenantsThrottlingAndOutageNeverSlowTheOther() throws Exception {
        // The troubled tenant throttles everything, then goes down; its requests wait.
        emulator.tenant(TROUBLED).writeBudget(1).outage(true);
        List<CompletableFuture<Outcome>> troubled = new ArrayList<>();
        for (int i = 0; i < 50; i++) {
            troubled.add(stack.scheduler.schedule(request(TROUBLED, policy(TROUBLED))));
        }
        List<CompletableFuture<Outcome>> healthy = new ArrayList<>();
        for (int i = 0; i < 300; i++) {
            healthy.add(stack.scheduler.schedule(request(HEALTHY, policy(HEALTHY))));
        }

        for (CompletableFuture<Outcome> outcome : healthy) {
            assertThat(outcome.get(30, TimeUnit.SECONDS)).isInstanceOf(Outcome.Created.class);
        }
        // All of the healthy tenant's requests are done while the troubled tenant's still wait, unanswered.
        assertThat(troubled).noneMatch(CompletableFuture::isDone);
        assertThat(stack.pacer.inOutage(TROUBLED)).isTrue();
        assertThat(stack.pacer.inOutage(HEALTHY)).isFalse();
        assertThat(stack.pacer.anyTenantHeldBack()).as("the intake then reads as far ahead as it may").isTrue();

        emulator.tenant(TROUBLED).outage(false).writeBudget(100_000);
        for (CompletableFuture<Outcome> outcome : troubled) {
            assertThat(outcome.get(60, TimeUnit.SECONDS)).isInstanceOf(Outcome.Created.class);
        }
        await().atMost(Duration.ofSeconds(30)).until(() -> !stack.pacer.anyTenantHeldBack());
        assertThat(emulator.duplicateAssignments(TROUBLED)).isZero();
        assertThat(emulator.duplicateAssignments(HEALTHY)).isZero();
    }

    @Test
    void failsARequestForATenantWithoutCredentialsAtOnceNamingNoOtherTenant() throws Exception {
        String stranger = "11111111-2222-4333-8444-555555555555";

        Outcome outcome = stack.scheduler.schedule(request(stranger, UUID.randomUUID().toString()))
                .get(10, TimeUnit.SECONDS);

        Outcome.Failed failed = (Outcome.Failed) outcome;
        assertThat(failed.error().category()).isEqualTo(ErrorCategory.UNKNOWN_TENANT);
        assertThat(failed.error().message()).contains(stranger).doesNotContain(TROUBLED).doesNotContain(HEALTHY);
        assertThat(failed.attempts()).isZero();
    }

    @Test
    void sendsRequestsWithoutATenantToTheDefaultTenant() throws Exception {
        String policy = policy(TROUBLED);
        ReceivedRequest withTenant = request(TROUBLED, policy);
        AssignmentRequest r = withTenant.request();
        ReceivedRequest withoutTenant = new ReceivedRequest(new AssignmentRequest(r.requestId(), null, policy,
                r.rolloutId(), r.target(), r.source(), null), withTenant.source(), withTenant.receivedAt());

        Outcome outcome = stack.scheduler.schedule(withoutTenant).get(30, TimeUnit.SECONDS);

        assertThat(outcome.tenantId()).isEqualTo(TROUBLED);
        assertThat(emulator.assignments(TROUBLED, policy)).hasSize(1);
    }
}
