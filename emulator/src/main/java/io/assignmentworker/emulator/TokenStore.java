package io.assignmentworker.emulator;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ConcurrentLinkedDeque;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Issued access tokens. Tokens are opaque random strings rather than JWTs: Graph clients must treat tokens as
 * opaque, and an opaque token keeps clients from depending on claims the emulator would only fake.
 */
final class TokenStore {
    /** Expired tokens are swept on issue every this many tokens, keeping long benchmark runs bounded in memory. */
    private static final int SWEEP_EVERY = 1024;
    /** Values kept for {@link #recentValues()}: a test's worth, bounded for long benchmark runs. */
    private static final int VALUES_KEPT = 1024;

    private final Clock clock;
    private final Duration ttl;
    private final ConcurrentHashMap<String, IssuedToken> tokens = new ConcurrentHashMap<>();
    /** Bumped by {@link #expireAll()}; tokens of an older generation are dead. */
    private final AtomicLong generation = new AtomicLong();
    private final AtomicLong issued = new AtomicLong();
    private final ConcurrentLinkedDeque<String> recentValues = new ConcurrentLinkedDeque<>();

    TokenStore(Clock clock, Duration ttl) {
        this.clock = clock;
        this.ttl = ttl;
    }

    /** Issues a token; the value is returned once and never logged. */
    IssuedToken issue(String tenantId, String clientId) {
        if (issued.incrementAndGet() % SWEEP_EVERY == 0) {
            sweep();
        }
        IssuedToken token = new IssuedToken(Ids.newToken(), tenantId, clientId, clock.instant().plus(ttl),
                generation.get());
        tokens.put(token.value(), token);
        recentValues.addLast(token.value());
        if (recentValues.size() > VALUES_KEPT) {
            recentValues.pollFirst();
        }
        return token;
    }

    /** The live token with this value, if any: known, not past its expiry, not expired wholesale. */
    Optional<IssuedToken> find(String value) {
        IssuedToken token = tokens.get(value);
        if (token == null || !isLive(token)) {
            return Optional.empty();
        }
        return Optional.of(token);
    }

    /** The values of the last tokens issued, live or not, so tests can look for them where they must not be. */
    List<String> recentValues() {
        return List.copyOf(recentValues);
    }

    void expireAll() {
        generation.incrementAndGet();
        sweep();
    }

    /** Lifetime announced in {@code expires_in}: whole seconds rounded down (at least 1), so clients renew early. */
    long expiresInSeconds() {
        return Math.max(1, ttl.getSeconds());
    }

    private boolean isLive(IssuedToken token) {
        return token.generation() == generation.get() && clock.instant().isBefore(token.expiresAt());
    }

    private void sweep() {
        tokens.values().removeIf(t -> !isLive(t));
    }

    /** A token and what it stands for. {@link #toString()} hides the value so it cannot leak into logs. */
    record IssuedToken(String value, String tenantId, String clientId, Instant expiresAt, long generation) {
        @Override
        public String toString() {
            return "IssuedToken[tenantId=" + tenantId + ", clientId=" + clientId + ", expiresAt=" + expiresAt + "]";
        }
    }
}
