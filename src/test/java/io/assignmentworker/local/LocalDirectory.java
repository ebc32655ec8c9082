package io.assignmentworker.local;

import io.assignmentworker.emulator.GraphEmulator;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.stream.IntStream;

/**
 * The local run's tenant, the same on every run: its app, policies, groups and an assignment filter, with ids
 * derived from their names, so the sample rollout files in {@code samples/} name things that exist. Nothing here
 * is a secret: the emulator accepts exactly these demo credentials and nothing else.
 */
final class LocalDirectory {

    static final String TENANT = "8f1c7e2a-1b2c-4d5e-8f90-0a1b2c3d4e5f";
    static final String CLIENT_ID = "6b3a9d2e-5c4f-4e1a-9b8c-7d6e5f4a3b2c";
    static final String CLIENT_SECRET = "local-run-demo-secret-not-for-production";
    /** Policies the generated sample rollout writes to. */
    static final int ROLLOUT_POLICIES = 10;
    /** Policies left for the files in {@code samples/}, so that what they ask for is new. */
    static final int PILOT_POLICIES = 4;
    /** Groups for the files in {@code samples/}. */
    static final int PILOT_GROUPS = 20;

    private final int rolloutGroups;

    /** @param rolloutGroups groups the generated rollout needs (one per request of a policy) */
    LocalDirectory(int rolloutGroups) {
        this.rolloutGroups = rolloutGroups;
    }

    static String rolloutPolicy(int n) {
        return id("local-policy-" + n);
    }

    static String pilotPolicy(int n) {
        return id("local-pilot-policy-" + n);
    }

    static String rolloutGroup(int n) {
        return id("local-group-" + n);
    }

    static String pilotGroup(int n) {
        return id("local-pilot-group-" + n);
    }

    static String filter() {
        return id("local-filter-windows-11");
    }

    List<String> rolloutPolicies() {
        return IntStream.rangeClosed(1, ROLLOUT_POLICIES).mapToObj(LocalDirectory::rolloutPolicy).toList();
    }

    /** Registers the app and everything the tenant holds. */
    void seed(GraphEmulator graph) {
        graph.registerApp(TENANT, CLIENT_ID, CLIENT_SECRET);
        entries().forEach(entry -> {
            switch (entry.kind()) {
                case "policy" -> graph.addPolicy(TENANT, entry.id(), entry.name());
                // A size of its own for each group (the same every run), for iaw plan's blast radius.
                case "group" -> graph.addGroup(TENANT, entry.id(), entry.name(),
                        40 + Math.floorMod(entry.id().hashCode(), 460));
                default -> graph.addAssignmentFilter(TENANT, entry.id(), entry.name());
            }
        });
    }

    /** {@code kind,id,name} for every policy, group and filter: what a rollout file may name. */
    void write(Path file) throws Exception {
        List<String> lines = new ArrayList<>(List.of("kind,id,name"));
        entries().forEach(entry -> lines.add(entry.kind() + "," + entry.id() + "," + entry.name()));
        Files.write(file, lines, StandardCharsets.UTF_8);
    }

    private record Entry(String kind, String id, String name) {
    }

    private List<Entry> entries() {
        List<Entry> entries = new ArrayList<>();
        for (int n = 1; n <= ROLLOUT_POLICIES; n++) {
            entries.add(new Entry("policy", rolloutPolicy(n), "Windows 11 baseline compliance #" + n));
        }
        for (int n = 1; n <= PILOT_POLICIES; n++) {
            entries.add(new Entry("policy", pilotPolicy(n), "Pilot ring " + n + " compliance"));
        }
        for (int n = 1; n <= PILOT_GROUPS; n++) {
            entries.add(new Entry("group", pilotGroup(n), "Pilot devices, site " + n));
        }
        for (int n = 1; n <= rolloutGroups; n++) {
            entries.add(new Entry("group", rolloutGroup(n), "Devices, site " + n));
        }
        entries.add(new Entry("filter", filter(), "Windows 11 only"));
        return entries;
    }

    private static String id(String name) {
        return UUID.nameUUIDFromBytes(name.getBytes(StandardCharsets.UTF_8)).toString();
    }
}
