package io.assignmentworker.cli;

import io.assignmentworker.graph.GraphErrorJson;
import io.assignmentworker.graph.NextLinks;
import io.assignmentworker.graph.RetryAfter;
import java.io.IOException;
import java.net.ConnectException;
import java.net.http.HttpConnectTimeoutException;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Clock;
import java.time.Duration;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * Graph GETs for the dry run, riding out what the worker rides out: 429 (waiting its {@code Retry-After}), 5xx
 * and I/O errors (backing off), an expired token (renewed once). Reads only: this class cannot write.
 */
final class GraphReads {

    private static final int MAX_TRIES = 6;
    private static final Duration MAX_WAIT = Duration.ofSeconds(60);
    private static final Duration TIMEOUT = Duration.ofSeconds(60);

    /** What a read found. */
    enum Found { FOUND, NOT_FOUND, UNCHECKED }

    /**
     * @param body   the entity (or, for lists, {@code {"value":[…]}} with every page) when found
     * @param reason why it could not be checked, when unchecked
     */
    record Lookup(Found found, JsonNode body, String reason) {

        static Lookup unchecked(String reason) {
            return new Lookup(Found.UNCHECKED, null, reason);
        }
    }

    private final GraphAccess graph;
    private final AtomicLong calls = new AtomicLong();
    private final AtomicReference<String> forbidden =
            new AtomicReference<>();

    GraphReads(GraphAccess graph) {
        this.graph = graph;
    }

    /** GET {@code path} below the Graph base URL, e.g. {@code /groups/{id}}. */
    Lookup get(String tenantId, String path) {
        return get(tenantId, graph.url(path));
    }

    /**
     * Every page of a collection, following {@code @odata.nextLink} verbatim, as the worker does: only to Graph's
     * own origin (the link carries the bearer token), and only a complete collection counts as read.
     */
    Lookup list(String tenantId, String path) {
        ObjectNode all = RequestJson.MAPPER.createObjectNode();
        ArrayNode values = all.putArray("value");
        URI next = graph.url(path);
        while (next != null) {
            Lookup page = get(tenantId, next);
            if (page.found() != Found.FOUND) {
                return page;
            }
            if (!page.body().path("value").isArray()) {
                return Lookup.unchecked("Graph's list reply has no 'value' array");
            }
            page.body().path("value").forEach(values::add);
            String link = page.body().path("@odata.nextLink").asString(null);
            next = NextLinks.followable(graph.url(""), link).orElse(null);
            if (link != null && next == null) {
                return Lookup.unchecked("Graph's @odata.nextLink is not a URL on " + graph.url("").getHost()
                        + "; not followed");
            }
        }
        return new Lookup(Found.FOUND, all, null);
    }

    /**
     * A directory {@code $count} (e.g. {@code /groups/{id}/transitiveMembers/$count}): an advanced query, sent with
     * {@code ConsistencyLevel: eventual}; found, its body is the number.
     */
    Lookup count(String tenantId, String path) {
        Lookup read = get(tenantId, graph.url(path), true);
        if (read.found() != Found.FOUND) {
            return read;
        }
        return read.body().isIntegralNumber() ? read : Lookup.unchecked("Graph's $count reply is not a number");
    }

    long calls() {
        return calls.get();
    }

    /**
     * Why Graph refused (403) a read of Intune's policies or filters, naming the credential and the permission it
     * lacks; such a dry run can tell nothing, unlike a 403 on a group (a permission it may do without).
     */
    Optional<String> forbidden() {
        return Optional.ofNullable(forbidden.get());
    }

    private String refused(String tenantId, URI url, HttpResponse<String> response) {
        String code = "403 " + errorCode(response);
        if (!url.getPath().contains("/deviceManagement/")) {
            return code + " (reading groups needs GroupMember.Read.All, Group.Read.All or Directory.Read.All)";
        }
        forbidden.compareAndSet(null, "Graph refused the dry run's read of " + url.getPath() + " in tenant "
                + tenantId + " (" + code + "). The dry run signs in as " + graph.signedInAs() + ", which needs the "
                + "application permission " + GraphAccess.READ_PERMISSION + " (ReadWrite.All includes it) with "
                + "admin consent. For a read-only app registration instead of the worker's write-capable one, set "
                + GraphAccess.DRY_RUN_PREFIX + "CLIENT_ID and " + GraphAccess.DRY_RUN_PREFIX + "CLIENT_SECRET (or "
                + "…_CLIENT_CERTIFICATE_PATH, …_FEDERATED_TOKEN_FILE).");
        return code + " (needs " + GraphAccess.READ_PERMISSION + ")";
    }

    private Lookup get(String tenantId, URI url) {
        return get(tenantId, url, false);
    }

    private Lookup get(String tenantId, URI url, boolean count) {
        String token = graph.token(tenantId);
        boolean renewed = false;
        String problem = null;
        for (int attempt = 1; attempt <= MAX_TRIES; attempt++) {
            HttpResponse<String> response;
            try {
                calls.incrementAndGet();
                response = graph.http().send(request(url, token, count), HttpResponse.BodyHandlers.ofString());
            } catch (HttpConnectTimeoutException | ConnectException e) {
                // Graph is not there at all: retrying every read would only make the wait longer.
                throw CliException.unavailable("Graph unreachable at " + graph.baseUrl() + " after "
                        + Durations.shortText(graph.connectTimeout()) + ": " + e.getClass().getSimpleName()
                        + (e.getMessage() == null ? "" : " " + e.getMessage())
                        + "; check WORKER_GRAPH_BASE_URL and the proxy, or set --connect-timeout");
            } catch (IOException e) {
                problem = "I/O error: " + e.getMessage();
                pause(backoff(attempt));
                continue;
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw CliException.unavailable("interrupted while reading Graph");
            }
            int status = response.statusCode();
            if (status == 200 && count) {
                try {
                    return new Lookup(Found.FOUND, RequestJson.MAPPER.getNodeFactory().numberNode(
                            Long.parseLong(response.body().strip())), null);
                } catch (NumberFormatException e) {
                    return Lookup.unchecked("Graph's $count reply is not a number");
                }
            }
            if (status == 200) {
                return new Lookup(Found.FOUND, RequestJson.MAPPER.readTree(response.body()), null);
            }
            if (status == 404) {
                return new Lookup(Found.NOT_FOUND, null, errorCode(response));
            }
            if (status == 401 && !renewed) {
                token = graph.renew(tenantId, token);
                renewed = true;
                continue;
            }
            if (status == 429 || status >= 500) {
                problem = status + " " + errorCode(response);
                pause(RetryAfter.parse(response.headers().firstValue("Retry-After").orElse(null), Clock.systemUTC())
                        .orElse(backoff(attempt)));
                continue;
            }
            return Lookup.unchecked(status == 403 ? refused(tenantId, url, response)
                    : status + " " + errorCode(response));
        }
        return Lookup.unchecked("Graph kept failing: " + problem);
    }

    private static HttpRequest request(URI url, String token, boolean count) {
        HttpRequest.Builder request = HttpRequest.newBuilder(url).GET().timeout(TIMEOUT)
                .header("Authorization", "Bearer " + token)
                .header("Accept", count ? "text/plain" : "application/json")
                .header("client-request-id", UUID.randomUUID().toString())
                .header("User-Agent", "intune-assignment-worker-cli");
        if (count) {
            // Directory $count is an advanced query: Graph serves it only with eventual consistency.
            request.header("ConsistencyLevel", "eventual");
        }
        return request.build();
    }

    /** Graph's {@code error.code} (or {@code HTTP<status>} when something else answered). */
    private static String errorCode(HttpResponse<String> response) {
        return GraphErrorJson.parse(RequestJson.MAPPER, response.body(), response.statusCode()).code();
    }

    private static Duration backoff(int attempt) {
        return Duration.ofSeconds(Math.min(30, 1L << (attempt - 1)));
    }

    private static void pause(Duration wait) {
        try {
            Thread.sleep(Math.min(wait.toMillis(), MAX_WAIT.toMillis()));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw CliException.unavailable("interrupted while waiting for Graph");
        }
    }
}
