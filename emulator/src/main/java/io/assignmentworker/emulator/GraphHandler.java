package io.assignmentworker.emulator;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpHandler;
import io.assignmentworker.emulator.EmulatorStats.InjectedFault;
import io.assignmentworker.emulator.EmulatorStats.Operation;
import java.io.IOException;
import java.lang.System.Logger.Level;
import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;
import tools.jackson.databind.JsonNode;

/**
 * Serves {@code /beta}. Every call goes through the same pipeline, in Graph's order: authenticate (401/403),
 * injected faults (503 and friends), budgets (429), then the operation. Every reply carries {@code request-id} and
 * {@code client-request-id}.
 */
final class GraphHandler implements HttpHandler {
    private static final System.Logger LOG = System.getLogger(GraphHandler.class.getName());
    private static final String GRAPH_JSON =
            "application/json;odata.metadata=minimal;odata.streaming=true;IEEE754Compatible=false;charset=utf-8";

    private final GraphAuthenticator authenticator;
    private final FaultInjector faults;
    private final Throttling throttling;
    private final PolicyOperations operations;
    private final Latency latency;
    private final StatsRecorder stats;
    private final EmulatorSettings settings;
    private final Clock clock;
    private final OperationDelays delays;

    GraphHandler(GraphAuthenticator authenticator, FaultInjector faults, Throttling throttling,
                 PolicyOperations operations, Latency latency, StatsRecorder stats, EmulatorSettings settings,
                 Clock clock, OperationDelays delays) {
        this.delays = delays;
        this.authenticator = authenticator;
        this.faults = faults;
        this.throttling = throttling;
        this.operations = operations;
        this.latency = latency;
        this.stats = stats;
        this.settings = settings;
        this.clock = clock;
    }

    @Override
    public void handle(HttpExchange exchange) throws IOException {
        long arrived = System.nanoTime();
        RequestIds ids = RequestIds.of(exchange);
        // Set once the caller is authenticated, for the call log.
        AtomicReference<String> tenantId = new AtomicReference<>();
        GraphRoute route = GraphRouter.route(exchange.getRequestMethod(), exchange.getRequestURI().getPath());
        try (exchange) {
            GraphReply reply;
            try {
                reply = process(exchange, route, ids, tenantId);
            } catch (GraphErrorReply error) {
                reply = errorReply(error, ids);
            } catch (RuntimeException bug) {
                LOG.log(Level.ERROR, "Graph emulator failed on " + exchange.getRequestMethod() + " " + route.path(), bug);
                reply = errorReply(GraphErrorReply.forStatus(500, "An internal error occurred in the emulator."), ids);
            }
            // Counted before the reply leaves, so a client that has its answer always sees it in the stats.
            stats.graphReply(route.operation(), reply.status());
            stats.graphCall(new GraphCall(tenantId.get(), route.operation(), route.policyId(), reply.status(), arrived,
                    System.nanoTime()));
            send(exchange, reply, ids);
        }
    }

    private GraphReply process(HttpExchange exchange, GraphRoute route, RequestIds ids,
                               AtomicReference<String> tenantId) throws IOException {
        byte[] body = readBody(exchange);
        GraphAuthenticator.Caller caller;
        try {
            caller = authenticator.authenticate(exchange.getRequestHeaders().getFirst("Authorization"));
        } catch (GraphErrorReply unauthenticated) {
            latency.pause(new TenantBehaviour.LatencySpec(settings.latency(), settings.latencyJitter()));
            throw unauthenticated;
        }
        tenantId.set(caller.tenant().id());
        TenantBehaviour behaviour = caller.tenant().behaviour();
        latency.pause(behaviour.latencySpec());
        delays.pause(route.operation());
        authenticator.authorize(caller, route);
        faults.check(behaviour, ids, route.path());
        Duration wait = caller.tenant().throttle().tryAdmit(route.isWrite(), behaviour, settings.budgetWindow());
        if (!wait.isZero()) {
            throw throttling.tooManyRequests(wait, ids, route.path());
        }
        if (route.error() != null) {
            throw route.error();
        }
        if (route.operation() == Operation.GET_GROUP_MEMBER_COUNT
                && !"eventual".equalsIgnoreCase(exchange.getRequestHeaders().getFirst("ConsistencyLevel"))) {
            // Directory $count is an advanced query: Graph serves it only with ConsistencyLevel: eventual.
            throw new GraphErrorReply(400, "Request_BadRequest", "$count is not currently supported.");
        }
        Map<String, String> query = HttpIo.parseForm(exchange.getRequestURI().getRawQuery());
        GraphReply reply = operations.execute(route, caller.tenant(), body, query, ids);
        if (route.isWrite() && reply.succeeded() && faults.ambiguousTimeout(behaviour)) {
            throw FaultInjector.gatewayTimeout();
        }
        // Taken only once the write is done and answered 200, so the knob counts exactly the bodiless replies.
        if (route.operation() == Operation.ASSIGN && reply.succeeded() && behaviour.takeAssignWithoutBody()) {
            stats.injected(InjectedFault.ASSIGN_WITHOUT_BODY);
            return GraphReply.okWithoutBody();
        }
        return reply;
    }

    private static byte[] readBody(HttpExchange exchange) throws IOException {
        try {
            return HttpIo.readBody(exchange);
        } catch (HttpIo.BodyTooLargeException e) {
            throw GraphErrorReply.forStatus(413, "The request body is larger than " + HttpIo.MAX_BODY_BYTES + " bytes.");
        }
    }

    private GraphReply errorReply(GraphErrorReply error, RequestIds ids) {
        JsonNode body = GraphErrorBody.render(error.code(), error.getMessage(), ids, clock);
        return new GraphReply(error.status(), body, error.headers());
    }

    private static void send(HttpExchange exchange, GraphReply reply, RequestIds ids) throws IOException {
        var responseHeaders = exchange.getResponseHeaders();
        reply.headers().forEach(responseHeaders::set);
        responseHeaders.set("request-id", ids.requestId());
        responseHeaders.set("client-request-id", ids.clientRequestId());
        responseHeaders.set("Cache-Control", "no-cache");
        if (reply.body() == null) {
            HttpIo.sendEmpty(exchange, reply.status());
            return;
        }
        if ("text/plain".equals(reply.headers().get("Content-Type"))) {
            HttpIo.sendText(exchange, reply.status(), reply.body().stringValue());
            return;
        }
        // Graph marks successes with OData's media type parameters; its error bodies are plain JSON.
        HttpIo.sendJson(exchange, reply.status(), reply.succeeded() ? GRAPH_JSON : HttpIo.JSON, reply.body());
    }
}
