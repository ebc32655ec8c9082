package io.assignmentworker.graph;

/**
 * Told of every token request {@link AccessTokens} sends to Entra ID. The worker counts them (a token request
 * that fails again and again is the first sign of a revoked secret); the command-line tool has nothing to tell.
 */
@FunctionalInterface
public interface TokenRequests {

    /** For callers that do not count token requests. */
    TokenRequests IGNORED = (success, afterRejection) -> { };

    /**
     * @param success        whether Entra ID issued a token
     * @param afterRejection whether Graph had rejected the previous token (401) rather than it nearing expiry
     */
    void requested(boolean success, boolean afterRejection);
}
