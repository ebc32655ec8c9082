package io.assignmentworker.graph;

import io.assignmentworker.outcome.ErrorCategory;
import java.net.URI;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.function.Supplier;
import tools.jackson.databind.JsonNode;

/**
 * Reads Graph collections whole: every page, each page checked. A list decides what an {@code /assign} writes
 * back, so anything less than a complete, well-formed collection must fail the read rather than pass for a
 * policy with fewer (or no) assignments.
 */
final class ListReads {

    private final URI baseUrl;
    private final Clock clock;

    ListReads(URI baseUrl, Clock clock) {
        this.baseUrl = baseUrl;
        this.clock = clock;
    }

    /** One HTTP exchange, paced or not. */
    @FunctionalInterface
    interface Exchange {
        CompletableFuture<GraphCalls.Reply> run(String tenantId, CallKind kind, String operation, String method, URI uri,
                                     byte[] body, Supplier<GraphError> veto);
    }

    /**
     * Reads a whole list, following {@code @odata.nextLink}. Only a complete, well-formed collection is a
     * read: a reply without a {@code value} array, a next link that is not a link to Graph, or a later page
     * that fails makes the whole read fail (tried again), never "the policy has these (or no) assignments".
     */
    CompletableFuture<Listing> read(String tenantId, URI first, Exchange exchange) {
        Instant readAt = clock.instant();
        List<JsonNode> collected = new ArrayList<>();
        return page(tenantId, first, exchange, collected, 1)
                .thenApply(requestId -> new Listing(collected, requestId, readAt));
    }

    private CompletableFuture<String> page(String tenantId, URI uri, Exchange exchange, List<JsonNode> collected,
                                           int number) {
        CompletableFuture<GraphCalls.Reply> reply = exchange.run(tenantId, CallKind.READ, "list", "GET", uri, null, () -> null);
        if (number > 1) {
            reply = reply.exceptionally(failure -> {
                throw new GraphException(incompleteOnLaterPage(GraphException.errorOf(failure), failure, number));
            });
        }
        return reply.thenCompose(page -> {
            JsonNode value = page.json().get("value");
            if (value == null || !value.isArray()) {
                throw new GraphException(incomplete("page " + number + " of the policy's assignments has no "
                        + "'value' array", page.status(), page.requestId()));
            }
            value.forEach(collected::add);
            JsonNode next = page.json().get("@odata.nextLink");
            if (next == null || next.isNull()) {
                return CompletableFuture.completedFuture(page.requestId());
            }
            return page(tenantId, nextLink(next, page.requestId()), exchange, collected, number + 1);
        });
    }

    /** A later page's failure: throttling stays throttling; anything else means the list is incomplete. */
    private static GraphError incompleteOnLaterPage(GraphError error, Throwable failure, int number) {
        if (error != null && error.throttled()) {
            return error;
        }
        String why = error != null ? error.httpStatus() + " " + error.code() + ": " + error.message()
                : String.valueOf(GraphException.unwrap(failure));
        return incomplete("page " + number + " of the policy's assignments failed (" + why + ")",
                error != null ? error.httpStatus() : null, error != null ? error.graphRequestId() : null);
    }

    private static GraphError incomplete(String why, Integer status, String requestId) {
        return new GraphError(ErrorCategory.GRAPH_ERROR, status, "IncompleteList", why
                + "; the read is not complete and is tried again", true, false, null, requestId);
    }

    /** A next link Graph gave: followed only when it is a URL on Graph's own origin. */
    private URI nextLink(JsonNode next, String requestId) {
        return NextLinks.followable(baseUrl, next.isString() ? next.stringValue() : null)
                .orElseThrow(() -> new GraphException(incomplete("Graph's @odata.nextLink cannot be followed (not a "
                        + "URL on " + baseUrl.getHost() + ")", null, requestId)));
    }
}
