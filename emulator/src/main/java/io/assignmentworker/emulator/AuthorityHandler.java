package io.assignmentworker.emulator;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpHandler;
import java.io.IOException;
import java.net.URI;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import tools.jackson.databind.node.ObjectNode;

/**
 * Serves the Entra ID side of the emulator: the token endpoint, and the OpenID Connect discovery documents
 * ({@code /{tenant}/v2.0/.well-known/openid-configuration} and {@code /common/discovery/instance}) that
 * libraries fetch when authority validation or instance discovery is left on.
 */
final class AuthorityHandler implements HttpHandler {
    private static final Pattern TOKEN = Pattern.compile("/([^/]+)/oauth2/v2\\.0/token/?");
    private static final Pattern OPENID = Pattern.compile("/([^/]+)/v2\\.0/\\.well-known/openid-configuration/?");
    private static final Pattern INSTANCE = Pattern.compile("/common/discovery/instance/?");

    private final TokenEndpoint tokenEndpoint;
    private final URI authorityHost;

    AuthorityHandler(TokenEndpoint tokenEndpoint, URI authorityHost) {
        this.tokenEndpoint = tokenEndpoint;
        this.authorityHost = authorityHost;
    }

    @Override
    public void handle(HttpExchange exchange) throws IOException {
        String path = exchange.getRequestURI().getPath();
        Matcher token = TOKEN.matcher(path);
        if (token.matches()) {
            tokenEndpoint.handle(exchange, token.group(1));
            return;
        }
        try (exchange) {
            HttpIo.readBody(exchange);
            Matcher openid = OPENID.matcher(path);
            if (openid.matches() && "GET".equals(exchange.getRequestMethod())) {
                HttpIo.sendJson(exchange, 200, HttpIo.JSON_UTF8, openidConfiguration(openid.group(1)));
            } else if (INSTANCE.matcher(path).matches() && "GET".equals(exchange.getRequestMethod())) {
                HttpIo.sendJson(exchange, 200, HttpIo.JSON_UTF8, instanceDiscovery());
            } else {
                ObjectNode body = Json.MAPPER.createObjectNode();
                body.put("error", "not_found");
                body.put("error_description", "The emulator serves /{tenant}/oauth2/v2.0/token, "
                        + "/{tenant}/v2.0/.well-known/openid-configuration, /beta/... and /_emulator/...");
                HttpIo.sendJson(exchange, 404, HttpIo.JSON_UTF8, body);
            }
        }
    }

    /** The subset of Entra's discovery document that confidential-client libraries read. */
    private ObjectNode openidConfiguration(String tenant) {
        String base = authorityHost + "/" + tenant;
        ObjectNode doc = Json.MAPPER.createObjectNode();
        doc.put("token_endpoint", base + "/oauth2/v2.0/token");
        doc.putArray("token_endpoint_auth_methods_supported")
                .add("client_secret_post").add("private_key_jwt").add("client_secret_basic");
        doc.put("jwks_uri", authorityHost + "/" + tenant + "/discovery/v2.0/keys");
        doc.putArray("response_modes_supported").add("query").add("fragment").add("form_post");
        doc.putArray("subject_types_supported").add("pairwise");
        doc.putArray("id_token_signing_alg_values_supported").add("RS256");
        doc.putArray("response_types_supported").add("code").add("id_token").add("code id_token").add("id_token token");
        doc.putArray("scope_values_supported").add("openid").add("profile").add("email").add("offline_access");
        doc.put("issuer", authorityHost + "/" + tenant + "/v2.0");
        doc.put("authorization_endpoint", base + "/oauth2/v2.0/authorize");
        doc.put("device_authorization_endpoint", base + "/oauth2/v2.0/devicecode");
        doc.put("end_session_endpoint", base + "/oauth2/v2.0/logout");
        doc.put("tenant_region_scope", "EU");
        doc.put("cloud_instance_name", authorityHost.getAuthority());
        return doc;
    }

    /** Instance discovery answer declaring the emulator its own, only, alias. */
    private ObjectNode instanceDiscovery() {
        String host = authorityHost.getAuthority();
        ObjectNode doc = Json.MAPPER.createObjectNode();
        doc.put("tenant_discovery_endpoint", authorityHost + "/common/v2.0/.well-known/openid-configuration");
        doc.put("api-version", "1.1");
        ObjectNode entry = doc.putArray("metadata").addObject();
        entry.put("preferred_network", host);
        entry.put("preferred_cache", host);
        entry.putArray("aliases").add(host);
        return doc;
    }
}
