package io.assignmentworker.emulator;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * How a confidential client proved who it is: {@code client_secret_post}, {@code client_secret_basic} or
 * {@code private_key_jwt}. An assertion for an app registered with a certificate is verified like Entra ID does
 * (signature, audience, issuer, subject, expiry; {@link ClientAssertion}); for other apps (workload identity,
 * whose federated credential the emulator cannot check) only its shape is.
 */
record ClientCredentials(String clientId, String secret, String assertion) {
    static final String JWT_BEARER = "urn:ietf:params:oauth:client-assertion-type:jwt-bearer";
    private static final Pattern JWT_SHAPE =
            Pattern.compile("[A-Za-z0-9_-]+\\.[A-Za-z0-9_-]+\\.[A-Za-z0-9_-]*");

    /** @throws EntraError when the parameters are missing or contradictory */
    static ClientCredentials from(Map<String, String> form, String authorization) {
        String clientId = form.get("client_id");
        String secret = form.get("client_secret");
        if (authorization != null && authorization.regionMatches(true, 0, "Basic ", 0, 6)) {
            String[] basic = decodeBasic(authorization.substring(6).strip());
            clientId = clientId == null ? basic[0] : clientId;
            secret = secret == null ? basic[1] : secret;
        }
        if (clientId == null || clientId.isBlank()) {
            throw EntraError.missingParameter("client_id");
        }
        String assertion = form.get("client_assertion");
        if (assertion != null) {
            String type = form.get("client_assertion_type");
            if (type == null) {
                throw EntraError.missingParameter("client_assertion_type");
            }
            if (!JWT_BEARER.equals(type)) {
                throw new EntraError(400, "invalid_request", 700027,
                        "Client assertion type must be '" + JWT_BEARER + "'.");
            }
            if (!JWT_SHAPE.matcher(assertion).matches()) {
                throw new EntraError(401, "invalid_client", 50027, "JWT token is invalid or malformed.");
            }
        }
        if (secret == null && assertion == null) {
            throw new EntraError(401, "invalid_client", 7000218,
                    "The request body must contain the following parameter: 'client_assertion' or 'client_secret'.");
        }
        return new ClientCredentials(clientId, secret, assertion);
    }

    /** RFC 6749 §2.3.1: both halves are form-url-encoded before being joined by ':'. */
    private static String[] decodeBasic(String encoded) {
        try {
            String pair = new String(Base64.getDecoder().decode(encoded), StandardCharsets.UTF_8);
            int colon = pair.indexOf(':');
            if (colon < 0) {
                throw new IllegalArgumentException("no colon");
            }
            Map<String, String> parts = HttpIo.parseForm("u=" + pair.substring(0, colon) + "&p=" + pair.substring(colon + 1));
            return new String[] {parts.get("u"), parts.get("p")};
        } catch (IllegalArgumentException e) {
            throw new EntraError(401, "invalid_client", 7000216, "The Authorization header is not valid Basic "
                    + "client authentication.");
        }
    }

    /**
     * Verifies against the registration; a secret is compared in constant time.
     *
     * @param tenantId the tenant whose token endpoint was called (an assertion's audience)
     */
    void verify(RegisteredApp app, String tenantId) {
        if (assertion != null) {
            if (app.certificate() != null) {
                ClientAssertion.verify(assertion, app.certificate(), app.clientId(), tenantId);
            }
            return;
        }
        if (!app.secretMatches(secret)) {
            throw new EntraError(401, "invalid_client", 7000215, "Invalid client secret provided. Ensure the secret "
                    + "being sent in the request is the client secret value, not the client secret ID, for a secret "
                    + "added to app '" + app.clientId() + "'.");
        }
    }

    /** Never prints the secret or assertion. */
    @Override
    public String toString() {
        return "ClientCredentials[clientId=" + clientId + ", method=" + (assertion != null ? "assertion" : "secret") + "]";
    }
}
