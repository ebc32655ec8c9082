package io.assignmentworker.emulator;

import java.io.IOException;
import java.io.InputStream;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;

/** Builds the server's TLS context from the bundled self-signed certificate (CN/SAN localhost, 127.0.0.1, ::1). */
final class TlsContext {
    static final String KEYSTORE = "/emulator/keystore.p12";
    static final String TRUSTSTORE = "/emulator/truststore.p12";
    /** Not a secret: the key only protects a throwaway certificate for loopback tests, published with the code. */
    static final char[] STORE_PASSWORD = "changeit".toCharArray();

    private TlsContext() {
    }

    static SSLContext create() {
        try (InputStream in = TlsContext.class.getResourceAsStream(KEYSTORE)) {
            if (in == null) {
                throw new IllegalStateException("classpath resource " + KEYSTORE + " is missing");
            }
            KeyStore keyStore = KeyStore.getInstance("PKCS12");
            keyStore.load(in, STORE_PASSWORD);
            KeyManagerFactory keys = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
            keys.init(keyStore, STORE_PASSWORD);
            SSLContext context = SSLContext.getInstance("TLS");
            context.init(keys.getKeyManagers(), null, null);
            return context;
        } catch (IOException | GeneralSecurityException e) {
            throw new IllegalStateException("cannot load the emulator's TLS key from " + KEYSTORE, e);
        }
    }
}
