package io.assignmentworker.process;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import tools.jackson.databind.JsonNode;

/**
 * How fast a run went, from its results' {@code completedAt}: the first outcome to the last, in all and per
 * worker. A worker's pace is what its share of the budget allows; the run as a whole is as late as its latest
 * worker, because what one worker loses (a 429's cool-down, fuller partitions) the others cannot make up.
 *
 * @param byPartition {@code completedAt} of each answered request, by its partition of the requests topic
 */
record RunPace(int requests, Instant first, Instant last, Map<Integer, List<Instant>> byPartition) {

    static RunPace of(List<PlannedRequest> plan, List<JsonNode> results) {
        Set<String> ids = new HashSet<>();
        plan.forEach(request -> ids.add(request.requestId()));
        Map<Integer, List<Instant>> byPartition = new TreeMap<>();
        for (JsonNode result : results) {
            if (ids.remove(result.path("requestId").asString(""))) {
                byPartition.computeIfAbsent(result.path("source").path("partition").asInt(), p -> new ArrayList<>())
                        .add(Instant.parse(result.path("completedAt").asString()));
            }
        }
        List<Instant> all = byPartition.values().stream().flatMap(List::stream).sorted().toList();
        return new RunPace(plan.size(), all.get(0), all.get(all.size() - 1), byPartition);
    }

    double seconds() {
        return Duration.between(first, last).toNanos() / 1e9;
    }

    double rate() {
        return requests / seconds();
    }

    /** (requests ÷ budget per second) ÷ seconds from the first outcome to the last: 1.0 spends the whole budget. */
    double efficiency(double budgetPerSecond) {
        return requests / budgetPerSecond / seconds();
    }

    /**
     * Per worker: its requests, when its first and last were answered (seconds after the run's first outcome) and
     * its rate against its share of the budget (its partitions ÷ all of them).
     *
     * @param partitionsByWorker which partitions each worker owned during the run
     */
    String perWorker(Map<String, Set<Integer>> partitionsByWorker, double budgetPerSecond) {
        List<String> parts = new ArrayList<>();
        partitionsByWorker.forEach((worker, partitions) -> {
            List<Instant> times = partitions.stream().flatMap(p -> byPartition.getOrDefault(p, List.of()).stream())
                    .sorted().toList();
            if (times.size() < 2) {
                parts.add(worker + " " + partitions + ": " + times.size() + " requests");
                return;
            }
            double seconds = Duration.between(times.get(0), times.get(times.size() - 1)).toNanos() / 1e9;
            double share = (double) partitions.size() / byPartition.size();
            parts.add(String.format(Locale.ROOT, "%s %s: %d requests, %.1f→%.1f s, %.2f/s = %.3f of its share",
                    worker, partitions, times.size(), after(times.get(0)), after(times.get(times.size() - 1)),
                    (times.size() - 1) / seconds, (times.size() - 1) / seconds / (share * budgetPerSecond)));
        });
        return "per worker: " + String.join("; ", parts);
    }

    private double after(Instant instant) {
        return Duration.between(first, instant).toNanos() / 1e9;
    }

    /**
     * The partitions of {@code topic} a worker owns, from its log: the intake logs {@code Assigned [...]} and
     * {@code Released [...]} on every rebalance.
     */
    static Set<Integer> requestPartitions(Path log, String topic) {
        Pattern partition = Pattern.compile(Pattern.quote(topic) + "-(\\d+)[,\\]]");
        Set<Integer> owned = new TreeSet<>();
        try {
            for (String line : Files.readAllLines(log, StandardCharsets.UTF_8)) {
                boolean assigned = line.contains("IntakeSession") && line.contains(": Assigned [");
                boolean released = line.contains("IntakeSession") && line.contains(": Released [");
                if (!assigned && !released) {
                    continue;
                }
                Matcher matcher = partition.matcher(line);
                while (matcher.find()) {
                    int p = Integer.parseInt(matcher.group(1));
                    if (assigned) {
                        owned.add(p);
                    } else {
                        owned.remove(p);
                    }
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return owned;
    }
}
