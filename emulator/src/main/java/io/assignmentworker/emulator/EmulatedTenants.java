package io.assignmentworker.emulator;

import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/** All tenants of the emulator, looked up case-insensitively as Entra treats tenant ids. */
final class EmulatedTenants {
    private final EmulatorSettings settings;
    private final ConcurrentHashMap<String, Tenant> tenants = new ConcurrentHashMap<>();

    EmulatedTenants(EmulatorSettings settings) {
        this.settings = settings;
    }

    Tenant getOrCreate(String tenantId) {
        if (tenantId == null || tenantId.isBlank()) {
            throw new IllegalArgumentException("tenantId must not be blank");
        }
        return tenants.computeIfAbsent(Tenant.key(tenantId), k -> new Tenant(tenantId, settings));
    }

    Optional<Tenant> find(String tenantId) {
        return tenantId == null ? Optional.empty() : Optional.ofNullable(tenants.get(Tenant.key(tenantId)));
    }
}
