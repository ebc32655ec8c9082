package io.assignmentworker.emulator;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.cert.X509Certificate;

/**
 * An app registration in a tenant: its client id, its secret and/or certificate, and whether Graph permission
 * was withheld, or granted for reads only ({@code DeviceManagementConfiguration.Read.All}).
 *
 * @param clientSecret the secret, or {@code null} when the app has only a certificate
 * @param certificate  the certificate whose key signs the app's client assertions, or {@code null}
 */
record RegisteredApp(String clientId, String clientSecret, X509Certificate certificate, boolean denied,
                     boolean readOnly) {

    /** Constant-time comparison, so the emulator does not teach anyone a timing side channel. */
    boolean secretMatches(String candidate) {
        return candidate != null && clientSecret != null && MessageDigest.isEqual(
                clientSecret.getBytes(StandardCharsets.UTF_8), candidate.getBytes(StandardCharsets.UTF_8));
    }

    RegisteredApp deny() {
        return new RegisteredApp(clientId, clientSecret, certificate, true, readOnly);
    }

    /** Never prints the secret. */
    @Override
    public String toString() {
        return "RegisteredApp[clientId=" + clientId + ", certificate=" + (certificate != null) + ", denied=" + denied
                + ", readOnly=" + readOnly + "]";
    }
}
