package io.assignmentworker.emulator;

import java.time.Duration;
import java.util.Map;
import java.util.OptionalInt;

/**
 * Decides whether a Graph call fails before doing any work: an outage, an injected {@code failNext} failure, or a
 * random 503. Runs after authentication and before throttling, so faulted calls consume no budget.
 */
final class FaultInjector {
    private final Dice dice;
    private final Throttling throttling;

    FaultInjector(Dice dice, Throttling throttling) {
        this.dice = dice;
        this.throttling = throttling;
    }

    /** @throws GraphErrorReply when the call is to fail */
    void check(TenantBehaviour behaviour, RequestIds ids, String path) {
        if (behaviour.outage()) {
            throw withRetryAfter(unavailable(), behaviour);
        }
        OptionalInt injected = behaviour.takeInjectedFailure();
        if (injected.isPresent()) {
            int status = injected.getAsInt();
            throw status == 429 ? throttling.tooManyRequests(Duration.ofSeconds(1), ids, path)
                    : withRetryAfter(GraphErrorReply.forStatus(status,
                            "Injected failure: the emulator was told to fail this call."), behaviour);
        }
        if (dice.roll(behaviour.unavailableRatio())) {
            throw withRetryAfter(unavailable(), behaviour);
        }
    }

    private static GraphErrorReply withRetryAfter(GraphErrorReply error, TenantBehaviour behaviour) {
        String retryAfter = behaviour.failureRetryAfter();
        if (retryAfter == null || error.status() < 500) {
            return error;
        }
        return new GraphErrorReply(error.status(), error.code(), error.getMessage(), Map.of("Retry-After", retryAfter));
    }

    /** Decided after a successful write: whether to hide its outcome behind a 504. */
    boolean ambiguousTimeout(TenantBehaviour behaviour) {
        return dice.roll(behaviour.ambiguousTimeoutRatio());
    }

    static GraphErrorReply gatewayTimeout() {
        return new GraphErrorReply(504, "GatewayTimeout", "The operation timed out while waiting for the backend.");
    }

    static GraphErrorReply unavailable() {
        return new GraphErrorReply(503, "ServiceUnavailable",
                "The service is temporarily unavailable. Please retry the request later.");
    }
}
