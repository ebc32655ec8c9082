package io.assignmentworker.emulator;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.Signature;
import java.security.cert.X509Certificate;
import java.security.spec.MGF1ParameterSpec;
import java.security.spec.PSSParameterSpec;
import java.time.Instant;
import java.util.Base64;
import java.util.Locale;
import tools.jackson.databind.JsonNode;

/**
 * A {@code private_key_jwt} client assertion checked as Entra ID checks it: signed with the registered
 * certificate's key (RS256 or PS256), audience this tenant's token endpoint, issuer and subject the client id,
 * not expired. Answers with Entra's AADSTS errors.
 */
final class ClientAssertion {

    private ClientAssertion() {
    }

    static void verify(String jwt, X509Certificate certificate, String clientId, String tenantId) {
        String[] parts = jwt.split("\\.", -1);
        if (parts.length != 3) {
            throw invalid(50027, "JWT token is invalid or malformed.");
        }
        JsonNode header = json(parts[0]);
        JsonNode claims = json(parts[1]);
        String alg = header.path("alg").asString("");
        if (!signatureMatches(alg, parts, certificate)) {
            throw invalid(700027, "Client assertion failed signature validation.");
        }
        String audience = claims.path("aud").asString("");
        if (!audience.toLowerCase(Locale.ROOT).contains("/" + tenantId.toLowerCase(Locale.ROOT) + "/")
                || !audience.endsWith("/oauth2/v2.0/token") && !audience.endsWith("/oauth2/token")) {
            throw invalid(700212, "No matching federated identity record found for presented assertion audience '"
                    + audience + "'.");
        }
        if (!clientId.equalsIgnoreCase(claims.path("iss").asString(""))
                || !clientId.equalsIgnoreCase(claims.path("sub").asString(""))) {
            throw invalid(700023, "Client assertion audience claim does not match Realm issuer or the issuer and "
                    + "subject are not the client id.");
        }
        long expires = claims.path("exp").asLong(0);
        if (expires <= Instant.now().getEpochSecond()) {
            throw invalid(700024, "Client assertion is not within its valid time range.");
        }
    }

    private static boolean signatureMatches(String alg, String[] parts, X509Certificate certificate) {
        try {
            Signature signature;
            if ("RS256".equals(alg)) {
                signature = Signature.getInstance("SHA256withRSA");
            } else if ("PS256".equals(alg)) {
                signature = Signature.getInstance("RSASSA-PSS");
                signature.setParameter(new PSSParameterSpec("SHA-256", "MGF1", MGF1ParameterSpec.SHA256, 32, 1));
            } else {
                throw invalid(700027, "Client assertion uses an unsupported signing algorithm '" + alg + "'.");
            }
            signature.initVerify(certificate.getPublicKey());
            signature.update((parts[0] + "." + parts[1]).getBytes(StandardCharsets.US_ASCII));
            return signature.verify(Base64.getUrlDecoder().decode(parts[2]));
        } catch (GeneralSecurityException | IllegalArgumentException e) {
            return false;
        }
    }

    private static JsonNode json(String part) {
        try {
            return Json.MAPPER.readTree(Base64.getUrlDecoder().decode(part));
        } catch (RuntimeException e) {
            throw invalid(50027, "JWT token is invalid or malformed.");
        }
    }

    private static EntraError invalid(int aadsts, String description) {
        return new EntraError(401, "invalid_client", aadsts, description);
    }
}
