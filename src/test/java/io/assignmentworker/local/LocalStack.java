package io.assignmentworker.local;

import io.assignmentworker.WorkerApplication;
import io.assignmentworker.emulator.EmulatorSettings;
import io.assignmentworker.emulator.GraphEmulator;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.Map;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.kafka.test.EmbeddedKafkaKraftBroker;

/**
 * The local run's three parts, started in order and stopped in the reverse order: an in-process Kafka broker
 * (KRaft), the Graph + Entra ID emulator over https seeded with the {@link LocalDirectory}, and the real worker.
 */
public final class LocalStack implements AutoCloseable {

    static final String REQUESTS = "intune.assignment.requests";
    static final String RESULTS = "intune.assignment.results";
    static final String ROLLOUTS = "intune.assignment.rollouts";
    static final String MANIFESTS = "intune.assignment.rollout-manifests";

    /**
     * @param graphPort   the emulator's port, 0 for any free one
     * @param workerPort  the worker's HTTP port (health, metrics), 0 for any free one
     * @param writeBudget the tenant's writes per 20 s
     * @param routeRefused whether the tenant refuses the create route (the worker then writes with /assign)
     * @param rolloutGroups the groups the generated rollout names
     */
    public record Settings(int graphPort, int workerPort, int writeBudget, boolean routeRefused,
                    int rolloutGroups) {
    }

    final Path dir;
    final Path trustStore;
    final EmbeddedKafkaKraftBroker broker;
    final GraphEmulator graph;
    final LocalDirectory directory;
    final ConfigurableApplicationContext worker;

    private LocalStack(Path dir, Path trustStore, EmbeddedKafkaKraftBroker broker, GraphEmulator graph,
                       LocalDirectory directory, ConfigurableApplicationContext worker) {
        this.dir = dir;
        this.trustStore = trustStore;
        this.broker = broker;
        this.graph = graph;
        this.directory = directory;
        this.worker = worker;
    }

    public static LocalStack start(Path dir, Settings settings) throws Exception {
        Files.createDirectories(dir);
        // Trust the emulator's self-signed certificate the standard way, before anything opens a TLS connection.
        Path trustStore = dir.resolve("truststore.p12");
        try (InputStream in = LocalStack.class.getResourceAsStream("/emulator/truststore.p12")) {
            Files.copy(in, trustStore, StandardCopyOption.REPLACE_EXISTING);
        }
        System.setProperty("javax.net.ssl.trustStore", trustStore.toString());
        System.setProperty("javax.net.ssl.trustStorePassword", "changeit");
        System.setProperty("javax.net.ssl.trustStoreType", "PKCS12");

        LocalRun.say("Starting an in-process Kafka broker (KRaft) ...");
        // On a free port: the KRaft test broker picks its own (iaw.env names it).
        EmbeddedKafkaKraftBroker broker = new EmbeddedKafkaKraftBroker(1, 6, REQUESTS, RESULTS, REQUESTS + ".DLT");
        broker.brokerProperties(Map.of("transaction.state.log.replication.factor", "1",
                "transaction.state.log.min.isr", "1",
                "log.dir", Files.createTempDirectory("intune-worker-local-kafka").toString()));
        broker.afterPropertiesSet();

        // A large tenant's budget scaled for a short run, Graph-like latency, and a few faults to ride out.
        int budget = settings.writeBudget();
        GraphEmulator graph = GraphEmulator.start(EmulatorSettings.defaults().withPort(settings.graphPort())
                .withWriteBudget(budget).withRequestBudget(budget * 5)
                .withLatency(Duration.ofMillis(40), Duration.ofMillis(20)));
        LocalDirectory directory = new LocalDirectory(settings.rolloutGroups());
        directory.seed(graph);
        directory.write(dir.resolve("directory.csv"));
        // Like Graph: a write naming a group or filter the tenant does not have is refused, as the dry run says.
        graph.tenant(LocalDirectory.TENANT).directoryChecks(true);
        graph.tenant(LocalDirectory.TENANT).unavailableRatio(0.02);
        graph.tenant(LocalDirectory.TENANT).createRouteRefused(settings.routeRefused());
        LocalRun.say("Graph emulator on " + graph.graphBaseUrl() + " (write budget " + budget + " per 20 s, 40±20 ms, "
                + "2% 503s" + (settings.routeRefused()
                ? ", create route refused: the worker switches to coalesced /assign writes" : "") + ")");

        // Command-line arguments: they win over application.yaml, as they would for a real deployment.
        ConfigurableApplicationContext worker = new SpringApplicationBuilder(WorkerApplication.class).run(
                "--spring.main.banner-mode=off",
                "--spring.kafka.bootstrap-servers=" + broker.getBrokersAsString(),
                "--worker.graph.base-url=" + graph.graphBaseUrl(),
                "--worker.auth.authority-host=" + graph.authorityHost(),
                "--worker.auth.tenant-id=" + LocalDirectory.TENANT,
                "--worker.auth.client-id=" + LocalDirectory.CLIENT_ID,
                "--worker.auth.client-secret=" + LocalDirectory.CLIENT_SECRET,
                "--worker.scheduling.write-budget=" + budget,
                "--worker.scheduling.request-budget=" + budget * 5,
                // Nothing is left under way when a person stops the local run: no reason to wait long.
                "--worker.intake.shutdown-grace=2s",
                "--server.port=" + settings.workerPort(),
                "--logging.level.root=warn");
        return new LocalStack(dir, trustStore, broker, graph, directory, worker);
    }

    String brokers() {
        return broker.getBrokersAsString();
    }

    String workerPort() {
        return worker.getEnvironment().getProperty("local.server.port");
    }

    /**
     * The environment {@code bin/iaw} needs for this stack: the broker, the demo app's credentials and the trust
     * store, as {@code export} lines to source.
     */
    public Path writeIawEnvironment() throws Exception {
        Path file = dir.resolve("iaw.env");
        Files.writeString(file, String.join("\n",
                "# The iaw environment for the local run (demo credentials of the emulated tenant; not secrets).",
                "export SPRING_KAFKA_BOOTSTRAP_SERVERS=" + brokers(),
                "export AZURE_TENANT_ID=" + LocalDirectory.TENANT,
                "export AZURE_CLIENT_ID=" + LocalDirectory.CLIENT_ID,
                "export AZURE_CLIENT_SECRET=" + LocalDirectory.CLIENT_SECRET,
                "export AZURE_AUTHORITY_HOST=" + graph.authorityHost(),
                "export WORKER_GRAPH_BASE_URL=" + graph.graphBaseUrl(),
                "export IAW_JAVA_OPTS='-Djavax.net.ssl.trustStore=" + trustStore
                        + " -Djavax.net.ssl.trustStorePassword=changeit -Djavax.net.ssl.trustStoreType=PKCS12'", ""));
        return file;
    }

    /** The worker first (it commits what it finished), then the emulator, then the broker. */
    @Override
    public void close() {
        worker.close();
        graph.close();
        broker.destroy();
    }
}
