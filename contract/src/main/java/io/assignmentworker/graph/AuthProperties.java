package io.assignmentworker.graph;

import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import io.assignmentworker.request.Guid;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.ConstructorBinding;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * The tenants the worker writes to and the app registration it signs in with in each ({@code worker.auth.*};
 * the default tenant usually through the standard {@code AZURE_*} variables). Its {@link #toString()} never
 * shows a secret or password.
 *
 * @param authorityHost Entra ID's host; default {@code https://login.microsoftonline.com} ({@code AZURE_AUTHORITY_HOST})
 * @param tenantId      the default tenant (GUID) ({@code AZURE_TENANT_ID}); requests without a tenantId go here.
 *                      Optional when {@code tenants} lists the tenants
 * @param clientId      the application (client) id ({@code AZURE_CLIENT_ID}); also the default of every entry of
 *                      {@code tenants}
 * @param clientSecret  the client secret ({@code AZURE_CLIENT_SECRET})
 * @param federatedTokenFile a Kubernetes service-account token file for Azure workload identity
 *                      ({@code AZURE_FEDERATED_TOKEN_FILE}, set by the workload-identity webhook); when set, it
 *                      is sent as the client assertion instead of a secret, read anew for every token request
 * @param certificateFile a PKCS#12 file with the app's certificate and private key
 *                      ({@code AZURE_CLIENT_CERTIFICATE_PATH}); the assertion is signed with it
 * @param certificatePassword the PKCS#12 file's password ({@code AZURE_CLIENT_CERTIFICATE_PASSWORD})
 * @param scope         the token scope; default {@code https://graph.microsoft.com/.default}
 * @param tenants       more tenants, each with its own app registration and credential, e.g.
 *                      {@code worker.auth.tenants[0].tenant-id}, {@code ….client-id}, {@code ….client-secret} (env
 *                      {@code WORKER_AUTH_TENANTS_0_TENANT_ID}, …); an entry without a client id and credential
 *                      uses the default ones
 */
@ConfigurationProperties("worker.auth")
public record AuthProperties(@DefaultValue("https://login.microsoftonline.com") URI authorityHost,
                             String tenantId, String clientId, String clientSecret, Path federatedTokenFile,
                             Path certificateFile, String certificatePassword,
                             @DefaultValue("https://graph.microsoft.com/.default") String scope,
                             List<TenantCredentials> tenants) {

    /** The default tenant with one credential: the single-tenant setup. */
    public AuthProperties(URI authorityHost, String tenantId, String clientId, String clientSecret,
                          Path federatedTokenFile, String scope) {
        this(authorityHost, tenantId, clientId, clientSecret, federatedTokenFile, null, null, scope, null);
    }

    /**
     * One tenant's app registration and credential: exactly one of secret, certificate or federated token file.
     *
     * @param tenantId the tenant (GUID)
     */
    public record TenantCredentials(String tenantId, String clientId, String clientSecret, Path federatedTokenFile,
                                    Path certificateFile, String certificatePassword) {

        /** Which kind of credential it is, for logs and health (never the credential itself). */
        public String kind() {
            return certificateFile != null ? "certificate" : federatedTokenFile != null ? "workload identity"
                    : "secret";
        }

        @Override
        public String toString() {
            return "TenantCredentials[tenantId=" + tenantId + ", clientId=" + clientId + ", credential=" + kind()
                    + "]";
        }
    }

    @ConstructorBinding
    public AuthProperties {
        if (authorityHost == null || !"https".equals(authorityHost.getScheme()) || authorityHost.getHost() == null) {
            throw new IllegalArgumentException("worker.auth.authority-host (AZURE_AUTHORITY_HOST) must be an https URL "
                    + "such as https://login.microsoftonline.com, got '" + authorityHost + "'");
        }
        federatedTokenFile = blankToNull(federatedTokenFile);
        certificateFile = blankToNull(certificateFile);
        tenants = tenants == null ? List.of() : List.copyOf(tenants);
        if (tenants.isEmpty()) {
            require("worker.auth.tenant-id (AZURE_TENANT_ID)", tenantId);
        }
        if (tenantId != null && !tenantId.isBlank()) {
            requireGuid("worker.auth.tenant-id (AZURE_TENANT_ID)", tenantId);
            require("worker.auth.client-id (AZURE_CLIENT_ID)", clientId);
            requireOneCredential("worker.auth.client-secret (AZURE_CLIENT_SECRET), worker.auth.federated-token-file "
                    + "(AZURE_FEDERATED_TOKEN_FILE) or worker.auth.certificate-file (AZURE_CLIENT_CERTIFICATE_PATH)",
                    clientSecret, federatedTokenFile, certificateFile);
        } else {
            tenantId = null;
        }
        List<TenantCredentials> complete = new ArrayList<>();
        for (int i = 0; i < tenants.size(); i++) {
            complete.add(complete("worker.auth.tenants[" + i + "]", tenants.get(i), clientId, clientSecret,
                    federatedTokenFile, certificateFile, certificatePassword));
        }
        tenants = List.copyOf(complete);
        Map<String, String> seen = new LinkedHashMap<>();
        if (tenantId != null) {
            seen.put(tenantId.toLowerCase(Locale.ROOT), "worker.auth.tenant-id");
        }
        for (int i = 0; i < tenants.size(); i++) {
            String earlier = seen.put(tenants.get(i).tenantId().toLowerCase(Locale.ROOT), "worker.auth.tenants[" + i + "]");
            if (earlier != null) {
                throw new IllegalArgumentException("worker.auth.tenants[" + i + "].tenant-id: tenant "
                        + tenants.get(i).tenantId() + " is configured twice (also in " + earlier + ")");
            }
        }
    }

    /** Every configured tenant with its credentials, the default tenant first. */
    public List<TenantCredentials> allTenants() {
        List<TenantCredentials> all = new ArrayList<>();
        if (tenantId != null) {
            all.add(new TenantCredentials(tenantId, clientId, clientSecret, federatedTokenFile, certificateFile,
                    certificatePassword));
        }
        all.addAll(tenants);
        return all;
    }

    /** The tenant requests without a tenantId go to, or {@code null} when none is set. */
    public String defaultTenantId() {
        return tenantId;
    }

    private static TenantCredentials complete(String prefix, TenantCredentials entry, String defaultClientId,
                                              String defaultSecret, Path defaultTokenFile, Path defaultCertificate,
                                              String defaultCertificatePassword) {
        requireGuid(prefix + ".tenant-id", entry.tenantId());
        String clientId = entry.clientId() == null || entry.clientId().isBlank() ? defaultClientId : entry.clientId();
        require(prefix + ".client-id (or worker.auth.client-id)", clientId);
        Path tokenFile = blankToNull(entry.federatedTokenFile());
        Path certificate = blankToNull(entry.certificateFile());
        boolean own = entry.clientSecret() != null && !entry.clientSecret().isBlank() || tokenFile != null
                || certificate != null;
        if (!own) {
            requireOneCredential(prefix + ".client-secret, .federated-token-file or .certificate-file (or a default "
                    + "credential)", defaultSecret, defaultTokenFile, defaultCertificate);
            return new TenantCredentials(entry.tenantId(), clientId, defaultSecret, defaultTokenFile,
                    defaultCertificate, defaultCertificatePassword);
        }
        requireOneCredential(prefix + ".client-secret, .federated-token-file or .certificate-file",
                entry.clientSecret(), tokenFile, certificate);
        return new TenantCredentials(entry.tenantId(), clientId, entry.clientSecret(), tokenFile, certificate,
                entry.certificatePassword());
    }

    /**
     * One credential wins when several are given (the federated token file over a certificate over a secret,
     * as the workload-identity webhook adds its file to whatever else is configured); none is an error.
     */
    private static void requireOneCredential(String property, String secret, Path tokenFile, Path certificate) {
        if ((secret == null || secret.isBlank()) && tokenFile == null && certificate == null) {
            throw new IllegalArgumentException(property + " is required");
        }
        if (certificate != null && !Files.isReadable(certificate)) {
            throw new IllegalArgumentException(property + ": certificate file " + certificate + " is not readable");
        }
    }

    private static Path blankToNull(Path path) {
        return path == null || path.toString().isBlank() ? null : path;
    }

    private static void requireGuid(String property, String value) {
        require(property, value);
        if (!Guid.isGuid(value)) {
            throw new IllegalArgumentException(property + " must be the tenant's GUID, got '" + value + "'");
        }
    }

    private static void require(String property, String value) {
        if (value == null || value.isBlank()) {
            throw new IllegalArgumentException(property + " is required");
        }
    }

    @Override
    public String toString() {
        return "AuthProperties[authorityHost=" + authorityHost + ", tenantId=" + tenantId + ", clientId=" + clientId
                + ", clientSecret=" + (clientSecret == null ? "none" : "****") + ", federatedTokenFile="
                + federatedTokenFile + ", certificateFile=" + certificateFile + ", scope=" + scope + ", tenants="
                + tenants + "]";
    }
}
