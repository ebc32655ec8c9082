package io.assignmentworker.graph;

import java.net.URI;
import java.nio.file.Path;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * The app registration the worker signs in with ({@code worker.auth.*}, usually set through the standard
 * {@code AZURE_*} variables). Its {@link #toString()} never shows the secret.
 *
 * @param authorityHost Entra ID's host; default {@code https://login.microsoftonline.com} ({@code AZURE_AUTHORITY_HOST})
 * @param tenantId      the tenant (GUID) ({@code AZURE_TENANT_ID}); requests without a tenantId go here
 * @param clientId      the application (client) id ({@code AZURE_CLIENT_ID})
 * @param clientSecret  the client secret ({@code AZURE_CLIENT_SECRET}); not needed with a federated token file
 * @param federatedTokenFile a Kubernetes service-account token file for Azure workload identity
 *                      ({@code AZURE_FEDERATED_TOKEN_FILE}, set by the workload-identity webhook); when set, it
 *                      is sent as the client assertion instead of a secret, read anew for every token request
 * @param scope         the token scope; default {@code https://graph.microsoft.com/.default}
 */
@ConfigurationProperties("worker.auth")
public record AuthProperties(@DefaultValue("https://login.microsoftonline.com") URI authorityHost,
                             String tenantId, String clientId, String clientSecret, Path federatedTokenFile,
                             @DefaultValue("https://graph.microsoft.com/.default") String scope) {

    public AuthProperties {
        if (authorityHost == null || !"https".equals(authorityHost.getScheme()) || authorityHost.getHost() == null) {
            throw new IllegalArgumentException("worker.auth.authority-host (AZURE_AUTHORITY_HOST) must be an https URL "
                    + "such as https://login.microsoftonline.com, got '" + authorityHost + "'");
        }
        require("worker.auth.tenant-id (AZURE_TENANT_ID)", tenantId);
        require("worker.auth.client-id (AZURE_CLIENT_ID)", clientId);
        if (federatedTokenFile != null && federatedTokenFile.toString().isBlank()) {
            federatedTokenFile = null;
        }
        if (federatedTokenFile == null) {
            require("worker.auth.client-secret (AZURE_CLIENT_SECRET) or worker.auth.federated-token-file "
                    + "(AZURE_FEDERATED_TOKEN_FILE)", clientSecret);
        }
        if (!tenantId.matches("[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}")) {
            throw new IllegalArgumentException("worker.auth.tenant-id (AZURE_TENANT_ID) must be the tenant's GUID, got '"
                    + tenantId + "'");
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
                + federatedTokenFile + ", scope=" + scope + "]";
    }
}
