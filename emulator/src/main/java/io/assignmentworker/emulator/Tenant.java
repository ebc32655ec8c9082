package io.assignmentworker.emulator;

import java.security.cert.X509Certificate;
import java.time.Instant;
import java.util.Collection;
import java.util.Locale;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * One emulated tenant: its app registrations, its compliance policies, the groups and assignment filters its
 * reads know, its behaviour knobs and its budgets.
 */
final class Tenant {
    private final String id;
    private final TenantBehaviour behaviour;
    private final ThrottleGate throttle = new ThrottleGate();
    private final ConcurrentHashMap<String, RegisteredApp> apps = new ConcurrentHashMap<>();
    private final ConcurrentHashMap<String, Policy> policies = new ConcurrentHashMap<>();
    private final ConcurrentHashMap<String, DirectoryEntity> groups = new ConcurrentHashMap<>();
    private final ConcurrentHashMap<String, DirectoryEntity> assignmentFilters = new ConcurrentHashMap<>();

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
        apps.put(key(clientId), new RegisteredApp(clientId, clientSecret, null, false, false));
    }

    void registerReadOnlyApp(String clientId, String clientSecret) {
        apps.put(key(clientId), new RegisteredApp(clientId, clientSecret, null, false, true));
    }

    void registerAppCertificate(String clientId, X509Certificate certificate) {
        apps.put(key(clientId), new RegisteredApp(clientId, null, certificate, false, false));
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

    void addGroup(String groupId, String displayName, Instant created, long members) {
        groups.put(key(groupId), new DirectoryEntity(groupId, displayName, created, members));
    }

    /** A registered group, unless {@link TenantBehaviour#missingGroup} made it unknown. */
    Optional<DirectoryEntity> group(String groupId) {
        if (behaviour.groupMissing(groupId)) {
            return Optional.empty();
        }
        return Optional.ofNullable(groups.get(key(groupId)));
    }

    void addAssignmentFilter(String filterId, String displayName, Instant created) {
        assignmentFilters.put(key(filterId), new DirectoryEntity(filterId, displayName, created));
    }

    Optional<DirectoryEntity> assignmentFilter(String filterId) {
        return Optional.ofNullable(assignmentFilters.get(key(filterId)));
    }

    static String key(String id) {
        return id.toLowerCase(Locale.ROOT);
    }
}
