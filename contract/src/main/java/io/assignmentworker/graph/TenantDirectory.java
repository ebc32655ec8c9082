package io.assignmentworker.graph;

import java.util.List;
import java.util.Locale;
import java.util.Optional;

/** The tenants the worker holds credentials for, and which one a request without a tenantId means. */
public final class TenantDirectory {

    private final List<String> tenantIds;
    private final String defaultTenant;

    /** @param defaultTenant the tenant for requests without a tenantId, or {@code null}: the only tenant, if one */
    public TenantDirectory(List<String> tenantIds, String defaultTenant) {
        this.tenantIds = tenantIds.stream().map(id -> id.toLowerCase(Locale.ROOT)).toList();
        this.defaultTenant = defaultTenant != null ? defaultTenant.toLowerCase(Locale.ROOT)
                : this.tenantIds.size() == 1 ? this.tenantIds.get(0) : null;
    }

    public TenantDirectory(List<String> tenantIds) {
        this(tenantIds, null);
    }

    /** The configured tenant a request addresses, or empty when the worker has no credentials for it. */
    public Optional<String> resolve(String requested) {
        if (requested == null) {
            return Optional.ofNullable(defaultTenant);
        }
        String id = requested.toLowerCase(Locale.ROOT);
        return tenantIds.contains(id) ? Optional.of(id) : Optional.empty();
    }

    public List<String> tenantIds() {
        return tenantIds;
    }
}
