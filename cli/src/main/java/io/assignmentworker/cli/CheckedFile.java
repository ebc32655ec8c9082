package io.assignmentworker.cli;

import io.assignmentworker.request.AssignmentRequest;
import io.assignmentworker.request.Decoded;
import io.assignmentworker.request.RequestDecoder;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import tools.jackson.databind.node.ObjectNode;

/**
 * A rollout file checked line by line with the worker's own {@link RequestDecoder}, on the exact bytes that
 * would be published: a line is valid here if and only if the worker would accept it.
 *
 * @param file     the file
 * @param format   its format
 * @param valid    the lines to publish, in file order
 * @param invalid  one entry per invalid line: {@code line N: field: rule; field: rule}
 * @param repeats  lines that repeat an earlier line's tenant, policy and target (the worker answers them
 *                 {@code alreadyExisted}): line number → the earlier line
 */
record CheckedFile(Path file, InputFormat format, List<ValidLine> valid, List<String> invalid,
                   Map<Integer, Integer> repeats) {

    /** The worker's defaults ({@code worker.intake.max-record-size}, {@code max-nesting-depth}). */
    private static final RequestDecoder DECODER = new RequestDecoder(64 * 1024, 32);

    /** @param stdin the requests when {@code file} is {@code -} */
    static CheckedFile check(Path file, String rolloutId, InputStream stdin) {
        RolloutFile.Parsed parsed = RolloutFile.read(file, stdin);
        List<ValidLine> valid = new ArrayList<>();
        List<String> invalid = new ArrayList<>();
        Map<String, RolloutFile.Line> firstLineOf = new HashMap<>();
        Map<Integer, String> targetOf = new HashMap<>();
        Map<Integer, Integer> repeats = new TreeMap<>();
        for (RolloutFile.Line line : parsed.lines()) {
            List<String> problems = new ArrayList<>(line.problems());
            ValidLine planned = line.request() == null ? null : decode(line, rolloutId, problems);
            if (!problems.isEmpty() || planned == null) {
                invalid.add("line " + line.number() + ": " + String.join("; ", problems));
                continue;
            }
            String operation = planned.request().operation().wireName();
            String target = operation + "|" + planned.request().target().matchKey();
            RolloutFile.Line earlier = firstLineOf.putIfAbsent(sameSubject(planned.request()), line);
            String before = earlier == null ? null : targetOf.get(earlier.number());
            if (before != null && !before.startsWith(operation + "|")) {
                // The requests of a rollout run in parallel: two operations on one assignment would race.
                invalid.add("line " + line.number() + ": line " + earlier.number() + " already asks to "
                        + before.substring(0, before.indexOf('|')) + " this policy and target; a rollout asks one "
                        + "thing of each assignment (its requests run in parallel): put the other in a later rollout");
                continue;
            }
            if (earlier != null && !target.equals(targetOf.get(earlier.number()))) {
                // Graph holds one assignment per group and policy: the worker would answer this line CONFLICT.
                invalid.add("line " + line.number() + ": conflicts with line " + earlier.number() + ": the same "
                        + "policy and target with another intent or filter (Graph holds one assignment per group, "
                        + "collection, all devices or all users)");
                continue;
            }
            targetOf.put(line.number(), target);
            valid.add(planned);
            if (earlier != null) {
                repeats.put(line.number(), earlier.number());
            }
        }
        return new CheckedFile(file, parsed.format(), valid, invalid, repeats);
    }

    private static ValidLine decode(RolloutFile.Line line, String rolloutId, List<String> problems) {
        ObjectNode request = RequestJson.MAPPER.createObjectNode();
        request.put("requestId", rolloutId + "/" + line.number());
        request.setAll(line.request());
        request.put("rolloutId", rolloutId);
        byte[] json = RequestJson.MAPPER.writeValueAsString(request).getBytes(StandardCharsets.UTF_8);
        Decoded decoded = DECODER.decode(json);
        if (decoded instanceof Decoded.Valid ok) {
            return problems.isEmpty() ? new ValidLine(line.number(), ok.request(), json) : null;
        }
        if (decoded instanceof Decoded.Rejected rejected) {
            rejected.violations().stream()
                    // a target type the file named wrongly is reported once, in the file's words
                    .filter(v -> !(line.columns() && v.startsWith("assignment.target.@odata.type: is required")))
                    .map(v -> line.columns() ? RequestJson.inColumnTerms(v) : v)
                    .forEach(problems::add);
        } else if (decoded instanceof Decoded.Unreadable unreadable) {
            problems.add(unreadable.reason());
        }
        return null;
    }

    /** Tenant, policy and subject: what makes two lines about the same assignment (Graph holds one of it). */
    static String sameSubject(AssignmentRequest request) {
        String tenant = request.tenantId() == null ? "" : request.tenantId().toLowerCase(Locale.ROOT);
        return tenant + "|" + request.policyId().toLowerCase(Locale.ROOT) + "|" + request.target().subjectKey();
    }

    boolean hasInvalid() {
        return !invalid.isEmpty();
    }
}
