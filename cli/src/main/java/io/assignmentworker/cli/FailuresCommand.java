package io.assignmentworker.cli;

import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import org.apache.kafka.common.TopicPartition;
import tools.jackson.databind.JsonNode;

/**
 * {@code failures ROLLOUT --out FILE}: the rollout's FAILED requests, found through their results (results topic)
 * and read back as they were published (requests topic, at the offset each result names), written in the input
 * format with the reason on each line.
 */
final class FailuresCommand {

    static final Set<String> VALUED = union(KafkaAccess.OPTIONS, Set.of("out", "format"));

    private final Args args;
    private final KafkaAccess kafka;
    private final PrintStream out;
    private final PrintStream err;

    FailuresCommand(Args args, KafkaAccess kafka, PrintStream out, PrintStream err) {
        this.args = args;
        this.kafka = kafka;
        this.out = out;
        this.err = err;
    }

    ExitCode run() {
        String rolloutId = args.atMostPositionals(1).positional(0, "ROLLOUT (the rollout id)");
        Path file = Path.of(args.option("out").orElseThrow(() -> CliException.usage("--out FILE is required")));
        InputFormat format = args.option("format").map(InputFormat::parse).orElseGet(() -> InputFormat.of(file));
        try (RolloutLookup lookup = new RolloutLookup(kafka)) {
            Optional<Manifest> manifest = lookup.manifest(rolloutId);
            ResultTally tally = new ResultTally(rolloutId);
            Map<String, JsonNode> failed = new LinkedHashMap<>();
            List<JsonNode> withoutRequestId = new ArrayList<>();
            lookup.results(rolloutId, manifest, result -> {
                if (tally.add(result) && "FAILED".equals(result.path("status").asString(null))) {
                    String requestId = result.path("requestId").asString(null);
                    if (requestId == null) {
                        withoutRequestId.add(result);
                    } else {
                        failed.put(requestId, result);
                    }
                }
            });
            if (tally.total() == 0 && manifest.isEmpty()) {
                err.println("Unknown rollout " + rolloutId + ": no manifest and no results on "
                        + kafka.bootstrapServers());
                return ExitCode.UNKNOWN_ROLLOUT;
            }
            Map<String, JsonNode> originals = originals(lookup.scan(), failed.values());
            List<FailureFile.Failure> found = new ArrayList<>();
            failed.forEach((id, result) -> Optional.ofNullable(originals.get(id))
                    .ifPresent(request -> found.add(new FailureFile.Failure(request, result.path("error")))));
            FailureFile.write(file, format, found);
            report(rolloutId, file, format, found, failed, withoutRequestId.size(), originals);
            warnIfIncomplete(rolloutId, tally.view(manifest.map(Manifest::expectedCount).orElse(null), null));
            return found.size() == failed.size() && withoutRequestId.isEmpty() ? ExitCode.OK : ExitCode.FAILED;
        }
    }

    /** The published requests of the results, read at the partition and offset each result names as its source. */
    private static Map<String, JsonNode> originals(TopicScan scan, Collection<JsonNode> results) {
        Map<TopicPartition, Map<Long, String>> wanted = new HashMap<>();
        for (JsonNode result : results) {
            JsonNode source = result.path("source");
            if (source.path("topic").isString() && source.path("offset").isIntegralNumber()) {
                wanted.computeIfAbsent(new TopicPartition(source.path("topic").stringValue(),
                        source.path("partition").asInt()), p -> new HashMap<>())
                        .put(source.path("offset").asLong(), result.path("requestId").asString());
            }
        }
        Map<TopicPartition, Long> from = new HashMap<>();
        Map<TopicPartition, Long> to = new HashMap<>();
        wanted.forEach((partition, offsets) -> {
            from.put(partition, offsets.keySet().stream().min(Long::compare).orElseThrow());
            to.put(partition, offsets.keySet().stream().max(Long::compare).orElseThrow() + 1);
        });
        Map<String, JsonNode> originals = new HashMap<>();
        // records deleted by retention are simply not there: the scan starts at the first that is
        Map<TopicPartition, Long> available = new HashMap<>();
        from.forEach((partition, offset) -> available.put(partition, Math.max(offset,
                scan.beginningOffsets(partition.topic()).getOrDefault(partition, offset))));
        scan.read(available, to, record -> {
            String requestId = wanted.get(new TopicPartition(record.topic(), record.partition())).get(record.offset());
            String key = record.key() == null ? null : new String(record.key(), StandardCharsets.UTF_8);
            JsonNode request = RolloutLookup.json(record.value());
            if (requestId != null && request != null && (requestId.equals(key)
                    || requestId.equals(request.path("requestId").asString(null)))) {
                originals.put(requestId, request);
            }
        });
        return originals;
    }

    private void report(String rolloutId, Path file, InputFormat format, List<FailureFile.Failure> found,
                        Map<String, JsonNode> failed, int withoutRequestId, Map<String, JsonNode> originals) {
        out.println("Rollout " + rolloutId + ": " + SummaryTable.count(failed.size(), "failed request") + "; "
                + found.size() + " written to " + file + " (" + format.name().toLowerCase(Locale.ROOT) + ")");
        Map<String, Long> byCategory = new TreeMap<>();
        failed.values().forEach(r -> byCategory.merge(r.path("error").path("category").asString("UNKNOWN"), 1L,
                Long::sum));
        byCategory.forEach((category, count) -> out.println(String.format(Locale.ROOT, "  %-32s %6d",
                "FAILED " + category, count)));
        failed.keySet().stream().filter(id -> !originals.containsKey(id)).limit(20).forEach(id ->
                err.println("  not written: " + id + " (its request is no longer on the requests topic)"));
        if (withoutRequestId > 0) {
            err.println("  not written: " + withoutRequestId + " unreadable records (see the dead-letter topic)");
        }
        if (!found.isEmpty()) {
            out.println("Fix the file, then submit it again (a new rollout): iaw submit " + file);
        }
    }

    private void warnIfIncomplete(String rolloutId, RolloutView counted) {
        if (!counted.complete()) {
            err.println("note: " + SummaryTable.headline(counted) + "; more failures may follow");
        }
    }

    private static Set<String> union(Set<String> a, Set<String> b) {
        Set<String> all = new HashSet<>(a);
        all.addAll(b);
        return Set.copyOf(all);
    }
}
