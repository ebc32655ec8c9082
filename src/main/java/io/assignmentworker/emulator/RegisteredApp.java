package io.assignmentworker.emulator;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;

/** An app registration in a tenant: its client id, its one secret, and whether Graph permission was withheld. */
record RegisteredApp(String clientId, String clientSecret, boolean denied) {

    /** Constant-time comparison, so the emulator does not teach anyone a timing side channel. */
    boolean secretMatches(String candidate) {
        return candidate != null && MessageDigest.isEqual(
                clientSecret.getBytes(StandardCharsets.UTF_8), candidate.getBytes(StandardCharsets.UTF_8));
    }

    RegisteredApp deny() {
        return new RegisteredApp(clientId, clientSecret, true);
    }

    /** Never prints the secret. */
    @Override
    public String toString() {
        return "RegisteredApp[clientId=" + clientId + ", denied=" + denied + "]";
    }
}
