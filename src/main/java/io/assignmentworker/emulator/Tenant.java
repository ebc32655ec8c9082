package io.assignmentworker.emulator;

import java.time.Instant;
import java.util.Collection;
import java.util.Locale;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/** One emulated tenant: its app registrations, its compliance policies, its behaviour knobs and its budgets. */
final class Tenant {
    private final String id;
    private final TenantBehaviour behaviour;
    private final ThrottleGate throttle = new ThrottleGate();
    private final ConcurrentHashMap<String, RegisteredApp> apps = new ConcurrentHashMap<>();
    private final ConcurrentHashMap<String, Policy> policies = new ConcurrentHashMap<>();

    Tenant(String id, EmulatorSettings settings) {
        this.id = id;
        this.behaviour = new TenantBehaviour(settings);
    }

    String id() {
        return id;
    }

    TenantBehaviour behaviour() {
        return behaviour;
    }

    ThrottleGate throttle() {
        return throttle;
    }

    void registerApp(String clientId, String clientSecret) {
        apps.put(key(clientId), new RegisteredApp(clientId, clientSecret, null, false));
    }

    void registerAppCertificate(String clientId, java.security.cert.X509Certificate certificate) {
        apps.put(key(clientId), new RegisteredApp(clientId, null, certificate, false));
    }

    void denyApp(String clientId) {
        if (apps.computeIfPresent(key(clientId), (k, app) -> app.deny()) == null) {
            throw new IllegalArgumentException("client " + clientId + " is not registered in tenant " + id);
        }
    }

    Optional<RegisteredApp> app(String clientId) {
        return Optional.ofNullable(apps.get(key(clientId)));
    }

    void addPolicy(String policyId, String displayName, Instant created) {
        policies.put(key(policyId), new Policy(policyId, displayName, created));
    }

    /** Policy ids are GUIDs, which Graph compares case-insensitively. */
    Optional<Policy> policy(String policyId) {
        return Optional.ofNullable(policies.get(key(policyId)));
    }

    Collection<Policy> policies() {
        return policies.values();
    }

    static String key(String id) {
        return id.toLowerCase(Locale.ROOT);
    }
}
