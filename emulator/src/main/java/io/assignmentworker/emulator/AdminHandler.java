package io.assignmentworker.emulator;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpHandler;
import java.io.IOException;
import java.util.Arrays;
import java.util.List;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * The unauthenticated admin surface under {@code /_emulator/}, for driving a standalone emulator:
 * stats, assignments, duplicates, tenant behaviour and token expiry. Loopback-only like the whole server.
 */
final class AdminHandler implements HttpHandler {
    private final EmulatorState state;

    AdminHandler(EmulatorState state) {
        this.state = state;
    }

    @Override
    public void handle(HttpExchange exchange) throws IOException {
        try (exchange) {
            byte[] body = HttpIo.readBody(exchange);
            List<String> path = pathBelowAdmin(exchange.getRequestURI().getPath());
            try {
                AdminReply reply = route(exchange.getRequestMethod(), path, body);
                HttpIo.sendJson(exchange, reply.status(), HttpIo.JSON_UTF8, reply.body());
            } catch (IllegalArgumentException e) {
                HttpIo.sendJson(exchange, 400, HttpIo.JSON_UTF8, message("bad_request", e.getMessage()));
            }
        } catch (HttpIo.BodyTooLargeException e) {
            HttpIo.sendJson(exchange, 413, HttpIo.JSON_UTF8, message("too_large", e.getMessage()));
        }
    }

    /** The non-empty path segments after {@code /_emulator}. */
    private static List<String> pathBelowAdmin(String path) {
        return Arrays.stream(path.split("/")).filter(s -> !s.isEmpty()).skip(1).toList();
    }

    private AdminReply route(String method, List<String> path, byte[] body) {
        String route = method + " " + String.join("/", path);
        if (route.equals("GET stats")) {
            return AdminReply.ok(renderStats(state.stats().snapshot()));
        }
        if (route.equals("POST tokens/expire")) {
            state.tokens().expireAll();
            return AdminReply.ok(message("ok", "every token issued so far is now expired"));
        }
        if (path.size() >= 3 && path.get(0).equals("tenants")) {
            return tenantRoute(method, path, body);
        }
        return new AdminReply(404, message("not_found", "no admin route " + route
                + "; see the io.assignmentworker.emulator package documentation"));
    }

    private AdminReply tenantRoute(String method, List<String> path, byte[] body) {
        String tenantId = path.get(1);
        String rest = method + " " + String.join("/", path.subList(2, path.size()));
        if (rest.equals("GET duplicates")) {
            ObjectNode node = Json.MAPPER.createObjectNode();
            node.put("tenantId", tenantId);
            node.put("duplicates", state.tenants().find(tenantId)
                    .map(t -> t.policies().stream().mapToInt(Policy::duplicates).sum()).orElse(0));
            return AdminReply.ok(node);
        }
        if (rest.equals("GET behaviour") || rest.equals("POST behaviour")) {
            TenantBehaviour behaviour = state.tenants().getOrCreate(tenantId).behaviour();
            if (method.equals("POST")) {
                BehaviourJson.apply(parse(body), behaviour);
            }
            return AdminReply.ok(BehaviourJson.render(tenantId, behaviour));
        }
        if (path.size() == 5 && path.get(2).equals("policies") && path.get(4).equals("assignments")
                && method.equals("GET")) {
            return state.tenants().find(tenantId).flatMap(t -> t.policy(path.get(3)))
                    .map(policy -> {
                        ObjectNode node = Json.MAPPER.createObjectNode();
                        node.putArray("value").addAll(policy.snapshot());
                        return AdminReply.ok(node);
                    })
                    .orElseGet(() -> new AdminReply(404, message("not_found", "unknown tenant or policy")));
        }
        return new AdminReply(404, message("not_found", "no admin route " + rest));
    }

    private static JsonNode parse(byte[] body) {
        try {
            return Json.MAPPER.readTree(body);
        } catch (JacksonException e) {
            throw new IllegalArgumentException("invalid JSON: " + e.getOriginalMessage());
        }
    }

    private static ObjectNode renderStats(EmulatorStats stats) {
        ObjectNode node = Json.MAPPER.createObjectNode();
        node.put("graphCalls", stats.graphCalls());
        node.put("throttled", stats.throttled());
        node.put("tokensIssued", stats.tokensIssued());
        node.put("writesPerformed", stats.writesPerformed());
        ObjectNode counts = node.putObject("counts");
        stats.sortedCounts().forEach(counts::put);
        ObjectNode injected = node.putObject("injected");
        for (EmulatorStats.InjectedFault fault : EmulatorStats.InjectedFault.values()) {
            injected.put(fault.name(), stats.injected(fault));
        }
        return node;
    }

    private static ObjectNode message(String status, String text) {
        ObjectNode node = Json.MAPPER.createObjectNode();
        node.put("status", status);
        node.put("message", text);
        return node;
    }

    /** An admin reply. */
    private record AdminReply(int status, JsonNode body) {
        static AdminReply ok(JsonNode body) {
            return new AdminReply(200, body);
        }
    }
}
