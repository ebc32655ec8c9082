package io.assignmentworker.emulator;

import java.net.URI;
import java.util.Map;
import java.util.Optional;

/** Resolves a Graph call's bearer token to its tenant and app, and refuses apps without the permission. */
final class GraphAuthenticator {
    private static final String GRAPH_APP_ID = "00000003-0000-0000-c000-000000000000";
    private static final String READ_WRITE = "DeviceManagementConfiguration.ReadWrite.All";
    private static final String READ = "DeviceManagementConfiguration.Read.All";

    private final TokenStore tokens;
    private final EmulatedTenants tenants;
    private final String wwwAuthenticate;

    GraphAuthenticator(TokenStore tokens, EmulatedTenants tenants, URI authorityHost) {
        this.tokens = tokens;
        this.tenants = tenants;
        // Graph points clients at the authority that issues its tokens; here that is the emulator itself.
        this.wwwAuthenticate = "Bearer realm=\"\", authorization_uri=\"" + authorityHost
                + "/common/oauth2/authorize\", client_id=\"" + GRAPH_APP_ID + "\"";
    }

    /** @throws GraphErrorReply 401 when the token is missing, unknown or expired */
    Caller authenticate(String authorization) {
        String token = bearerToken(authorization);
        if (token.isEmpty()) {
            throw unauthorized("Access token is empty.");
        }
        Optional<TokenStore.IssuedToken> issued = tokens.find(token);
        if (issued.isEmpty()) {
            throw unauthorized("Access token has expired or is not yet valid.");
        }
        Tenant tenant = tenants.find(issued.get().tenantId())
                .orElseThrow(() -> unauthorized("Access token has expired or is not yet valid."));
        return new Caller(tenant, issued.get().clientId());
    }

    /**
     * @throws GraphErrorReply 403 when the app's permission was withheld with {@code denyPermission}, or for a write by an
     *                    app registered read-only
     */
    void authorize(Caller caller, GraphRoute route) {
        boolean denied = caller.tenant().app(caller.clientId())
                .map(app -> app.denied() || app.readOnly() && route.isWrite()).orElse(true);
        if (denied) {
            String scopes = route.isWrite() ? READ_WRITE : READ + ", " + READ_WRITE;
            throw new GraphErrorReply(403, "Forbidden", "Application is not authorized to perform this operation. "
                    + "Application must have one of the following scopes: " + scopes);
        }
    }

    private static String bearerToken(String authorization) {
        if (authorization == null) {
            return "";
        }
        String value = authorization.strip();
        boolean bearer = value.regionMatches(true, 0, "Bearer", 0, 6)
                && (value.length() == 6 || Character.isWhitespace(value.charAt(6)));
        if (!bearer) {
            return "";
        }
        return value.substring(6).strip();
    }

    private GraphErrorReply unauthorized(String message) {
        return new GraphErrorReply(401, "InvalidAuthenticationToken", message, Map.of("WWW-Authenticate", wwwAuthenticate));
    }

    /** The authenticated tenant and app of a Graph call. */
    record Caller(Tenant tenant, String clientId) {
    }
}
