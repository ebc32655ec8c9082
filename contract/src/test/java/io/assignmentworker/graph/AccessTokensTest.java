package io.assignmentworker.graph;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import io.assignmentworker.emulator.EmulatorSettings;
import io.assignmentworker.emulator.GraphEmulator;
import io.assignmentworker.outcome.ErrorCategory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Client-credential tokens from the Entra ID emulator over https, through MSAL for Java. */
class AccessTokensTest {

    static final String TENANT = "8f1c7e2a-1b2c-4d5e-8f90-0a1b2c3d4e5f";
    static final String CLIENT = "6b3a9d2e-5c4f-4e1a-9b8c-7d6e5f4a3b2c";

    GraphEmulator emulator;
    ExecutorService executor = Executors.newFixedThreadPool(2);

    @BeforeEach
    void start() {
        emulator = GraphEmulator.start(EmulatorSettings.defaults().withTokenTtl(Duration.ofSeconds(4)));
        emulator.registerApp(TENANT, CLIENT, "right-secret");
    }

    @AfterEach
    void stop() {
        emulator.close();
        executor.shutdownNow();
    }

    AccessTokens tokens(String secret, Path federatedTokenFile) {
        return new AccessTokens(new AuthProperties(emulator.authorityHost(), TENANT, CLIENT, secret, federatedTokenFile,
                "https://graph.microsoft.com/.default"), Clock.systemUTC(), TokenRequests.IGNORED,
                executor);
    }

    static String get(java.util.concurrent.CompletableFuture<String> token) throws Exception {
        return token.get(20, TimeUnit.SECONDS);
    }

    @Test
    void sharesOneTokenUntilItNearsExpiryThenRenewsItAhead() throws Exception {
        AccessTokens tokens = tokens("right-secret", null);

        String first = get(tokens.token(TENANT));
        String again = get(tokens.token(TENANT));
        Thread.sleep(3_200); // a 4 s token is renewed a quarter of its life before it ends
        String renewed = get(tokens.token(TENANT));

        assertThat(again).isEqualTo(first);
        assertThat(renewed).isNotEqualTo(first);
        assertThat(emulator.stats().tokensIssued()).isEqualTo(2);
    }

    @Test
    void renewsARejectedTokenOnceForAllWhoSawItRejected() throws Exception {
        AccessTokens tokens = tokens("right-secret", null);
        String first = get(tokens.token(TENANT));

        String renewed = get(tokens.renew(TENANT, first));
        String renewedAgain = get(tokens.renew(TENANT, first));

        assertThat(renewed).isNotEqualTo(first).isEqualTo(renewedAgain);
        assertThat(emulator.stats().tokensIssued()).isEqualTo(2);
    }

    @Test
    void signsInWithAWorkloadIdentityTokenFile(@TempDir Path dir) throws Exception {
        Path tokenFile = dir.resolve("azure-identity-token");
        Files.writeString(tokenFile, "eyJhbGciOiJSUzI1NiJ9.eyJzdWIiOiJzeXN0ZW06c2VydmljZWFjY291bnQifQ.c2lnbmF0dXJl\n");

        String token = get(tokens(null, tokenFile).token(TENANT));

        assertThat(token).isNotBlank();
    }

    @Test
    void reportsRefusedCredentialsAsAPermanentAuthenticationFailureWithoutTheSecret() {
        Throwable failure = catchThrowable(() -> get(tokens("wrong-secret-value", null).token(TENANT)));

        GraphError error = ((GraphException) failure.getCause()).error();
        assertThat(error.category()).isEqualTo(ErrorCategory.AUTHENTICATION);
        assertThat(error.transientError()).isFalse();
        assertThat(error.code()).isEqualTo("invalid_client");
        assertThat(error.message()).contains("AADSTS7000215").doesNotContain("wrong-secret-value");
    }

    static final String OTHER_TENANT = "2d7e9c41-6a3b-4f8e-9d2c-1b0a9f8e7d6c";
    static final String CERT_CLIENT = "7c4b0e3f-6d5a-4f2b-8c9d-0e1f2a3b4c5d";
    static final String CERT_PASSWORD = "test-only-password";

    static Path certificateFile(String name) throws Exception {
        return Path.of(AccessTokensTest.class.getResource("/auth/" + name + ".p12").toURI());
    }

    static java.security.cert.X509Certificate certificate(String name) throws Exception {
        java.security.KeyStore store = java.security.KeyStore.getInstance("PKCS12");
        try (var in = Files.newInputStream(certificateFile(name))) {
            store.load(in, CERT_PASSWORD.toCharArray());
        }
        return (java.security.cert.X509Certificate) store.getCertificate("app");
    }

    /** The default tenant with its secret, and a second tenant whose app signs in with a certificate. */
    AccessTokens twoTenants(String certificate) throws Exception {
        AuthProperties auth = new AuthProperties(emulator.authorityHost(), TENANT, CLIENT, "right-secret", null,
                null, null, "https://graph.microsoft.com/.default", java.util.List.of(
                        new AuthProperties.TenantCredentials(OTHER_TENANT, CERT_CLIENT, null, null,
                                certificateFile(certificate), CERT_PASSWORD)));
        return new AccessTokens(auth, Clock.systemUTC(), TokenRequests.IGNORED, executor);
    }

    @Test
    void signsInToEachTenantWithItsOwnAppAndCredential() throws Exception {
        emulator.registerAppCertificate(OTHER_TENANT, CERT_CLIENT, certificate("app-certificate"));
        AccessTokens tokens = twoTenants("app-certificate");

        String first = get(tokens.token(TENANT));
        String other = get(tokens.token(OTHER_TENANT.toUpperCase()));

        assertThat(other).isNotBlank().isNotEqualTo(first);
        assertThat(emulator.stats().tokensIssued()).isEqualTo(2);
    }

    @Test
    void refusesAnAssertionSignedWithAnotherCertificatesKey() throws Exception {
        emulator.registerAppCertificate(OTHER_TENANT, CERT_CLIENT, certificate("app-certificate"));
        AccessTokens tokens = twoTenants("other-certificate");

        Throwable failure = catchThrowable(() -> get(tokens.token(OTHER_TENANT)));

        GraphError error = ((GraphException) failure.getCause()).error();
        assertThat(error.category()).isEqualTo(ErrorCategory.AUTHENTICATION);
        assertThat(error.message()).contains("AADSTS700027");
        assertThat(tokens.refusedTenants()).containsOnlyKeys(OTHER_TENANT);
        assertThat(get(tokens.token(TENANT))).as("the other tenant is unaffected").isNotBlank();
    }

    @Test
    void refusesToStartWithACertificateItCannotOpen() {
        Throwable failure = catchThrowable(() -> new AccessTokens(new AuthProperties(emulator.authorityHost(), TENANT,
                CLIENT, null, null, certificateFile("app-certificate"), "wrong-password",
                "https://graph.microsoft.com/.default", null), Clock.systemUTC(),
                TokenRequests.IGNORED, executor));

        assertThat(failure).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("cannot read the certificate file").hasMessageNotContaining("wrong-password");
    }
}
