package io.assignmentworker.cli;

import io.assignmentworker.graph.AccessTokens;
import io.assignmentworker.graph.AuthProperties;
import io.assignmentworker.graph.GraphException;
import io.assignmentworker.graph.TenantDirectory;
import io.assignmentworker.graph.TokenRequests;
import java.net.URI;
import java.net.http.HttpClient;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.springframework.boot.context.properties.bind.Bindable;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.boot.context.properties.source.ConfigurationPropertySources;
import org.springframework.core.env.StandardEnvironment;
import org.springframework.core.env.SystemEnvironmentPropertySource;

/**
 * Graph for the dry run. By default it signs in exactly as the worker signs in: the same environment variables
 * ({@code AZURE_TENANT_ID}, {@code AZURE_CLIENT_ID}, {@code AZURE_CLIENT_SECRET} or a certificate or a federated
 * token file, {@code AZURE_AUTHORITY_HOST}, {@code WORKER_GRAPH_BASE_URL}, {@code WORKER_AUTH_TENANTS_<n>_*}),
 * the same {@link AccessTokens}. The worker's app needs {@code DeviceManagementConfiguration.ReadWrite.All}; a dry
 * run only reads, so with {@code IAW_DRY_RUN_CLIENT_ID} set it signs in as that app instead (a read-only app
 * registration, granted {@code DeviceManagementConfiguration.Read.All}), in every configured tenant, with
 * {@code IAW_DRY_RUN_CLIENT_SECRET}, {@code …_CLIENT_CERTIFICATE_PATH} (+ {@code …_PASSWORD}) or
 * {@code IAW_DRY_RUN_FEDERATED_TOKEN_FILE}.
 */
final class GraphAccess implements AutoCloseable {

    private final URI baseUrl;
    private final AccessTokens tokens;
    private final TenantDirectory tenants;
    private final ExecutorService executor;
    private final HttpClient http;
    private final String signedInAs;
    private final Duration connectTimeout;

    /** Beyond the connect timeout, how long the token endpoint may take to answer. */
    private static final Duration TOKEN_ANSWER = Duration.ofSeconds(10);

    /** Graph permission every read of policies and assignment filters needs (ReadWrite.All includes it). */
    static final String READ_PERMISSION = "DeviceManagementConfiguration.Read.All";
    static final String DRY_RUN_PREFIX = "IAW_DRY_RUN_";

    private GraphAccess(URI baseUrl, AuthProperties auth, String signedInAs, Duration connectTimeout) {
        this.baseUrl = baseUrl;
        this.signedInAs = signedInAs;
        this.executor = Executors.newFixedThreadPool(2, runnable -> {
            Thread thread = new Thread(runnable, "iaw-tokens");
            thread.setDaemon(true);
            return thread;
        });
        this.tokens = new AccessTokens(auth, Clock.systemUTC(), TokenRequests.IGNORED, executor);
        this.tenants = new TenantDirectory(auth.allTenants().stream().map(AuthProperties.TenantCredentials::tenantId)
                .toList(), auth.defaultTenantId());
        this.connectTimeout = connectTimeout;
        this.http = HttpClient.newBuilder().connectTimeout(connectTimeout).build();
    }

    static GraphAccess fromEnvironment(Map<String, String> env) {
        return fromEnvironment(env, KafkaOptions.DEFAULT_CONNECT_TIMEOUT);
    }

    /** @param connectTimeout how long a connection to Graph or the token endpoint may take to open */
    static GraphAccess fromEnvironment(Map<String, String> env, Duration connectTimeout) {
        String base = value(env, "WORKER_GRAPH_BASE_URL", null);
        URI baseUrl = URI.create((base == null ? "https://graph.microsoft.com/beta" : base).replaceAll("/+$", ""));
        boolean readOnlyApp = value(env, DRY_RUN_PREFIX + "CLIENT_ID", null) != null;
        String prefix = readOnlyApp ? DRY_RUN_PREFIX : "AZURE_";
        String clientId = value(env, prefix + "CLIENT_ID", null);
        String signedInAs = readOnlyApp ? "the read-only app " + DRY_RUN_PREFIX + "CLIENT_ID=" + clientId
                : "the worker's app AZURE_CLIENT_ID=" + clientId + (env.containsKey("WORKER_AUTH_TENANTS_0_TENANT_ID")
                ? " (or WORKER_AUTH_TENANTS_<n>_CLIENT_ID)" : "");
        try {
            URI authority = URI.create(value(env, "AZURE_AUTHORITY_HOST",
                    value(env, "WORKER_AUTH_AUTHORITY_HOST", "https://login.microsoftonline.com")));
            AuthProperties auth = new AuthProperties(authority, value(env, "AZURE_TENANT_ID", null),
                    clientId, value(env, prefix + "CLIENT_SECRET", null),
                    path(value(env, prefix + "FEDERATED_TOKEN_FILE", null)),
                    path(value(env, prefix + "CLIENT_CERTIFICATE_PATH", null)),
                    value(env, prefix + "CLIENT_CERTIFICATE_PASSWORD", null),
                    value(env, "WORKER_AUTH_SCOPE", "https://graph.microsoft.com/.default"),
                    readOnlyApp ? sameAppInMoreTenants(env) : moreTenants(env));
            return new GraphAccess(baseUrl, auth, signedInAs, connectTimeout);
        } catch (IllegalArgumentException e) {
            throw CliException.usage("--dry-run reads Graph as " + signedInAs + ", which needs " + READ_PERMISSION
                    + " (" + (readOnlyApp ? DRY_RUN_PREFIX + "CLIENT_SECRET, …_CLIENT_CERTIFICATE_PATH or "
                    + "…_FEDERATED_TOKEN_FILE" : "the worker's credentials; or set " + DRY_RUN_PREFIX + "CLIENT_ID "
                    + "and " + DRY_RUN_PREFIX + "CLIENT_SECRET for a read-only app registration") + "): "
                    + e.getMessage());
        }
    }

    /**
     * {@code WORKER_AUTH_TENANTS_0_TENANT_ID}, {@code …_CLIENT_ID}, {@code …_CLIENT_SECRET} …, bound by Spring
     * Boot's own binder from the environment, exactly as the worker binds {@code worker.auth.tenants}.
     */
    static List<AuthProperties.TenantCredentials> moreTenants(Map<String, String> env) {
        // The name makes Boot read it with the environment's mapping: WORKER_AUTH_TENANTS_0_CLIENT_ID → tenants[0].
        Binder binder = new Binder(ConfigurationPropertySources.from(new SystemEnvironmentPropertySource(
                StandardEnvironment.SYSTEM_ENVIRONMENT_PROPERTY_SOURCE_NAME, Map.<String, Object>copyOf(env))));
        return binder.bind("worker.auth.tenants", Bindable.listOf(AuthProperties.TenantCredentials.class))
                .orElse(List.of());
    }

    /** The read-only app (one multi-tenant registration) in each of the worker's other tenants. */
    private static List<AuthProperties.TenantCredentials> sameAppInMoreTenants(Map<String, String> env) {
        return moreTenants(env).stream().map(tenant -> new AuthProperties.TenantCredentials(tenant.tenantId(),
                value(env, DRY_RUN_PREFIX + "CLIENT_ID", null), value(env, DRY_RUN_PREFIX + "CLIENT_SECRET", null),
                path(value(env, DRY_RUN_PREFIX + "FEDERATED_TOKEN_FILE", null)),
                path(value(env, DRY_RUN_PREFIX + "CLIENT_CERTIFICATE_PATH", null)),
                value(env, DRY_RUN_PREFIX + "CLIENT_CERTIFICATE_PASSWORD", null))).toList();
    }

    /** The configured tenant a line addresses; empty when there are no credentials for it. */
    Optional<String> tenantFor(String requested) {
        return tenants.resolve(requested);
    }

    /** Which app registration the reads sign in as, for messages: its environment variable and client id. */
    String signedInAs() {
        return signedInAs;
    }

    /** Where Graph is, for "Connecting to Graph at …". */
    URI baseUrl() {
        return baseUrl;
    }

    Duration connectTimeout() {
        return connectTimeout;
    }

    URI url(String path) {
        return URI.create(baseUrl + path);
    }

    HttpClient http() {
        return http;
    }

    String token(String tenantId) {
        return await(tokens.token(tenantId), tenantId);
    }

    String renew(String tenantId, String rejected) {
        return await(tokens.renew(tenantId, rejected), tenantId);
    }

    /** Sign-in is the first contact with Entra ID: it gets the connect timeout and a few seconds to answer. */
    private String await(CompletableFuture<String> token, String tenantId) {
        Duration limit = connectTimeout.plus(TOKEN_ANSWER);
        try {
            return token.get(limit.toMillis(), TimeUnit.MILLISECONDS);
        } catch (TimeoutException e) {
            token.cancel(true);
            throw CliException.unavailable("Entra ID unreachable: no token for tenant " + tenantId + " after "
                    + Durations.shortText(limit) + " (AZURE_AUTHORITY_HOST, or a proxy?)");
        } catch (ExecutionException | CompletionException e) {
            Throwable cause = GraphException.unwrap(e instanceof ExecutionException ? e.getCause() : e);
            throw CliException.unavailable("cannot sign in to tenant " + tenantId + ": " + cause.getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw CliException.unavailable("interrupted while signing in to tenant " + tenantId);
        }
    }

    private static String value(Map<String, String> env, String name, String fallback) {
        String value = env.get(name);
        return value == null || value.isBlank() ? fallback : value;
    }

    private static Path path(String value) {
        return value == null ? null : Path.of(value);
    }

    @Override
    public void close() {
        executor.shutdownNow();
    }
}
