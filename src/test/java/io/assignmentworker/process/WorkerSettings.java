package io.assignmentworker.process;

import java.net.URI;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * How a packaged worker is configured: only through the environment variables a deployment would set.
 *
 * @param bootstrapServers Kafka bootstrap address
 * @param requestsTopic    topic the worker reads requests from
 * @param resultsTopic     topic it publishes outcomes to
 * @param groupId          its consumer group; a fresh one per scenario, so that no dead member of an earlier
 *                         scenario holds up the group's first rebalance for a session timeout
 * @param graphBaseUrl     Graph's base URL (the emulator's)
 * @param authorityHost    Entra ID's host (the emulator's)
 * @param tenantId         the tenant the worker signs in to
 * @param clientId         its app registration
 * @param clientSecret     the app's secret
 * @param writeBudget      Graph writes per 20 s window it allows itself
 * @param requestBudget    Graph calls per 20 s window it allows itself
 * @param trustStore       PKCS12 trust store (password {@code changeit}) holding the emulator's certificate
 * @param extraEnvironment further variables, set last so they win over the ones above, e.g.
 *                         {@code WORKER_GRAPH_STRATEGY=assign}; empty for a worker configured like a first deployment
 */
public record WorkerSettings(String bootstrapServers, String requestsTopic, String resultsTopic, String groupId,
                             URI graphBaseUrl, URI authorityHost, String tenantId, String clientId,
                             String clientSecret, int writeBudget, int requestBudget, Path trustStore,
                             Map<String, String> extraEnvironment) {

    public WorkerSettings {
        extraEnvironment = extraEnvironment == null ? Map.of() : Map.copyOf(extraEnvironment);
    }

    /** Settings without extra variables. */
    public WorkerSettings(String bootstrapServers, String requestsTopic, String resultsTopic, String groupId,
                          URI graphBaseUrl, URI authorityHost, String tenantId, String clientId, String clientSecret,
                          int writeBudget, int requestBudget, Path trustStore) {
        this(bootstrapServers, requestsTopic, resultsTopic, groupId, graphBaseUrl, authorityHost, tenantId, clientId,
                clientSecret, writeBudget, requestBudget, trustStore, Map.of());
    }

    /** These settings with {@code more} variables added to (and overriding) the extra ones. */
    public WorkerSettings withEnvironment(Map<String, String> more) {
        Map<String, String> merged = new LinkedHashMap<>(extraEnvironment);
        merged.putAll(more);
        return new WorkerSettings(bootstrapServers, requestsTopic, resultsTopic, groupId, graphBaseUrl, authorityHost,
                tenantId, clientId, clientSecret, writeBudget, requestBudget, trustStore, merged);
    }

    /** The environment of the worker process; {@code SERVER_PORT} is the health endpoint's port. */
    Map<String, String> environment(int serverPort) {
        Map<String, String> env = new LinkedHashMap<>();
        env.put("SPRING_KAFKA_BOOTSTRAP_SERVERS", bootstrapServers);
        env.put("SPRING_KAFKA_CONSUMER_GROUP_ID", groupId);
        env.put("WORKER_TOPICS_REQUESTS", requestsTopic);
        env.put("WORKER_TOPICS_RESULTS", resultsTopic);
        env.put("WORKER_GRAPH_BASE_URL", graphBaseUrl.toString());
        env.put("AZURE_AUTHORITY_HOST", authorityHost.toString());
        env.put("AZURE_TENANT_ID", tenantId);
        env.put("AZURE_CLIENT_ID", clientId);
        env.put("AZURE_CLIENT_SECRET", clientSecret);
        env.put("WORKER_SCHEDULING_WRITE_BUDGET", Integer.toString(writeBudget));
        env.put("WORKER_SCHEDULING_REQUEST_BUDGET", Integer.toString(requestBudget));
        // Each test's tenant is its own and no other worker wrote it lately: no hold before the first writes
        // (ScaleOutIT keeps one, as a group that scales does).
        env.put("WORKER_SCHEDULING_SHARE_RISE_HOLD", "0s");
        env.putAll(extraEnvironment);
        env.put("SERVER_PORT", Integer.toString(serverPort));
        return env;
    }

    /** The secret stays out of test reports. */
    @Override
    public String toString() {
        return "WorkerSettings[bootstrapServers=" + bootstrapServers + ", requestsTopic=" + requestsTopic
                + ", resultsTopic=" + resultsTopic + ", groupId=" + groupId + ", graphBaseUrl=" + graphBaseUrl
                + ", tenantId=" + tenantId + ", clientId=" + clientId + ", writeBudget=" + writeBudget
                + ", requestBudget=" + requestBudget + ", extraEnvironment=" + extraEnvironment + "]";
    }
}
