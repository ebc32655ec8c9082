package io.assignmentworker.emulator;

import com.sun.net.httpserver.HttpExchange;

/**
 * The correlation ids of one Graph request: a fresh {@code request-id}, and the caller's {@code client-request-id}
 * echoed back (Graph answers with its own request id there when the caller sent none).
 */
record RequestIds(String requestId, String clientRequestId, boolean clientRequestIdSent) {

    static RequestIds of(HttpExchange exchange) {
        String requestId = Ids.newGuid();
        String sent = exchange.getRequestHeaders().getFirst("client-request-id");
        boolean wasSent = sent != null && !sent.isBlank();
        return new RequestIds(requestId, wasSent ? sent : requestId, wasSent);
    }
}
