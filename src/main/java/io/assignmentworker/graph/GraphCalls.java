package io.assignmentworker.graph;

import io.assignmentworker.metrics.WorkerMetrics;
import io.assignmentworker.outcome.ErrorCategory;
import io.assignmentworker.request.AssignmentRequest;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * The HTTP calls the worker makes, each paced through the {@link CallGate}, with a token from
 * {@link AccessTokens} (renewed once on 401) and failures classified by {@link GraphErrors}. Every call is
 * asynchronous and bounded by the request timeout; no worker thread waits on Graph.
 */
final class GraphCalls {

    private static final String POLICIES = "/deviceManagement/deviceCompliancePolicies/";

    private final GraphProperties properties;
    private final HttpClient http;
    private final AccessTokens tokens;
    private final CallGate gate;
    private final GraphErrors errors;
    private final AssignmentJson json;
    private final JsonMapper mapper;
    private final WorkerMetrics metrics;
    private final AtomicInteger writesInFlight = new AtomicInteger();
    private final ConcurrencyLimit connections;

    GraphCalls(GraphProperties properties, HttpClient http, AccessTokens tokens, CallGate gate, GraphErrors errors,
               JsonMapper mapper, WorkerMetrics metrics) {
        this.properties = properties;
        this.http = http;
        this.tokens = tokens;
        this.gate = gate;
        this.errors = errors;
        this.json = new AssignmentJson(mapper);
        this.mapper = mapper;
        this.metrics = metrics;
        this.connections = new ConcurrencyLimit(properties.maxConcurrentCalls());
        metrics.graphCallsWaiting(connections::waiting);
    }

    /**
     * {@code POST …/deviceCompliancePolicies/{id}/assignments}: creates the requested assignment.
     *
     * @param veto asked when the call's turn comes (see {@link CallGate}); {@code null} to go ahead
     */
    CompletableFuture<Assigned> create(String tenantId, AssignmentRequest request, Instant deadline,
                                       Supplier<GraphError> veto) {
        URI uri = policyUri(request.policyId(), "/assignments");
        byte[] body = mapper.writeValueAsBytes(json.body(request));
        return call(tenantId, CallKind.WRITE, deadline, "create", "POST", uri, body, veto).thenApply(reply -> {
            JsonNode created = reply.json();
            String id = created.path("id").asString(null);
            if (id == null) {
                throw new GraphException(new GraphError(ErrorCategory.GRAPH_ERROR, reply.status(), "NoId",
                        "Graph answered " + reply.status() + " without an assignment id", false, true, null,
                        reply.requestId()));
            }
            return new Assigned(id, created, false, reply.requestId());
        });
    }

    /**
     * {@code POST …/deviceCompliancePolicies/{id}/assign}: replaces the policy's whole assignment set with
     * {@code entries}. {@code veto} is asked when the call's turn comes (see {@link WriteGuard}).
     *
     * @return the assignment set as Graph stored it
     */
    CompletableFuture<List<JsonNode>> assign(String tenantId, String policyId, List<JsonNode> entries,
                                             Instant deadline, Supplier<GraphError> veto) {
        URI uri = policyUri(policyId, "/assign");
        var body = mapper.createObjectNode();
        body.putArray("assignments").addAll(entries);
        byte[] bytes = mapper.writeValueAsBytes(body);
        return call(tenantId, CallKind.WRITE, deadline, "assign", "POST", uri, bytes, veto).thenApply(reply -> {
            List<JsonNode> stored = new ArrayList<>();
            reply.json().path("value").forEach(stored::add);
            return stored;
        });
    }

    /** Writes that have been sent and not yet answered. */
    int writesInFlight() {
        return writesInFlight.get();
    }

    /** The policy's assignments as Graph lists them, following {@code @odata.nextLink}. */
    CompletableFuture<Listing> list(String tenantId, String policyId, Instant deadline) {
        return list(tenantId, policyUri(policyId, "/assignments"), deadline, new ArrayList<>());
    }

    record Listing(List<JsonNode> assignments, String requestId) {

        /** The listed assignments by the match key of their target (the first of duplicates). */
        java.util.Map<String, Assigned> byTarget() {
            java.util.Map<String, Assigned> byTarget = new java.util.LinkedHashMap<>();
            for (JsonNode assignment : assignments) {
                AssignmentJson.matchKey(assignment).ifPresent(key -> byTarget.putIfAbsent(key,
                        new Assigned(assignment.path("id").asString(null), assignment, true, requestId)));
            }
            return byTarget;
        }
    }

    private CompletableFuture<Listing> list(String tenantId, URI uri, Instant deadline, List<JsonNode> collected) {
        return call(tenantId, CallKind.READ, deadline, "list", "GET", uri, null).thenCompose(reply -> {
            reply.json().path("value").forEach(collected::add);
            String next = reply.json().path("@odata.nextLink").asString(null);
            if (next == null) {
                return CompletableFuture.completedFuture(new Listing(collected, reply.requestId()));
            }
            return list(tenantId, sameOrigin(URI.create(next), reply.requestId()), deadline, collected);
        });
    }

    private URI policyUri(String policyId, String suffix) {
        // policyId is a validated GUID: it cannot change the path or the host.
        return URI.create(properties.baseUrl() + POLICIES + policyId + suffix);
    }

    private URI sameOrigin(URI next, String requestId) {
        URI base = properties.baseUrl();
        if (!base.getScheme().equals(next.getScheme()) || !base.getHost().equalsIgnoreCase(next.getHost())
                || base.getPort() != next.getPort()) {
            throw new GraphException(new GraphError(ErrorCategory.GRAPH_ERROR, null, "ForeignNextLink",
                    "Graph's @odata.nextLink points to another origin: " + next.getHost(), false, false, null,
                    requestId));
        }
        return next;
    }

    record Reply(int status, JsonNode json, String requestId) {
    }

    private CompletableFuture<Reply> call(String tenantId, CallKind kind, Instant deadline, String operation,
                                          String method, URI uri, byte[] body) {
        return call(tenantId, kind, deadline, operation, method, uri, body, () -> null);
    }

    private CompletableFuture<Reply> call(String tenantId, CallKind kind, Instant deadline, String operation,
                                          String method, URI uri, byte[] body, Supplier<GraphError> veto) {
        return gate.pass(tenantId, kind, deadline, veto, () -> {
            AtomicInteger counted = kind == CallKind.WRITE ? writesInFlight : new AtomicInteger();
            counted.incrementAndGet();
            // Asked again once counted: a worker releasing a partition either sees this write in flight or
            // this write sees the partition released, never neither.
            GraphError vetoed = veto.get();
            if (vetoed != null) {
                counted.decrementAndGet();
                return CompletableFuture.failedFuture(new GraphException(vetoed));
            }
            return tokens.token(tenantId)
                    .thenCompose(token -> send(token, kind, operation, method, uri, body, veto))
                    .thenCompose(response -> response.statusCode() != 401 ? CompletableFuture.completedFuture(response)
                            : tokens.renew(tenantId, bearer(response))
                                    .thenCompose(token -> send(token, kind, operation, method, uri, body, veto)))
                    .thenApply(response -> reply(response, kind))
                    .whenComplete((reply, failure) -> counted.decrementAndGet());
        });
    }

    /** Sends when one of the concurrent calls is free, unless {@code veto} says no by then. */
    private CompletableFuture<HttpResponse<String>> send(String token, CallKind kind, String operation,
                                                         String method, URI uri, byte[] body,
                                                         Supplier<GraphError> veto) {
        HttpRequest.Builder builder = HttpRequest.newBuilder(uri)
                .timeout(properties.requestTimeout())
                .header("Authorization", "Bearer " + token)
                .header("Accept", "application/json")
                .header("client-request-id", UUID.randomUUID().toString())
                .header("User-Agent", "intune-assignment-worker");
        if (body == null) {
            builder.GET();
        } else {
            builder.header("Content-Type", "application/json").method(method, HttpRequest.BodyPublishers.ofByteArray(body));
        }
        HttpRequest request = builder.build();
        return connections.run(() -> {
            GraphError vetoed = veto.get();
            if (vetoed != null) {
                return CompletableFuture.failedFuture(new GraphException(vetoed));
            }
            long started = System.nanoTime();
            return http.sendAsync(request, HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8))
                    .handle((response, failure) -> {
                        metrics.graphCall(operation, failure == null ? String.valueOf(response.statusCode())
                                : "io_error", System.nanoTime() - started);
                        if (failure != null) {
                            Throwable cause = failure instanceof CompletionException && failure.getCause() != null
                                    ? failure.getCause() : failure;
                            throw new GraphException(errors.fromException(cause, kind));
                        }
                        return response;
                    });
        });
    }

    /** The token a 401 answered, recovered from the request so a concurrent renewal is not repeated. */
    private static String bearer(HttpResponse<String> response) {
        return response.request().headers().firstValue("Authorization").map(v -> v.substring("Bearer ".length()))
                .orElse(null);
    }

    private Reply reply(HttpResponse<String> response, CallKind kind) {
        int status = response.statusCode();
        String requestId = response.headers().firstValue("request-id").orElse(null);
        if (status >= 200 && status < 300) {
            try {
                return new Reply(status, mapper.readTree(response.body()), requestId);
            } catch (RuntimeException e) {
                throw new GraphException(new GraphError(ErrorCategory.GRAPH_ERROR, status, "UnreadableReply",
                        "Graph answered " + status + " with a body that is not JSON", false, kind == CallKind.WRITE,
                        null, requestId));
            }
        }
        throw new GraphException(errors.fromResponse(status, response.body(),
                response.headers().firstValue("Retry-After").orElse(null), requestId, kind));
    }
}
