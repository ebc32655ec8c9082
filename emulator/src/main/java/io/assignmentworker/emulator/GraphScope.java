package io.assignmentworker.emulator;

import java.util.Locale;
import java.util.Set;

/**
 * Checks the {@code scope} of a client-credentials request: exactly one {@code <resource>/.default} for Microsoft
 * Graph, optionally alongside the OIDC reserved scopes that some libraries always add.
 */
final class GraphScope {
    private static final Set<String> RESERVED = Set.of("openid", "profile", "offline_access", "email");
    private static final Set<String> GRAPH_RESOURCES = Set.of("https://graph.microsoft.com",
            "https://graph.microsoft.com/", "00000003-0000-0000-c000-000000000000");
    private static final String DEFAULT = "/.default";

    private GraphScope() {
    }

    /** @throws EntraError {@code invalid_scope} or {@code invalid_resource} as Entra answers them */
    static void check(String scope) {
        if (scope == null || scope.isBlank()) {
            throw EntraError.missingParameter("scope");
        }
        String resourceScope = null;
        for (String value : scope.strip().split("\\s+")) {
            if (RESERVED.contains(value)) {
                continue;
            }
            if (!value.endsWith(DEFAULT) || resourceScope != null) {
                throw new EntraError(400, "invalid_scope", 1002012, "The provided value for scope " + scope
                        + " is not valid. Client credential flows must have a scope value with /.default suffixed "
                        + "to the resource identifier (application ID URI).");
            }
            resourceScope = value;
        }
        if (resourceScope == null) {
            throw EntraError.missingParameter("scope");
        }
        String resource = resourceScope.substring(0, resourceScope.length() - DEFAULT.length());
        if (!GRAPH_RESOURCES.contains(resource.toLowerCase(Locale.ROOT))) {
            throw new EntraError(400, "invalid_resource", 500011, "The resource principal named " + resource
                    + " was not found in the tenant. The emulator only issues tokens for Microsoft Graph.");
        }
    }
}
