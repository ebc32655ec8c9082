package io.assignmentworker.emulator;

import java.security.SecureRandom;
import java.util.Base64;
import java.util.UUID;
import java.util.regex.Pattern;

/** Id and secret generation plus the id formats Graph accepts in paths and bodies. */
final class Ids {
    private static final Pattern GUID =
            Pattern.compile("[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}");
    // Intune assignment ids are GUIDs or "<policyId>_<targetId>"; anything outside this alphabet is malformed.
    private static final Pattern ENTITY_KEY = Pattern.compile("[0-9A-Za-z_.-]{1,200}");
    private static final SecureRandom RANDOM = new SecureRandom();

    private Ids() {
    }

    static boolean isGuid(String value) {
        return value != null && GUID.matcher(value).matches();
    }

    static boolean isEntityKey(String value) {
        return value != null && ENTITY_KEY.matcher(value).matches();
    }

    static String newGuid() {
        return UUID.randomUUID().toString();
    }

    /** An opaque bearer token: 256 random bits, so tokens cannot be guessed from one another. */
    static String newToken() {
        byte[] bytes = new byte[32];
        RANDOM.nextBytes(bytes);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
    }
}
