package io.assignmentworker.emulator;

import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.Set;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * Reads and writes {@link TenantBehaviour} as JSON for the admin endpoint. Durations are ISO-8601 strings
 * ({@code "PT0.25S"}); {@code failNext} is {@code {"count":3,"status":503}}; the one-shot malformed replies
 * ({@code listWithoutValue}, {@code failNextPage}, {@code brokenNextLink}, {@code assignWithoutBody},
 * {@code assignDropsExisting}) are counts,
 * and are rendered as the counts still pending. Absent fields are left unchanged.
 */
final class BehaviourJson {
    private static final Set<String> FIELDS = Set.of("writeBudget", "requestBudget", "unavailableRatio",
            "ambiguousTimeoutRatio", "outage", "createRouteRefused", "directoryChecks", "failNext", "latency", "latencyJitter",
            "listWithoutValue", "failNextPage", "brokenNextLink", "assignWithoutBody", "assignDropsExisting");

    private BehaviourJson() {
    }

    /** @throws IllegalArgumentException naming the first unknown or invalid field; nothing is applied then */
    static void apply(JsonNode json, TenantBehaviour behaviour) {
        if (json == null || !json.isObject()) {
            throw new IllegalArgumentException("the body must be a JSON object");
        }
        for (String name : json.propertyNames()) {
            if (!FIELDS.contains(name)) {
                throw new IllegalArgumentException("unknown field '" + name + "'; known: " + FIELDS);
            }
        }
        // Parse everything first so that a bad field leaves the behaviour untouched.
        Duration mean = duration(json, "latency", behaviour.latencyMean());
        Duration jitter = duration(json, "latencyJitter", behaviour.latencyJitter());
        JsonNode failNext = json.get("failNext");
        if (failNext != null && !(failNext.path("count").isInt() && failNext.path("status").isInt())) {
            throw new IllegalArgumentException("failNext must be {\"count\": <int>, \"status\": <int>}");
        }
        TenantBehaviour probe = new TenantBehaviour(EmulatorSettings.defaults());
        applyTo(json, probe, mean, jitter, failNext);
        applyTo(json, behaviour, mean, jitter, failNext);
    }

    private static void applyTo(JsonNode json, TenantBehaviour target, Duration mean, Duration jitter,
                                JsonNode failNext) {
        if (json.has("writeBudget")) {
            target.writeBudget(intValue(json, "writeBudget"));
        }
        if (json.has("requestBudget")) {
            target.requestBudget(intValue(json, "requestBudget"));
        }
        if (json.has("unavailableRatio")) {
            target.unavailableRatio(json.get("unavailableRatio").asDouble());
        }
        if (json.has("ambiguousTimeoutRatio")) {
            target.ambiguousTimeoutRatio(json.get("ambiguousTimeoutRatio").asDouble());
        }
        if (json.has("outage")) {
            target.outage(json.get("outage").asBoolean());
        }
        if (json.has("createRouteRefused")) {
            target.createRouteRefused(json.get("createRouteRefused").asBoolean());
        }
        if (json.has("directoryChecks")) {
            target.directoryChecks(booleanValue(json, "directoryChecks"));
        }
        if (failNext != null) {
            target.failNext(failNext.get("count").intValue(), failNext.get("status").intValue());
        }
        if (json.has("listWithoutValue")) {
            target.listWithoutValue(intValue(json, "listWithoutValue"));
        }
        if (json.has("failNextPage")) {
            target.failNextPage(intValue(json, "failNextPage"));
        }
        if (json.has("brokenNextLink")) {
            target.brokenNextLink(intValue(json, "brokenNextLink"));
        }
        if (json.has("assignWithoutBody")) {
            target.assignWithoutBody(intValue(json, "assignWithoutBody"));
        }
        if (json.has("assignDropsExisting")) {
            target.assignDropsExisting(intValue(json, "assignDropsExisting"));
        }
        target.latency(mean, jitter);
    }

    static ObjectNode render(String tenantId, TenantBehaviour behaviour) {
        ObjectNode node = Json.MAPPER.createObjectNode();
        node.put("tenantId", tenantId);
        node.put("writeBudget", behaviour.writeBudget());
        node.put("requestBudget", behaviour.requestBudget());
        node.put("unavailableRatio", behaviour.unavailableRatio());
        node.put("ambiguousTimeoutRatio", behaviour.ambiguousTimeoutRatio());
        node.put("outage", behaviour.outage());
        node.put("createRouteRefused", behaviour.createRouteRefused());
        node.put("directoryChecks", behaviour.directoryChecks());
        node.put("pendingFailures", behaviour.pendingFailures());
        node.put("listWithoutValue", behaviour.listWithoutValue());
        node.put("failNextPage", behaviour.failNextPage());
        node.put("brokenNextLink", behaviour.brokenNextLink());
        node.put("assignWithoutBody", behaviour.assignWithoutBody());
        node.put("assignDropsExisting", behaviour.assignDropsExisting());
        node.put("latency", behaviour.latencyMean().toString());
        node.put("latencyJitter", behaviour.latencyJitter().toString());
        return node;
    }

    private static int intValue(JsonNode json, String field) {
        JsonNode value = json.get(field);
        if (!value.isInt()) {
            throw new IllegalArgumentException(field + " must be an integer");
        }
        return value.intValue();
    }

    private static boolean booleanValue(JsonNode json, String field) {
        JsonNode value = json.get(field);
        if (!value.isBoolean()) {
            throw new IllegalArgumentException(field + " must be true or false");
        }
        return value.booleanValue();
    }

    private static Duration duration(JsonNode json, String field, Duration current) {
        JsonNode value = json.get(field);
        if (value == null) {
            return current;
        }
        try {
            return Duration.parse(value.asString());
        } catch (DateTimeParseException e) {
            throw new IllegalArgumentException(field + " must be an ISO-8601 duration such as \"PT0.2S\"");
        }
    }
}
