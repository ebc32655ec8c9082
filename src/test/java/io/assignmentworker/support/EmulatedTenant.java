package io.assignmentworker.support;

import io.assignmentworker.emulator.GraphEmulator;
import org.springframework.test.context.DynamicPropertyRegistry;

/** Points a worker under test at the Graph emulator, signed in as one app in one tenant. */
public final class EmulatedTenant {

    private EmulatedTenant() {
    }

    /** Graph and Entra ID at {@code graph}, the app's credentials, and the tenant as the worker's default. */
    public static void register(DynamicPropertyRegistry registry, GraphEmulator graph, String tenant, String clientId,
                                String secret) {
        graph.registerApp(tenant, clientId, secret);
        registry.add("worker.graph.base-url", graph::graphBaseUrl);
        registry.add("worker.auth.authority-host", graph::authorityHost);
        registry.add("worker.auth.tenant-id", () -> tenant);
        registry.add("worker.auth.client-id", () -> clientId);
        registry.add("worker.auth.client-secret", () -> secret);
    }

    /** {@link #register}, with budgets that never bind (10,000 writes and 100,000 calls a window). */
    public static void registerUnthrottled(DynamicPropertyRegistry registry, GraphEmulator graph, String tenant,
                                           String clientId, String secret) {
        register(registry, graph, tenant, clientId, secret);
        registry.add("worker.scheduling.write-budget", () -> 10_000);
        registry.add("worker.scheduling.request-budget", () -> 100_000);
    }
}
