package io.assignmentworker.emulator;

import com.sun.net.httpserver.HttpExchange;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.Map;
import tools.jackson.databind.node.ObjectNode;

/**
 * The Entra ID v2.0 token endpoint, {@code POST /{tenant}/oauth2/v2.0/token}, for the client-credentials grant
 * only. Checks run in Entra's order: tenant, grant, client, credentials, scope.
 */
final class TokenEndpoint {
    private final EmulatedTenants tenants;
    private final TokenStore tokens;
    private final StatsRecorder stats;
    private final Clock clock;

    TokenEndpoint(EmulatedTenants tenants, TokenStore tokens, StatsRecorder stats, Clock clock) {
        this.tenants = tenants;
        this.tokens = tokens;
        this.stats = stats;
        this.clock = clock;
    }

    void handle(HttpExchange exchange, String tenantId) throws IOException {
        String traceId = Ids.newGuid();
        String sent = exchange.getRequestHeaders().getFirst("client-request-id");
        String correlationId = sent == null || sent.isBlank() ? Ids.newGuid() : sent;
        var headers = exchange.getResponseHeaders();
        headers.set("Cache-Control", "no-store, no-cache");
        headers.set("Pragma", "no-cache");
        headers.set("x-ms-request-id", traceId);
        headers.set("client-request-id", correlationId);
        try (exchange) {
            int status;
            ObjectNode body;
            try {
                body = issue(exchange, tenantId);
                status = 200;
            } catch (EntraError error) {
                body = error.render(traceId, correlationId, clock);
                status = error.status();
            }
            // Counted before the reply leaves, so a client that has its answer always sees it in the stats.
            stats.tokenReply(status);
            HttpIo.sendJson(exchange, status, HttpIo.JSON_UTF8, body);
        }
    }

    private ObjectNode issue(HttpExchange exchange, String tenantId) throws IOException {
        Map<String, String> form = form(exchange);
        if (!"POST".equals(exchange.getRequestMethod())) {
            throw new EntraError(400, "invalid_request", 900561, "The endpoint only accepts POST, OPTIONS requests. "
                    + "Received a " + exchange.getRequestMethod() + " request.");
        }
        Tenant tenant = tenants.find(tenantId).orElseThrow(() -> new EntraError(400, "invalid_request", 90002,
                "Tenant '" + tenantId + "' not found. Check to make sure you have the correct tenant ID and are "
                        + "signing into the correct cloud."));
        String grant = form.get("grant_type");
        if (grant == null) {
            throw EntraError.missingParameter("grant_type");
        }
        if (!"client_credentials".equals(grant)) {
            throw new EntraError(400, "unsupported_grant_type", 70003, "The app requested an unsupported grant type '"
                    + grant + "'. The emulator supports client_credentials only.");
        }
        ClientCredentials credentials = ClientCredentials.from(form, exchange.getRequestHeaders().getFirst("Authorization"));
        RegisteredApp app = tenant.app(credentials.clientId()).orElseThrow(() -> new EntraError(400,
                "unauthorized_client", 700016, "Application with identifier '" + credentials.clientId()
                + "' was not found in the directory '" + tenant.id() + "'. This can happen if the application has "
                + "not been installed by the administrator of the tenant or consented to by any user in the tenant. "
                + "You may have sent your authentication request to the wrong tenant."));
        credentials.verify(app, tenant.id());
        GraphScope.check(form.get("scope"));
        TokenStore.IssuedToken token = tokens.issue(tenant.id(), app.clientId());
        ObjectNode body = Json.MAPPER.createObjectNode();
        body.put("token_type", "Bearer");
        body.put("expires_in", tokens.expiresInSeconds());
        body.put("ext_expires_in", tokens.expiresInSeconds());
        body.put("access_token", token.value());
        return body;
    }

    private static Map<String, String> form(HttpExchange exchange) throws IOException {
        try {
            return HttpIo.parseForm(new String(HttpIo.readBody(exchange), StandardCharsets.UTF_8));
        } catch (HttpIo.BodyTooLargeException e) {
            throw new EntraError(400, "invalid_request", 90014, "The request body is too large.");
        }
    }
}
