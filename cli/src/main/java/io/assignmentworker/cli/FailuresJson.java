package io.assignmentworker.cli;

import java.nio.file.Path;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/** {@code failures -o json}: the failed requests as published, each with its result's error and the reason. */
final class FailuresJson {

    private FailuresJson() {
    }

    /**
     * @param file      where the failures were written, or null
     * @param failed    the FAILED results by requestId
     * @param originals the published requests found again, by requestId
     */
    static ObjectNode document(String rolloutId, Path file, InputFormat format, Map<String, JsonNode> failed,
                               Map<String, JsonNode> originals, int unreadable, boolean complete) {
        ObjectNode document = JsonOutput.document("failures");
        document.put("rolloutId", rolloutId);
        document.put("out", file == null ? null : file.toString());
        document.put("format", file == null ? null : format.name().toLowerCase(Locale.ROOT));
        document.put("failed", failed.size());
        document.put("recovered", failed.keySet().stream().filter(originals::containsKey).count());
        document.put("unreadable", unreadable);
        document.put("complete", complete);
        Map<String, Long> byCategory = new TreeMap<>();
        failed.values().forEach(r -> byCategory.merge(r.path("error").path("category").asString("UNKNOWN"), 1L,
                Long::sum));
        ObjectNode categories = document.putObject("failedByCategory");
        byCategory.forEach(categories::put);
        ArrayNode failures = document.putArray("failures");
        failed.forEach((requestId, result) -> {
            ObjectNode failure = failures.addObject();
            failure.put("requestId", requestId);
            failure.set("error", result.path("error").isObject() ? result.path("error") : null);
            failure.put("reason", FailureFile.reason(result.path("error")));
            JsonNode request = originals.get(requestId);
            failure.set("request", request);
        });
        return document;
    }
}
