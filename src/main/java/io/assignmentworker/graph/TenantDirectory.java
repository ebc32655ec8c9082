package io.assignmentworker.graph;

import java.util.List;
import java.util.Locale;
import java.util.Optional;

/** The tenants the worker holds credentials for, and which one a request without a tenantId means. */
public final class TenantDirectory {

    private final List<String> tenantIds;

    public TenantDirectory(List<String> tenantIds) {
        this.tenantIds = tenantIds.stream().map(id -> id.toLowerCase(Locale.ROOT)).toList();
    }

    /** The configured tenant a request addresses, or empty when the worker has no credentials for it. */
    public Optional<String> resolve(String requested) {
        if (requested == null) {
            return tenantIds.size() == 1 ? Optional.of(tenantIds.get(0)) : Optional.empty();
        }
        String id = requested.toLowerCase(Locale.ROOT);
        return tenantIds.contains(id) ? Optional.of(id) : Optional.empty();
    }

    public List<String> tenantIds() {
        return tenantIds;
    }
}
