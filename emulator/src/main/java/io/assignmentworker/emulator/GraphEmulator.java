package io.assignmentworker.emulator;

import com.sun.net.httpserver.HttpServer;
import com.sun.net.httpserver.HttpsConfigurator;
import com.sun.net.httpserver.HttpsServer;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * An in-process HTTPS server that behaves as Microsoft Graph (beta, compliance-policy assignments) and the
 * Entra ID token endpoint are documented to behave, with knobs for throttling, faults and latency.
 * See the package documentation for the protocol details.
 *
 * <p>Thread-safe: set-up, behaviour and observation methods may be called from any thread while clients run.
 */
public final class GraphEmulator implements AutoCloseable {
    private static final int BACKLOG = 1024;

    private final HttpServer server;
    private final ExecutorService workers;
    private final EmulatorSettings settings;
    private final EmulatorState state;
    private final URI authorityHost;
    private final AtomicBoolean closed = new AtomicBoolean();

    private GraphEmulator(HttpServer server, ExecutorService workers, EmulatorSettings settings, EmulatorState state,
                          URI authorityHost) {
        this.server = server;
        this.workers = workers;
        this.settings = settings;
        this.state = state;
        this.authorityHost = authorityHost;
    }

    /**
     * Binds 127.0.0.1 on {@code settings.port()} (0 = ephemeral) and starts serving.
     *
     * @throws UncheckedIOException when the port cannot be bound
     */
    public static GraphEmulator start(EmulatorSettings settings) {
        Objects.requireNonNull(settings, "settings");
        // Without TCP_NODELAY small replies can wait for delayed ACKs (~40 ms), which would distort latency tests.
        if (System.getProperty("sun.net.httpserver.nodelay") == null) {
            System.setProperty("sun.net.httpserver.nodelay", "true");
        }
        // The JDK server closes idle connections beyond 200 (sun.net.httpserver.maxIdleConnections); Graph's front
        // doors keep a client's connections open, and a closed one costs the client a new TLS handshake.
        if (System.getProperty("sun.net.httpserver.maxIdleConnections") == null) {
            System.setProperty("sun.net.httpserver.maxIdleConnections", "1000");
        }
        HttpServer server = bind(settings);
        int port = server.getAddress().getPort();
        URI authorityHost = URI.create((settings.tls() ? "https" : "http") + "://localhost:" + port);
        EmulatorState state = new EmulatorState(settings, Clock.systemUTC());
        ExecutorService workers = Executors.newFixedThreadPool(settings.threads(), daemonThreads());
        server.setExecutor(workers);
        EmulatorRoutes.install(server, state, authorityHost);
        server.start();
        return new GraphEmulator(server, workers, settings, state, authorityHost);
    }

    private static HttpServer bind(EmulatorSettings settings) {
        InetSocketAddress address = new InetSocketAddress(InetAddress.getLoopbackAddress(), settings.port());
        try {
            if (!settings.tls()) {
                return HttpServer.create(address, BACKLOG);
            }
            HttpsServer https = HttpsServer.create(address, BACKLOG);
            https.setHttpsConfigurator(new HttpsConfigurator(TlsContext.create()));
            return https;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot bind the Graph emulator to " + address, e);
        }
    }

    private static ThreadFactory daemonThreads() {
        AtomicInteger counter = new AtomicInteger();
        return runnable -> {
            Thread thread = new Thread(runnable, "graph-emulator-" + counter.incrementAndGet());
            thread.setDaemon(true);
            return thread;
        };
    }

    /** The bound TCP port. */
    public int port() {
        return server.getAddress().getPort();
    }

    /** The Entra authority host, {@code https://localhost:<port>} (http when TLS is off); append {@code /<tenant>/}. */
    public URI authorityHost() {
        return authorityHost;
    }

    /** The Graph base URL, {@code https://localhost:<port>/beta}. */
    public URI graphBaseUrl() {
        return URI.create(authorityHost + "/beta");
    }

    /** The settings the emulator was started with. */
    public EmulatorSettings settings() {
        return settings;
    }

    /**
     * Copies the bundled trust store (PKCS12, password {@code changeit}) holding the emulator's certificate into
     * {@code dir}, for clients in other processes.
     *
     * @return the written file
     */
    public Path writeTrustStore(Path dir) {
        Path target = dir.resolve("graph-emulator-truststore.p12");
        try (InputStream in = GraphEmulator.class.getResourceAsStream(TlsContext.TRUSTSTORE)) {
            if (in == null) {
                throw new IllegalStateException("classpath resource " + TlsContext.TRUSTSTORE + " is missing");
            }
            Files.createDirectories(dir);
            Files.copy(in, target, StandardCopyOption.REPLACE_EXISTING);
            return target;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write the emulator trust store to " + target, e);
        }
    }

    /**
     * Registers an app with one client secret, creating the tenant if needed. Re-registering replaces the secret
     * and lifts a {@link #denyPermission denial}.
     */
    public void registerApp(String tenantId, String clientId, String clientSecret) {
        Objects.requireNonNull(clientId, "clientId");
        Objects.requireNonNull(clientSecret, "clientSecret");
        state.tenants().getOrCreate(tenantId).registerApp(clientId, clientSecret);
    }

    /**
     * Registers an app whose only credential is a certificate, creating the tenant if needed: its client
     * assertions must be JWTs signed with the certificate's key (RS256 or PS256, as MSAL sends them), for this
     * tenant's token endpoint, issued by and about the client, not expired.
     */
    public void registerAppCertificate(String tenantId, String clientId, X509Certificate certificate) {
        Objects.requireNonNull(clientId, "clientId");
        Objects.requireNonNull(certificate, "certificate");
        state.tenants().getOrCreate(tenantId).registerAppCertificate(clientId, certificate);
    }

    /**
     * Registers an app granted only {@code DeviceManagementConfiguration.Read.All}: its reads answer as usual, its
     * writes 403 naming the ReadWrite permission, as Graph does.
     */
    public void registerReadOnlyApp(String tenantId, String clientId, String clientSecret) {
        Objects.requireNonNull(clientId, "clientId");
        Objects.requireNonNull(clientSecret, "clientSecret");
        state.tenants().getOrCreate(tenantId).registerReadOnlyApp(clientId, clientSecret);
    }

    /** The app still gets tokens, but its Graph calls answer 403, as when admin consent is missing. */
    public void denyPermission(String tenantId, String clientId) {
        requireTenant(tenantId).denyApp(clientId);
    }

    /** Adds a Windows 10 compliance policy; {@code policyId} must be a GUID. Creates the tenant if needed. */
    public void addPolicy(String tenantId, String policyId, String displayName) {
        if (!Ids.isGuid(policyId)) {
            throw new IllegalArgumentException("policyId must be a GUID: " + policyId);
        }
        state.tenants().getOrCreate(tenantId).addPolicy(policyId, displayName, Instant.now(state.clock()));
    }

    /**
     * Adds an Entra group that {@code GET /groups/{id}} finds; {@code groupId} must be a GUID. Creates the tenant if
     * needed. Writes consult it only while the tenant's {@link TenantBehaviour#directoryChecks(boolean)} is on:
     * then a create or {@code /assign} naming an unregistered group is refused 400, as Graph refuses it; off (the
     * default), any group id is accepted ({@link TenantBehaviour#missingGroup} refuses one group either way).
     */
    public void addGroup(String tenantId, String groupId, String displayName) {
        addGroup(tenantId, groupId, displayName, 0);
    }

    /**
     * {@link #addGroup(String, String, String)} with {@code members} transitive members, as
     * {@code GET /groups/{id}/transitiveMembers/$count} (with {@code ConsistencyLevel: eventual}) answers.
     */
    public void addGroup(String tenantId, String groupId, String displayName, long members) {
        requireGuid("groupId", groupId);
        state.tenants().getOrCreate(tenantId).addGroup(groupId, displayName, Instant.now(state.clock()), members);
    }

    /**
     * Adds an Intune assignment filter that {@code GET /deviceManagement/assignmentFilters/{id}} finds;
     * {@code filterId} must be a GUID. Creates the tenant if needed. Writes consult it only while the tenant's
     * {@link TenantBehaviour#directoryChecks(boolean)} is on: then an include or exclude filter that is not
     * registered is refused 400.
     */
    public void addAssignmentFilter(String tenantId, String filterId, String displayName) {
        requireGuid("filterId", filterId);
        state.tenants().getOrCreate(tenantId).addAssignmentFilter(filterId, displayName, Instant.now(state.clock()));
    }

    private static void requireGuid(String name, String value) {
        if (!Ids.isGuid(value)) {
            throw new IllegalArgumentException(name + " must be a GUID: " + value);
        }
    }

    /**
     * Adds a pre-existing assignment, validated as Graph validates a create, as an administrator would have made
     * it; the directory is not consulted (an assignment outlives a group deleted later). It is stored under Graph's id, {@code {policyId}_{groupId}} (see the package documentation), whatever
     * {@code id} it carries.
     *
     * @return the id Graph holds it under
     * @throws IllegalArgumentException when the policy is unknown, the assignment invalid, or the policy already
     *                                  has an assignment for the same group, collection, All devices or All users
     */
    public String addAssignment(String tenantId, String policyId, JsonNode assignment) {
        Policy policy = requirePolicy(tenantId, policyId);
        Policy.Addition addition = policy.add(validated(assignment));
        if (addition instanceof Policy.Addition.SubjectTaken taken) {
            throw new IllegalArgumentException("policy " + policyId + " already has an assignment for "
                    + taken.subject().describe() + ": " + taken.existingId());
        }
        return ((Policy.Addition.Added) addition).assignment().get("id").stringValue();
    }

    /**
     * Replaces the policy's assignment of the same subject (group, collection, All devices or All users) with
     * {@code assignment}, in place and under the same id, as an administrator editing it in the portal would:
     * e.g. to add, change or drop its filter, or to turn an include into an exclusion. Validated as a create.
     *
     * @return false when the policy has no assignment for that subject (nothing is changed then)
     * @throws IllegalArgumentException when the policy is unknown or the assignment invalid
     */
    public boolean replaceAssignment(String tenantId, String policyId, JsonNode assignment) {
        return requirePolicy(tenantId, policyId).update(validated(assignment));
    }

    /**
     * Removes one assignment, as an administrator removing it in the portal would.
     *
     * @param assignmentId Graph's id of the assignment, compared case-insensitively
     * @return whether the policy had it
     * @throws IllegalArgumentException when the policy is unknown
     */
    public boolean removeAssignment(String tenantId, String policyId, String assignmentId) {
        Objects.requireNonNull(assignmentId, "assignmentId");
        return requirePolicy(tenantId, policyId).remove(assignmentId);
    }

    private static ObjectNode validated(JsonNode assignment) {
        try {
            return AssignmentValidator.normalize(assignment, "");
        } catch (GraphErrorReply e) {
            throw new IllegalArgumentException(e.getMessage(), e);
        }
    }

    /** The runtime knobs of a tenant, creating the tenant if needed. */
    public TenantBehaviour tenant(String tenantId) {
        return state.tenants().getOrCreate(tenantId).behaviour();
    }

    /** Holds one kind of Graph call back until released (e.g. a slow {@code /assign}). */
    public OperationDelays delays() {
        return state.delays();
    }

    /** Every token issued so far answers 401 from now on; new tokens can be requested at once. */
    public void expireAllTokens() {
        state.tokens().expireAll();
    }

    /**
     * The values of the last 1,024 access tokens issued, expired or not: secrets a test looks for where they must
     * never appear (logs, results, metrics).
     */
    public List<String> issuedTokens() {
        return state.tokens().recentValues();
    }

    /** The policy's assignments as Graph lists them (copies; changing them changes nothing). */
    public List<JsonNode> assignments(String tenantId, String policyId) {
        return List.copyOf(requirePolicy(tenantId, policyId).snapshot());
    }

    /**
     * Extra assignments whose subject (group, collection, All devices, All users; whatever the filter or
     * include/exclude kind) repeats within a policy, summed over the tenant's policies. Graph holds each subject
     * once and the emulator refuses the writes that would break that, so anything but 0 is an emulator bug.
     */
    public int duplicateAssignments(String tenantId) {
        return state.tenants().find(tenantId).map(t -> t.policies().stream().mapToInt(Policy::duplicates).sum())
                .orElse(0);
    }

    /** The last 20,000 Graph calls (not token requests), oldest first, with when each arrived and was answered. */
    public List<GraphCall> calls() {
        return state.stats().calls();
    }

    /**
     * When the tenant's budget admitted each of its last 100,000 writes (creates and {@code /assign}, whatever
     * they were then answered, refusals of the create route included), as {@link System#nanoTime()}, oldest
     * first: for benchmarks that report the most writes in any window. Empty for an unknown tenant.
     */
    public long[] admittedWriteNanos(String tenantId) {
        return state.tenants().find(tenantId).map(t -> t.throttle().admittedWriteNanos()).orElseGet(() -> new long[0]);
    }

    /** A snapshot of the counters. */
    public EmulatorStats stats() {
        return state.stats().snapshot();
    }

    /** Stops serving at once; calls in flight are cut off. Idempotent. */
    @Override
    public void close() {
        if (closed.compareAndSet(false, true)) {
            server.stop(0);
            workers.shutdownNow();
        }
    }

    private Tenant requireTenant(String tenantId) {
        return state.tenants().find(tenantId)
                .orElseThrow(() -> new IllegalArgumentException("unknown tenant " + tenantId));
    }

    private Policy requirePolicy(String tenantId, String policyId) {
        return requireTenant(tenantId).policy(policyId).orElseThrow(
                () -> new IllegalArgumentException("unknown policy " + policyId + " in tenant " + tenantId));
    }
}
