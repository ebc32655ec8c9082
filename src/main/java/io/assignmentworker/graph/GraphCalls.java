package io.assignmentworker.graph;

import io.assignmentworker.metrics.WorkerMetrics;
import io.assignmentworker.outcome.ErrorCategory;
import io.assignmentworker.request.AssignmentRequest;
import io.assignmentworker.request.PlainAscii;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.function.Function;
import java.util.function.Supplier;
import java.util.regex.Pattern;
import tools.jackson.databind.DeserializationFeature;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.ObjectReader;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.MissingNode;

/**
 * The HTTP calls the worker makes, each paced through the {@link CallGate}, with a token from
 * {@link AccessTokens} (renewed once on 401) and failures classified by {@link GraphErrors}. Every call is
 * asynchronous and bounded by the request timeout; no worker thread waits on Graph.
 */
final class GraphCalls {

    private static final String POLICIES = "/deviceManagement/deviceCompliancePolicies/";
    private static final Pattern ASSIGNMENT_ID = Pattern.compile("[0-9A-Za-z_.-]{1,200}");
    /** How often a write whose read went stale before it could leave reads again before it gives up (transient). */
    private static final int STALE_READ_RETRIES = 3;
    static final GraphError STALE_READ = new GraphError(ErrorCategory.UNAVAILABLE, null, "StaleRead",
            "the policy's assignments were read more than worker.graph.max-read-age before the write could leave, "
            + STALE_READ_RETRIES + " times in a row", true, false, null, null);

    private final GraphProperties properties;
    private final HttpClient http;
    private final AccessTokens tokens;
    private final CallGate gate;
    private final GraphErrors errors;
    private final AssignmentJson json;
    private final JsonMapper mapper;
    private final ObjectReader replies;
    private final WorkerMetrics metrics;
    private final ListReads lists;
    private final ConcurrencyLimit connections;

    GraphCalls(GraphProperties properties, HttpClient http, AccessTokens tokens, CallGate gate, GraphErrors errors,
               JsonMapper mapper, Clock clock, WorkerMetrics metrics) {
        this.lists = new ListReads(properties.baseUrl(), clock);
        this.properties = properties;
        this.http = http;
        this.tokens = tokens;
        this.gate = gate;
        this.errors = errors;
        this.json = new AssignmentJson(mapper);
        this.mapper = mapper;
        this.replies = replyReader(mapper);
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
            return new Assigned(id, created, false, reply.requestId(), reply.text());
        });
    }

    /**
     * {@code POST …/deviceCompliancePolicies/{id}/assign}, which replaces the policy's whole assignment set,
     * written from a read made inside the write's own slot: the tenant's write slot is taken first (pacing,
     * cool-down and circuit are waited out before anything is read), then the set is read, then {@code plan}
     * turns the read into the set to write, and the write is sent at once. A read older than
     * {@code worker.graph.max-read-age} when the write would leave (a slow read, a wait for a free connection,
     * a token renewal) is read again. So nothing another writer added while this worker waited is written
     * over. {@code veto} is asked when the slot comes and just before the write leaves (see {@link WritePermit}).
     *
     * @param plan the whole set to write given the current one, or {@code null} when nothing needs writing
     * @return the read the write (or the decision not to write) rested on
     */
    CompletableFuture<FreshWrite> assignFromFreshRead(String tenantId, String policyId, Instant deadline,
                                                      Supplier<GraphError> veto,
                                                      Function<Listing, List<JsonNode>> plan) {
        return gate.pass(tenantId, CallKind.WRITE, deadline, veto,
                () -> readThenAssign(tenantId, policyId, veto, plan, STALE_READ_RETRIES));
    }

    /**
     * What {@link #assignFromFreshRead} did.
     *
     * @param read    the read the set was planned from
     * @param written whether an {@code /assign} was sent and accepted ({@code false}: the plan needed no write)
     */
    record FreshWrite(Listing read, boolean written) {
    }

    private CompletableFuture<FreshWrite> readThenAssign(String tenantId, String policyId, Supplier<GraphError> veto,
                                                         Function<Listing, List<JsonNode>> plan, int rereads) {
        long readStarted = System.nanoTime();
        return lists.read(tenantId, policyUri(policyId, "/assignments"), this::exchange).thenCompose(current -> {
            List<JsonNode> entries = plan.apply(current);
            if (entries == null) {
                return CompletableFuture.completedFuture(new FreshWrite(current, false));
            }
            var body = mapper.createObjectNode();
            body.putArray("assignments").addAll(entries);
            Supplier<GraphError> fresh = () -> {
                GraphError vetoed = veto.get();
                if (vetoed != null) {
                    return vetoed;
                }
                long gap = System.nanoTime() - readStarted;
                if (gap > properties.maxReadAge().toNanos()) {
                    return STALE_READ;
                }
                metrics.readToWriteGap(gap);
                return null;
            };
            return exchange(tenantId, CallKind.WRITE, "assign", "POST", policyUri(policyId, "/assign"),
                    mapper.writeValueAsBytes(body), fresh)
                    .thenApply(reply -> new FreshWrite(current, true))
                    .exceptionallyCompose(failure -> GraphException.errorOf(failure) == STALE_READ && rereads > 0
                            ? readThenAssign(tenantId, policyId, veto, plan, rereads - 1)
                            : CompletableFuture.failedFuture(failure));
        });
    }

    /** The policy's assignments as Graph lists them: every page, each paced as a read. */
    CompletableFuture<Listing> list(String tenantId, String policyId, Instant deadline) {
        return lists.read(tenantId, policyUri(policyId, "/assignments"),
                (tenant, kind, operation, method, uri, body, veto) -> gate.pass(tenant, kind, deadline, veto,
                        () -> exchange(tenant, kind, operation, method, uri, body, veto)));
    }

    /**
     * One assignment by its id ({@code GET …/assignments/{id}}): one cheap read that confirms an assignment
     * the worker knew of is still there.
     *
     * @return the assignment as Graph holds it now, or empty when Graph no longer has it (404)
     */
    CompletableFuture<Optional<Assigned>> get(String tenantId, String policyId, String assignmentId,
                                              Instant deadline) {
        URI uri = policyUri(policyId, "/assignments/" + assignmentId);
        return call(tenantId, CallKind.READ, deadline, "get", "GET", uri, null)
                .thenApply(reply -> Optional.of(new Assigned(assignmentId, reply.json(), true, reply.requestId(),
                        reply.text())))
                .exceptionally(failure -> {
                    GraphError error = GraphException.errorOf(failure);
                    if (error != null && error.category() == ErrorCategory.NOT_FOUND) {
                        return Optional.empty();
                    }
                    throw failure instanceof CompletionException c ? c : new CompletionException(failure);
                });
    }

    /** Whether an assignment id can go into a path as it is (Graph's ids: GUIDs or {@code policyId_targetId}). */
    static boolean isPathSafe(String assignmentId) {
        return assignmentId != null && ASSIGNMENT_ID.matcher(assignmentId).matches();
    }

    private URI policyUri(String policyId, String suffix) {
        // policyId is a validated GUID: it cannot change the path or the host.
        return URI.create(properties.baseUrl() + POLICIES + policyId + suffix);
    }

    /**
     * A successful answer.
     *
     * @param text the body {@code json} was read from, as text; {@code null} when there was none
     */
    record Reply(int status, JsonNode json, String requestId, String text) {
    }

    private CompletableFuture<Reply> call(String tenantId, CallKind kind, Instant deadline, String operation,
                                          String method, URI uri, byte[] body) {
        return call(tenantId, kind, deadline, operation, method, uri, body, () -> null);
    }

    private CompletableFuture<Reply> call(String tenantId, CallKind kind, Instant deadline, String operation,
                                          String method, URI uri, byte[] body, Supplier<GraphError> veto) {
        // The gate asks the veto when the call's turn comes; send asks it again just before the call leaves.
        return gate.pass(tenantId, kind, deadline, veto,
                () -> exchange(tenantId, kind, operation, method, uri, body, veto));
    }

    /** One call to Graph with the tenant's token, renewed once on 401, without pacing. */
    private CompletableFuture<Reply> exchange(String tenantId, CallKind kind, String operation, String method,
                                              URI uri, byte[] body, Supplier<GraphError> veto) {
        return tokens.token(tenantId)
                .thenCompose(token -> send(token, kind, operation, method, uri, body, veto))
                .thenCompose(response -> response.statusCode() != 401 ? CompletableFuture.completedFuture(response)
                        : tokens.renew(tenantId, bearer(response))
                                .thenCompose(token -> send(token, kind, operation, method, uri, body, veto)))
                .thenApply(response -> reply(response, kind));
    }

    /** Sends when one of the concurrent calls is free, unless {@code veto} says no by then. */
    private CompletableFuture<HttpResponse<byte[]>> send(String token, CallKind kind, String operation,
                                                         String method, URI uri, byte[] body,
                                                         Supplier<GraphError> veto) {
        return connections.run(() -> {
            GraphError vetoed = veto.get();
            if (vetoed != null) {
                return CompletableFuture.failedFuture(new GraphException(vetoed));
            }
            // Built only now, not before the wait for a connection: a request with its headers (the bearer token
            // alone is a kilobyte or two) is several objects that would otherwise live as long as the wait, seconds
            // with thousands waiting, long enough to be moved to the old generation and cost the collector there.
            HttpRequest request = request(token, method, uri, body);
            long started = System.nanoTime();
            // As bytes: every answer's JSON is parsed from them, without decoding a String first.
            return http.sendAsync(request, HttpResponse.BodyHandlers.ofByteArray())
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

    private HttpRequest request(String token, String method, URI uri, byte[] body) {
        HttpRequest.Builder builder = HttpRequest.newBuilder(uri)
                .timeout(properties.requestTimeout())
                .header("Authorization", "Bearer " + token)
                .header("Accept", "application/json")
                .header("client-request-id", UUID.randomUUID().toString())
                .header("User-Agent", "intune-assignment-worker");
        if (body == null) {
            return builder.GET().build();
        }
        return builder.header("Content-Type", "application/json")
                .method(method, HttpRequest.BodyPublishers.ofByteArray(body)).build();
    }

    /** The token a 401 answered, recovered from the request so a concurrent renewal is not repeated. */
    private static String bearer(HttpResponse<byte[]> response) {
        return response.request().headers().firstValue("Authorization").map(v -> v.substring("Bearer ".length()))
                .orElse(null);
    }

    private Reply reply(HttpResponse<byte[]> response, CallKind kind) {
        int status = response.statusCode();
        String requestId = response.headers().firstValue("request-id").orElse(null);
        byte[] body = response.body();
        if (status >= 200 && status < 300) {
            // Plain ASCII (Graph's answers, nearly always) is parsed from its bytes; anything else is decoded as
            // UTF-8 text first, as it always was (bad bytes become U+FFFD, a byte-order mark is not skipped).
            boolean plain = PlainAscii.is(body);
            String text = plain ? null : new String(body, StandardCharsets.UTF_8);
            if (plain ? isBlank(body) : text.isBlank()) {
                // Graph has been seen to answer /assign 200 without a body: what it holds is read back instead.
                return new Reply(status, MissingNode.getInstance(), requestId, null);
            }
            try {
                JsonNode json = plain ? replies.readTree(body) : replies.readTree(text);
                return new Reply(status, json, requestId,
                        plain ? new String(body, StandardCharsets.ISO_8859_1) : text);
            } catch (RuntimeException e) {
                throw new GraphException(new GraphError(ErrorCategory.GRAPH_ERROR, status, "UnreadableReply",
                        "Graph answered " + status + " with a body that is not JSON", false, kind == CallKind.WRITE,
                        null, requestId));
            }
        }
        throw new GraphException(errors.fromResponse(status, new String(body, StandardCharsets.UTF_8),
                response.headers().firstValue("Retry-After").orElse(null), requestId, kind));
    }

    /**
     * Reads an answer's body as exactly one JSON value, whatever the application's mapper allows: the text is
     * written out again as it is ({@link Reply#text}), so content after the value must fail the answer, not follow
     * the tree into a result.
     */
    static ObjectReader replyReader(JsonMapper mapper) {
        return mapper.reader().with(DeserializationFeature.FAIL_ON_TRAILING_TOKENS);
    }

    /** For plain ASCII: what {@link String#isBlank} says of it as text. */
    private static boolean isBlank(byte[] body) {
        for (byte b : body) {
            if (!Character.isWhitespace(b)) {
                return false;
            }
        }
        return true;
    }
}
