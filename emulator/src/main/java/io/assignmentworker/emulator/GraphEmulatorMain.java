package io.assignmentworker.emulator;

import java.io.PrintStream;
import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.function.UnaryOperator;

/**
 * Runs a standalone emulator configured from system properties or, failing those, environment variables of the
 * same names (see the package documentation). Prints its URLs, never the client secret, and runs until killed.
 */
public final class GraphEmulatorMain {
    private GraphEmulatorMain() {
    }

    /**
     * Starts the emulator and blocks until the JVM is stopped.
     *
     * @param args ignored; configuration comes from {@code EMULATOR_*} properties or environment variables
     */
    public static void main(String[] args) throws InterruptedException {
        GraphEmulator emulator;
        try {
            emulator = start(GraphEmulatorMain::lookup, System.out);
        } catch (IllegalArgumentException e) {
            System.err.println("Graph emulator not started: " + e.getMessage());
            System.exit(2);
            return;
        }
        Runtime.getRuntime().addShutdownHook(new Thread(emulator::close, "graph-emulator-shutdown"));
        new CountDownLatch(1).await();
    }

    /** Starts an emulator from the named settings and prints where it listens. */
    static GraphEmulator start(UnaryOperator<String> config, PrintStream out) {
        EmulatorSettings settings = settings(config);
        String tenantId = config.apply("EMULATOR_TENANT_ID");
        String clientId = config.apply("EMULATOR_CLIENT_ID");
        String secret = config.apply("EMULATOR_CLIENT_SECRET");
        List<String> policies = guids(config, "EMULATOR_POLICIES", tenantId);
        List<String> groups = guids(config, "EMULATOR_GROUPS", tenantId);
        List<String> filters = guids(config, "EMULATOR_FILTERS", tenantId);
        boolean anyApp = tenantId != null || clientId != null || secret != null;
        if (anyApp && (tenantId == null || clientId == null || secret == null)) {
            throw new IllegalArgumentException(
                    "set all of EMULATOR_TENANT_ID, EMULATOR_CLIENT_ID and EMULATOR_CLIENT_SECRET, or none");
        }
        GraphEmulator emulator = GraphEmulator.start(settings);
        if (anyApp) {
            emulator.registerApp(tenantId, clientId, secret);
            for (int i = 0; i < policies.size(); i++) {
                emulator.addPolicy(tenantId, policies.get(i), "Emulated compliance policy " + (i + 1));
            }
            for (int i = 0; i < groups.size(); i++) {
                emulator.addGroup(tenantId, groups.get(i), "Emulated group " + (i + 1));
            }
            for (int i = 0; i < filters.size(); i++) {
                emulator.addAssignmentFilter(tenantId, filters.get(i), "Emulated assignment filter " + (i + 1));
            }
        }
        printBanner(out, emulator, tenantId, clientId, policies);
        out.println("  directory      : " + (settings.directoryChecks() ? "strict" : "open") + ", "
                + groups.size() + " groups, " + filters.size() + " assignment filters");
        out.flush();
        return emulator;
    }

    private static EmulatorSettings settings(UnaryOperator<String> config) {
        EmulatorSettings.Builder builder = EmulatorSettings.builder()
                .port(integer(config, "EMULATOR_PORT", 8443))
                .tls(Boolean.parseBoolean(orDefault(config, "EMULATOR_TLS", "true")));
        String ttl = config.apply("EMULATOR_TOKEN_TTL");
        if (ttl != null) {
            builder.tokenTtl(duration("EMULATOR_TOKEN_TTL", ttl));
        }
        String writeBudget = config.apply("EMULATOR_WRITE_BUDGET");
        if (writeBudget != null) {
            builder.writeBudget(integer(config, "EMULATOR_WRITE_BUDGET", 0));
        }
        String window = config.apply("EMULATOR_BUDGET_WINDOW");
        if (window != null) {
            builder.budgetWindow(duration("EMULATOR_BUDGET_WINDOW", window));
        }
        String latency = config.apply("EMULATOR_LATENCY");
        if (latency != null) {
            builder.latency(duration("EMULATOR_LATENCY", latency));
        }
        String directory = orDefault(config, "EMULATOR_DIRECTORY", "open").strip();
        if (!directory.equals("open") && !directory.equals("strict")) {
            throw new IllegalArgumentException("EMULATOR_DIRECTORY must be 'open' or 'strict', not '" + directory + "'");
        }
        builder.directoryChecks(directory.equals("strict"));
        return builder.build();
    }

    private static void printBanner(PrintStream out, GraphEmulator emulator, String tenantId, String clientId,
                                    List<String> policies) {
        out.println("Graph emulator listening on 127.0.0.1:" + emulator.port());
        out.println("  authority host : " + emulator.authorityHost());
        out.println("  Graph base URL : " + emulator.graphBaseUrl());
        out.println("  admin          : " + emulator.authorityHost() + "/_emulator/stats");
        if (tenantId != null) {
            out.println("  token endpoint : " + emulator.authorityHost() + "/" + tenantId + "/oauth2/v2.0/token");
            out.println("  tenant / client: " + tenantId + " / " + clientId + " (secret from EMULATOR_CLIENT_SECRET)");
            out.println("  policies       : " + (policies.isEmpty() ? "none" : String.join(", ", policies)));
        }
        out.flush();
    }

    /** A comma-separated list of GUIDs to create in the tenant, which must then be named. */
    private static List<String> guids(UnaryOperator<String> config, String name, String tenantId) {
        String value = config.apply(name);
        if (value == null || value.isBlank()) {
            return List.of();
        }
        if (tenantId == null) {
            throw new IllegalArgumentException(name + " needs EMULATOR_TENANT_ID");
        }
        List<String> ids = Arrays.stream(value.split(",")).map(String::strip).filter(s -> !s.isEmpty()).toList();
        ids.stream().filter(id -> !Ids.isGuid(id)).findFirst().ifPresent(id -> {
            throw new IllegalArgumentException(name + " must hold GUIDs, not '" + id + "'");
        });
        return ids;
    }

    private static int integer(UnaryOperator<String> config, String name, int fallback) {
        String value = orDefault(config, name, Integer.toString(fallback));
        try {
            return Integer.parseInt(value.strip());
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(name + " must be an integer, not '" + value + "'");
        }
    }

    private static Duration duration(String name, String value) {
        try {
            return Duration.parse(value.strip());
        } catch (DateTimeParseException e) {
            throw new IllegalArgumentException(name + " must be an ISO-8601 duration such as PT1H, not '" + value + "'");
        }
    }

    private static String orDefault(UnaryOperator<String> config, String name, String fallback) {
        String value = config.apply(name);
        return value == null ? fallback : value;
    }

    /** A system property wins over the environment variable of the same name; blank counts as unset. */
    private static String lookup(String name) {
        String value = System.getProperty(name);
        if (value == null || value.isBlank()) {
            value = System.getenv(name);
        }
        return value == null || value.isBlank() ? null : value;
    }
}
