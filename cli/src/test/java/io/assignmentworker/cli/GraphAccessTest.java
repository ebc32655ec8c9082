package io.assignmentworker.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.assignmentworker.graph.AuthProperties.TenantCredentials;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The tool reads the worker's multi-tenant settings from the environment exactly as the worker binds them. */
class GraphAccessTest {

    @Test
    void bindsEveryTenantOfTheEnvironmentAsTheWorkerDoes() {
        Map<String, String> env = Map.of(
                "WORKER_AUTH_TENANTS_0_TENANT_ID", "11111111-1111-1111-1111-111111111111",
                "WORKER_AUTH_TENANTS_0_CLIENT_ID", "app-0",
                "WORKER_AUTH_TENANTS_0_CLIENT_SECRET", "secret-0",
                "WORKER_AUTH_TENANTS_1_TENANT_ID", "22222222-2222-2222-2222-222222222222",
                "WORKER_AUTH_TENANTS_1_CERTIFICATE_FILE", "/etc/app/cert.p12",
                "WORKER_AUTH_TENANTS_1_CERTIFICATE_PASSWORD", "pfx",
                "WORKER_AUTH_TENANTS_2_TENANT_ID", "33333333-3333-3333-3333-333333333333",
                "WORKER_AUTH_TENANTS_2_FEDERATED_TOKEN_FILE", "/var/run/token",
                "UNRELATED", "x");

        List<TenantCredentials> tenants = GraphAccess.moreTenants(env);

        assertThat(tenants).containsExactly(
                new TenantCredentials("11111111-1111-1111-1111-111111111111", "app-0", "secret-0", null, null, null),
                new TenantCredentials("22222222-2222-2222-2222-222222222222", null, null, null,
                        Path.of("/etc/app/cert.p12"), "pfx"),
                new TenantCredentials("33333333-3333-3333-3333-333333333333", null, null, Path.of("/var/run/token"),
                        null, null));
    }

    @Test
    void bindsNoTenantsWhenNoneAreSet() {
        assertThat(GraphAccess.moreTenants(Map.of("AZURE_TENANT_ID", "x"))).isEmpty();
    }
}
