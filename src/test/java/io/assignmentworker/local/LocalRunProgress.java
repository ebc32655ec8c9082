package io.assignmentworker.local;

import io.assignmentworker.emulator.EmulatorStats;
import io.assignmentworker.emulator.GraphEmulator;
import io.assignmentworker.support.Results;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;
import org.apache.kafka.clients.producer.RecordMetadata;
import tools.jackson.databind.JsonNode;

/** Prints the rollout's progress once a second, then a summary, and checks every request got its outcome. */
final class LocalRunProgress {

    private final Results results;
    private final List<SampleRollout.Item> items;
    private final List<RecordMetadata> sent;
    private final GraphEmulator graph;
    private final String tenant;
    private final List<String> policies;
    private final EmulatorStats before;

    LocalRunProgress(Results results, List<SampleRollout.Item> items, List<RecordMetadata> sent, GraphEmulator graph,
             String tenant, List<String> policies) {
        this.results = results;
        this.items = items;
        this.sent = sent;
        this.graph = graph;
        this.tenant = tenant;
        this.policies = policies;
        this.before = graph.stats();
    }

    boolean watch(Duration limit) throws InterruptedException {
        long started = System.nanoTime();
        long deadline = started + limit.toNanos();
        List<JsonNode> seen = results.all();
        while (seen.size() < items.size() && System.nanoTime() < deadline) {
            Thread.sleep(1000);
            seen = results.all();
            line(seen, started);
        }
        return summary(seen, (System.nanoTime() - started) / 1e9);
    }

    private void line(List<JsonNode> seen, long started) {
        long created = seen.stream().filter(r -> "CREATED".equals(r.path("status").asString())).count();
        EmulatorStats graphStats = graph.stats().minus(before);
        LocalRun.say(String.format("%5.1fs  outcomes %4d/%d  created %4d  failed %3d  |  Graph calls %4d, 429s %d, 503s %d",
                (System.nanoTime() - started) / 1e9, seen.size(), items.size(), created, seen.size() - created,
                graphStats.graphCalls(), graphStats.throttled(), count(graphStats, 503)));
    }

    private boolean summary(List<JsonNode> seen, double seconds) {
        Map<String, Integer> byOutcome = new TreeMap<>();
        seen.forEach(r -> byOutcome.merge(r.path("status").asString() + " " + r.path("error").path("category")
                .asString(r.path("alreadyExisted").asBoolean() ? "(already existed)" : "(new)"), 1, Integer::sum));
        int mismatches = 0;
        int missingOrDouble = 0;
        Map<String, List<JsonNode>> bySource = new HashMap<>();
        seen.forEach(r -> bySource.computeIfAbsent(r.path("source").path("partition").asInt() + "/"
                + r.path("source").path("offset").asLong(), k -> new ArrayList<>()).add(r));
        for (int i = 0; i < items.size(); i++) {
            List<JsonNode> found = bySource.getOrDefault(sent.get(i).partition() + "/" + sent.get(i).offset(),
                    List.of());
            if (found.size() != 1) {
                missingOrDouble++;
            } else if (!matches(found.get(0), items.get(i))) {
                mismatches++;
                LocalRun.say("unexpected outcome for " + items.get(i).key() + ": " + found.get(0));
            }
        }
        int inGraph = policies.stream().mapToInt(p -> graph.assignments(tenant, p).size()).sum();
        int duplicates = graph.duplicateAssignments(tenant);
        EmulatorStats graphStats = graph.stats().minus(before);
        LocalRun.say("");
        LocalRun.say(String.format("Summary: %d requests, %d outcomes in %.1f s", items.size(), seen.size(), seconds));
        byOutcome.forEach((outcome, n) -> LocalRun.say(String.format("  %-36s %5d", outcome, n)));
        LocalRun.say(String.format("  Graph: %d assignments on %d policies, %d duplicates; %d calls, %d answered 429, "
                        + "%d answered 503, %d tokens issued", inGraph, policies.size(), duplicates,
                graphStats.graphCalls(), graphStats.throttled(), count(graphStats, 503), graphStats.tokensIssued()));
        LocalRun.say("  Unreadable records are on intune.assignment.requests.DLT with the reason in headers.");
        boolean ok = missingOrDouble == 0 && mismatches == 0 && duplicates == 0;
        LocalRun.say(ok ? "OK: every request has exactly one outcome, as expected, and nothing was created twice."
                : "NOT OK: " + missingOrDouble + " requests without exactly one outcome, " + mismatches
                        + " unexpected outcomes, " + duplicates + " duplicate assignments.");
        return ok;
    }

    private static long count(EmulatorStats stats, int status) {
        return stats.counts().entrySet().stream().filter(e -> e.getKey().endsWith(" " + status))
                .mapToLong(Map.Entry::getValue).sum();
    }

    private static boolean matches(JsonNode outcome, SampleRollout.Item item) {
        return item.expectedStatus().equals(outcome.path("status").asString())
                && Objects.equals(item.expectedCategory(), outcome.path("error").path("category").asString(null));
    }

}
