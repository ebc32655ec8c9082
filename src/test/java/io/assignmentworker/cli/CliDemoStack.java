package io.assignmentworker.cli;

import io.assignmentworker.WorkerApplication;
import io.assignmentworker.emulator.EmulatorSettings;
import io.assignmentworker.emulator.GraphEmulator;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.kafka.test.EmbeddedKafkaKraftBroker;
import tools.jackson.databind.json.JsonMapper;

/**
 * A local stack to try the command-line tool against (docs/cli.md, "Try it locally"): an in-process Kafka broker,
 * the Graph + Entra ID emulator on {@code https://localhost:8443} with a tenant, an app, policies, groups and an
 * assignment filter, and the real worker. It writes {@code target/cli-demo/env.sh} (the environment the tool
 * needs: broker address, credentials, trust store) and sample files, then runs until Ctrl-C.
 *
 * <pre>{@code ./mvnw -q test-compile org.codehaus.mojo:exec-maven-plugin:3.5.0:java -Dexec.classpathScope=test \
 *     -Dexec.mainClass=io.assignmentworker.cli.CliDemoStack}</pre>
 *
 * Environment: {@code IAW_DEMO_KAFKA_PORT} (a free port; the KRaft test broker may pick its own),
 * {@code IAW_DEMO_GRAPH_PORT} (8443),
 * {@code IAW_DEMO_WRITE_BUDGET} (writes per 20 s; 300, so a rollout of a few hundred takes some seconds).
 */
public final class CliDemoStack {

    static final String TENANT = "8f1c7e2a-1b2c-4d5e-8f90-0a1b2c3d4e5f";
    static final String CLIENT_ID = "6b3a9d2e-5c4f-4e1a-9b8c-7d6e5f4a3b2c";
    static final String FILTER = id("filter-windows-11");
    static final String HEADER = String.join(",", InputFormat.COLUMNS);

    private CliDemoStack() {
    }

    public static void main(String[] args) throws Exception {
        Path dir = Path.of("target", "cli-demo").toAbsolutePath();
        Files.createDirectories(dir);
        Path trustStore = dir.resolve("truststore.p12");
        try (InputStream in = CliDemoStack.class.getResourceAsStream("/emulator/truststore.p12")) {
            Files.copy(in, trustStore, StandardCopyOption.REPLACE_EXISTING);
        }
        System.setProperty("javax.net.ssl.trustStore", trustStore.toString());
        System.setProperty("javax.net.ssl.trustStorePassword", "changeit");
        System.setProperty("javax.net.ssl.trustStoreType", "PKCS12");
        trustOnly(trustStore);
        int kafkaPort = Integer.parseInt(env("IAW_DEMO_KAFKA_PORT", "0"));
        int budget = Integer.parseInt(env("IAW_DEMO_WRITE_BUDGET", "300"));

        EmbeddedKafkaKraftBroker broker = new EmbeddedKafkaKraftBroker(1, 6).kafkaPorts(kafkaPort);
        broker.brokerProperties(Map.of("transaction.state.log.replication.factor", "1",
                "transaction.state.log.min.isr", "1", "log.dir", Files.createTempDirectory("iaw-demo-kafka").toString()));
        broker.afterPropertiesSet();
        GraphEmulator graph = GraphEmulator.start(EmulatorSettings.defaults()
                .withPort(Integer.parseInt(env("IAW_DEMO_GRAPH_PORT", "8443")))
                .withWriteBudget(budget).withRequestBudget(budget * 5)
                .withLatency(Duration.ofMillis(40), Duration.ofMillis(20)));
        String secret = "demo-" + UUID.randomUUID();
        graph.registerApp(TENANT, CLIENT_ID, secret);
        List<String> policies = seed(graph);

        new SpringApplicationBuilder(WorkerApplication.class).run("--spring.main.banner-mode=off",
                "--spring.kafka.bootstrap-servers=" + broker.getBrokersAsString(),
                "--worker.graph.base-url=" + graph.graphBaseUrl(),
                "--worker.auth.authority-host=" + graph.authorityHost(),
                "--worker.auth.tenant-id=" + TENANT, "--worker.auth.client-id=" + CLIENT_ID,
                "--worker.auth.client-secret=" + secret,
                "--worker.scheduling.write-budget=" + budget, "--worker.scheduling.request-budget=" + budget * 5,
                "--server.port=0", "--logging.level.root=warn");

        Files.writeString(dir.resolve("env.sh"), String.join("\n",
                "export SPRING_KAFKA_BOOTSTRAP_SERVERS=" + broker.getBrokersAsString(),
                "export AZURE_TENANT_ID=" + TENANT, "export AZURE_CLIENT_ID=" + CLIENT_ID,
                "export AZURE_CLIENT_SECRET=" + secret,
                "export AZURE_AUTHORITY_HOST=" + graph.authorityHost(),
                "export WORKER_GRAPH_BASE_URL=" + graph.graphBaseUrl(),
                "export IAW_JAVA_OPTS='-Djavax.net.ssl.trustStore=" + trustStore
                        + " -Djavax.net.ssl.trustStorePassword=changeit'", ""));
        writeSamples(dir, policies);
        System.out.println("[cli-demo] Kafka on " + broker.getBrokersAsString() + ", Graph emulator on "
                + graph.graphBaseUrl() + ", worker running (write budget " + budget + " per 20 s).");
        System.out.println("[cli-demo] In another shell:  . target/cli-demo/env.sh && bin/iaw submit "
                + "target/cli-demo/wave-1.csv --wait");
        System.out.println("[cli-demo] Samples in " + dir + "; Ctrl-C stops everything.");
        Thread.currentThread().join();
    }

    /**
     * The properties above come too late when this runs inside Maven, which has set up TLS for its downloads
     * already; the worker's clients (JDK HttpClient, MSAL's HttpsURLConnection) take the default set here.
     */
    private static void trustOnly(Path trustStore) throws Exception {
        java.security.KeyStore store = java.security.KeyStore.getInstance("PKCS12");
        try (InputStream in = Files.newInputStream(trustStore)) {
            store.load(in, "changeit".toCharArray());
        }
        javax.net.ssl.TrustManagerFactory trust = javax.net.ssl.TrustManagerFactory.getInstance(
                javax.net.ssl.TrustManagerFactory.getDefaultAlgorithm());
        trust.init(store);
        javax.net.ssl.SSLContext context = javax.net.ssl.SSLContext.getInstance("TLS");
        context.init(null, trust.getTrustManagers(), null);
        javax.net.ssl.SSLContext.setDefault(context);
        javax.net.ssl.HttpsURLConnection.setDefaultSSLSocketFactory(context.getSocketFactory());
    }

    /** Four policies, 150 groups, one filter; the first policy already assigned to the first ten groups. */
    private static List<String> seed(GraphEmulator graph) {
        List<String> policies = new ArrayList<>();
        for (int i = 1; i <= 4; i++) {
            policies.add(id("policy-" + i));
            graph.addPolicy(TENANT, policies.get(i - 1), "Windows 11 compliance, ring " + i);
        }
        for (int g = 1; g <= 150; g++) {
            graph.addGroup(TENANT, group(g), "Devices, site " + g);
        }
        graph.addAssignmentFilter(TENANT, FILTER, "Windows 11 only");
        JsonMapper json = JsonMapper.builder().build();
        for (int g = 1; g <= 10; g++) {
            graph.addAssignment(TENANT, policies.get(0), json.readTree("{\"target\":{\"@odata.type\":"
                    + "\"#microsoft.graph.groupAssignmentTarget\",\"groupId\":\"" + group(g) + "\"}}"));
        }
        return policies;
    }

    /**
     * {@code wave-1.csv}: 4 policies × 60 groups (10 already assigned), all devices with the filter on each
     * policy, and 2 lines for a policy that does not exist. {@code dry-run.csv}: a few lines for each verdict.
     */
    private static void writeSamples(Path dir, List<String> policies) throws Exception {
        List<String> wave = new ArrayList<>(List.of(HEADER));
        for (String policy : policies) {
            for (int g = 1; g <= 60; g++) {
                wave.add(TENANT + "," + policy + ",group," + group(g) + ",,,,,");
            }
            wave.add(TENANT + "," + policy + ",allDevices,,," + FILTER + ",include,,");
        }
        String missingPolicy = id("policy-that-was-deleted");
        wave.add(TENANT + "," + missingPolicy + ",group," + group(1) + ",,,,,");
        wave.add(TENANT + "," + missingPolicy + ",exclusionGroup," + group(2) + ",,,,,");
        Files.write(dir.resolve("wave-1.csv"), wave);
        Files.write(dir.resolve("dry-run.csv"), List.of(HEADER,
                TENANT + "," + policies.get(0) + ",group," + group(1) + ",,,,,",
                TENANT + "," + policies.get(0) + ",group," + group(100) + ",,,,,",
                TENANT + "," + policies.get(0) + ",group," + id("group-nobody-created") + ",,,,,",
                TENANT + "," + policies.get(1) + ",allDevices,,," + id("filter-nobody-created") + ",include,,",
                TENANT + "," + missingPolicy + ",allUsers,,,,,,"));
    }

    private static String group(int n) {
        return id("group-" + n);
    }

    private static String id(String name) {
        return UUID.nameUUIDFromBytes(name.getBytes(java.nio.charset.StandardCharsets.UTF_8)).toString();
    }

    private static String env(String name, String fallback) {
        String value = System.getenv(name);
        return value == null || value.isBlank() ? fallback : value;
    }
}
