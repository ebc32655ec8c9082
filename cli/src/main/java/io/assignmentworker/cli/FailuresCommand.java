package io.assignmentworker.cli;

import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.Callable;
import org.apache.kafka.common.TopicPartition;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;
import tools.jackson.databind.JsonNode;

/**
 * {@code failures ROLLOUT --out FILE}: the rollout's FAILED requests, found through their results (results topic)
 * and read back as they were published (requests topic, at the offset each result names), written in the input
 * format with the reason on each line.
 */
@Command(name = "failures", sortOptions = false, synopsisHeading = "%nUsage:%n  ",
        customSynopsis = "iaw failures ROLLOUT --out FILE|- [--format csv|jsonl] [-o json] [options]",
        header = "Get a rollout's failed requests back as a file to fix and submit again",
        description = {"",
            "Writes the rollout's FAILED requests to FILE (- for stdout), in the input format (from its extension "
                    + "unless --format), with the reason in an \"error\" column or field that submit ignores: fix "
                    + "and submit it. With -o json the failures come as JSON on stdout (and still go to FILE with "
                    + "--out). Exit 0 all written, 1 some could not be recovered, 5 unknown rollout."},
        parameterListHeading = "%n", optionListHeading = "%nOptions:%n",
        footerHeading = "%n", footer = {"Examples:", "  iaw failures wave-1-20261128T222014.521Z --out failed.csv",
            "  iaw failures wave-1-20261128T222014.521Z --out - | iaw submit - --wait"})
final class FailuresCommand implements Callable<Integer> {

    @Parameters(paramLabel = "ROLLOUT", description = "the rollout id (iaw list shows the recent ones)")
    String rolloutId;

    @Option(names = "--out", paramLabel = "FILE", order = 1,
            description = "where to write the failed requests; - for stdout (required without -o json)")
    String outFile;

    @Option(names = {"-f", "--format"}, paramLabel = "FORMAT", order = 2,
            description = "csv or jsonl (default: from FILE's extension; csv for -)")
    String format;

    @Mixin
    OutputOption output;

    @ArgGroup(validate = false, heading = "%nKafka:%n", order = 100)
    KafkaOptions kafkaOptions = new KafkaOptions();

    @Mixin
    HelpOption help;

    @Spec
    CommandSpec spec;

    private final Invocation invocation;
    private KafkaAccess kafka;
    private PrintStream out;
    private PrintStream err;

    FailuresCommand(Invocation invocation) {
        this.invocation = invocation;
    }

    @Override
    public Integer call() {
        err = invocation.err();
        if (outFile == null && !output.json()) {
            throw new ParameterException(spec.commandLine(), "--out FILE is required (--out - for stdout, or -o json)");
        }
        if (RolloutFile.STDIN.equals(outFile) && output.json()) {
            throw new ParameterException(spec.commandLine(), "--out - and -o json would both write to stdout; "
                    + "choose one");
        }
        // Human lines go where they do not mix with a file or a JSON document on stdout.
        out = output.json() || RolloutFile.STDIN.equals(outFile) ? err : invocation.out();
        kafka = KafkaAccess.from(kafkaOptions == null ? new KafkaOptions() : kafkaOptions, invocation.env(), err);
        return run().code();
    }

    private ExitCode run() {
        Path file = outFile == null ? null : Path.of(outFile);
        InputFormat format = this.format != null ? InputFormat.parse(this.format)
                : file == null || RolloutFile.isStdin(file) ? InputFormat.CSV : InputFormat.of(file);
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
            if (file != null) {
                FailureFile.write(file, format, found, invocation.out());
            }
            RolloutView counted = tally.view(manifest.map(Manifest::expectedCount).orElse(null), null);
            report(file, format, found, failed, withoutRequestId.size(), originals);
            warnIfIncomplete(counted);
            if (output.json()) {
                JsonOutput.print(invocation.out(), FailuresJson.document(rolloutId, file, format, failed, originals,
                        withoutRequestId.size(), counted.complete()));
            }
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

    private void report(Path file, InputFormat format, List<FailureFile.Failure> found,
                        Map<String, JsonNode> failed, int withoutRequestId, Map<String, JsonNode> originals) {
        out.println("Rollout " + rolloutId + ": " + SummaryTable.count(failed.size(), "failed request")
                + (file == null ? "" : "; " + found.size() + " written to " + (RolloutFile.isStdin(file) ? "stdout" : file) + " ("
                + format.name().toLowerCase(Locale.ROOT) + ")"));
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
        if (!found.isEmpty() && file != null && !RolloutFile.isStdin(file)) {
            out.println("Fix the file, then submit it again (a new rollout): iaw submit " + file);
        }
    }

    private void warnIfIncomplete(RolloutView counted) {
        if (!counted.complete()) {
            err.println("note: " + SummaryTable.headline(counted) + "; more failures may follow");
        }
    }
}
