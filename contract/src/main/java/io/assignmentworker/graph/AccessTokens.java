package io.assignmentworker.graph;

import com.microsoft.aad.msal4j.ClientCredentialFactory;
import com.microsoft.aad.msal4j.ClientCredentialParameters;
import com.microsoft.aad.msal4j.ConfidentialClientApplication;
import com.microsoft.aad.msal4j.IAuthenticationResult;
import com.microsoft.aad.msal4j.IClientCredential;
import com.microsoft.aad.msal4j.MsalServiceException;
import io.assignmentworker.outcome.ErrorCategory;
import java.io.IOException;
import java.io.InputStream;
import java.net.MalformedURLException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;

/**
 * App-only access tokens by OAuth2 client credentials, through MSAL for Java. One token per tenant is shared
 * by every call, renewed ahead of expiry by a single request (Entra ID throttles token requests too), and
 * renewed at once when Graph says it expired. Tokens never leave this class except as a header value.
 */
public final class AccessTokens {

    private static final Duration MAX_RENEW_AHEAD = Duration.ofMinutes(5);

    private final AuthProperties auth;
    private final Map<String, AuthProperties.TenantCredentials> credentials = new HashMap<>();
    private final Clock clock;
    private final TokenRequests requests;
    private final ExecutorService executor;
    private final Map<String, TenantToken> tokens = new ConcurrentHashMap<>();
    private final Map<String, GraphError> refusals = new ConcurrentHashMap<>();

    public AccessTokens(AuthProperties auth, Clock clock, TokenRequests requests, ExecutorService executor) {
        this.auth = auth;
        for (AuthProperties.TenantCredentials tenant : auth.allTenants()) {
            credentials.put(tenant.tenantId().toLowerCase(Locale.ROOT), tenant);
        }
        this.clock = clock;
        this.requests = requests;
        this.executor = executor;
        // Built at start-up, so a wrong certificate file or password stops the worker with its reason.
        credentials.keySet().forEach(this::tenant);
    }

    /** A token for the tenant, cached. */
    public CompletableFuture<String> token(String tenantId) {
        return tenant(tenantId).current(null);
    }

    /** Tenants whose last token request Entra ID refused for good (wrong secret, unknown app), with the reason. */
    public Map<String, GraphError> refusedTenants() {
        return Map.copyOf(refusals);
    }

    /** A new token, unless another caller already replaced {@code rejected}. */
    public CompletableFuture<String> renew(String tenantId, String rejected) {
        return tenant(tenantId).current(rejected);
    }

    private TenantToken tenant(String tenantId) {
        return tokens.computeIfAbsent(tenantId, id -> new TenantToken(id, application(id)));
    }

    private ConfidentialClientApplication application(String tenantId) {
        AuthProperties.TenantCredentials tenant = credentials.get(tenantId.toLowerCase(Locale.ROOT));
        if (tenant == null) {
            throw new IllegalArgumentException("no credentials configured for tenant " + tenantId);
        }
        String host = auth.authorityHost().toString().replaceAll("/+$", "");
        boolean microsoftHost = auth.authorityHost().getHost().endsWith(".microsoftonline.com");
        try {
            return ConfidentialClientApplication.builder(tenant.clientId(), credential(tenant))
                    .authority(host + "/" + tenantId + "/")
                    // Instance discovery asks login.microsoftonline.com about the host: only for Microsoft's hosts.
                    .instanceDiscovery(microsoftHost)
                    .validateAuthority(microsoftHost)
                    .executorService(executor)
                    .build();
        } catch (MalformedURLException e) {
            throw new IllegalArgumentException("worker.auth.authority-host gives no valid authority URL", e);
        }
    }

    /**
     * For workload identity the federated token file, read anew as it is rotated; else a certificate (the
     * assertion is signed with its private key); else the secret.
     */
    private static IClientCredential credential(AuthProperties.TenantCredentials tenant) {
        Path tokenFile = tenant.federatedTokenFile();
        if (tokenFile != null) {
            return ClientCredentialFactory.createFromCallback(() -> Files.readString(tokenFile).trim());
        }
        if (tenant.certificateFile() != null) {
            try (InputStream pkcs12 = Files.newInputStream(tenant.certificateFile())) {
                String password = tenant.certificatePassword() == null ? "" : tenant.certificatePassword();
                return ClientCredentialFactory.createFromCertificate(pkcs12, password);
            } catch (IOException | GeneralSecurityException e) {
                throw new IllegalArgumentException("tenant " + tenant.tenantId() + ": cannot read the certificate "
                        + "file " + tenant.certificateFile() + " (" + e.getClass().getSimpleName() + "; wrong "
                        + "password or not PKCS#12?)", e);
            }
        }
        return ClientCredentialFactory.createFromSecret(tenant.clientSecret());
    }

    private record Token(String value, Instant renewAt) {
    }

    private final class TenantToken {
        private final ConfidentialClientApplication app;
        private CompletableFuture<Token> current;

        private final String tenantId;

        TenantToken(String tenantId, ConfidentialClientApplication app) {
            this.tenantId = tenantId;
            this.app = app;
        }

        synchronized CompletableFuture<String> current(String rejected) {
            if (current == null || needsRenewal(rejected)) {
                current = fetch(rejected != null);
            }
            return current.thenApply(Token::value);
        }

        private boolean needsRenewal(String rejected) {
            if (!current.isDone()) {
                return false;
            }
            if (current.isCompletedExceptionally()) {
                return true;
            }
            Token token = current.join();
            return token.value().equals(rejected) || !clock.instant().isBefore(token.renewAt());
        }

        private CompletableFuture<Token> fetch(boolean afterRejection) {
            ClientCredentialParameters parameters = ClientCredentialParameters.builder(Set.of(auth.scope()))
                    .skipCache(true).build();
            Instant requestedAt = clock.instant();
            return app.acquireToken(parameters).handle((result, failure) -> {
                requests.requested(failure == null, afterRejection);
                if (failure != null) {
                    GraphError error = tokenError(GraphException.unwrap(failure));
                    if (!error.transientError()) {
                        refusals.put(tenantId, error);
                    }
                    throw new CompletionException(new GraphException(error));
                }
                refusals.remove(tenantId);
                return token(result, requestedAt);
            });
        }

        private Token token(IAuthenticationResult result, Instant requestedAt) {
            Instant expiresOn = result.expiresOnDate().toInstant();
            Duration lifetime = Duration.between(requestedAt, expiresOn);
            Duration ahead = lifetime.dividedBy(4).compareTo(MAX_RENEW_AHEAD) < 0 ? lifetime.dividedBy(4)
                    : MAX_RENEW_AHEAD;
            return new Token(result.accessToken(), expiresOn.minus(ahead));
        }
    }

    /** Entra's 4xx answers mean the credentials are wrong; its 429 and 5xx, and I/O failures, pass. */
    static GraphError tokenError(Throwable failure) {
        if (failure instanceof MsalServiceException service) {
            int status = service.statusCode();
            boolean transientError = status == 429 || status >= 500 || status == 0;
            ErrorCategory category = status == 429 ? ErrorCategory.THROTTLED
                    : transientError ? ErrorCategory.UNAVAILABLE : ErrorCategory.AUTHENTICATION;
            return new GraphError(category, status == 0 ? null : status, service.errorCode(),
                    "Entra ID refused the token request: " + service.getMessage(), transientError, false, null, null);
        }
        String detail = failure.getMessage() == null ? failure.getClass().getSimpleName() : failure.getMessage();
        return new GraphError(ErrorCategory.UNAVAILABLE, null, "TokenRequestFailed",
                "could not get a token from Entra ID: " + detail, true, false, null, null);
    }
}
