package io.assignmentworker.scheduling;

import static org.assertj.core.api.Assertions.assertThat;

import io.assignmentworker.graph.GraphError;
import io.assignmentworker.outcome.ErrorCategory;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class RequestAttemptsTest {

    private static final int MAX_ATTEMPTS = 3;
    private static final Instant NOW = Instant.parse("2026-01-01T00:00:00Z");
    private static final Instant DEADLINE = NOW.plus(Duration.ofMinutes(10));

    private static final GraphError THROTTLED = error(ErrorCategory.THROTTLED, 429, "TooManyRequests", true, false);
    private static final GraphError UNAVAILABLE = error(ErrorCategory.UNAVAILABLE, 503, "ServiceUnavailable", true,
            true);
    private static final GraphError TIMEOUT = error(ErrorCategory.UNAVAILABLE, null, "Timeout", true, true);
    private static final GraphError LEASE_EXPIRED = error(ErrorCategory.UNAVAILABLE, null,
            "OwnershipUnconfirmed", true, false);

    private final RequestAttempts attempts = new RequestAttempts(MAX_ATTEMPTS, DEADLINE);

    @ParameterizedTest(name = "{0} {1}: gives up at once")
    @CsvSource({
            "BAD_REQUEST, 400, BadRequest",
            "AUTHENTICATION, 401, InvalidAuthenticationToken",
            "FORBIDDEN, 403, Forbidden",
            "NOT_FOUND, 404, ResourceNotFound",
            "CONFLICT, 409, Conflict",
            "ROUTE_REFUSED, 400, RouteRefused",
    })
    void givesUpAtOnceOnAPermanentFailure(ErrorCategory category, int status, String code) {
        attempts.start();

        assertThat(attempts.tryAgainAfter(error(category, status, code, false, false), false, NOW)).isFalse();
        assertThat(attempts.last().code()).isEqualTo(code);
    }

    @ParameterizedTest(name = "{0} {1} {2}: tried again")
    @CsvSource(nullValues = "null", value = {
            "THROTTLED, 429, TooManyRequests",
            "UNAVAILABLE, 503, ServiceUnavailable",
            "UNAVAILABLE, 504, GatewayTimeout",
            "UNAVAILABLE, null, Timeout",
            "GRAPH_ERROR, 500, InternalServerError",
    })
    void triesATransientFailureAgain(ErrorCategory category, Integer status, String code) {
        attempts.start();

        assertThat(attempts.tryAgainAfter(error(category, status, code, true, false), false, NOW)).isTrue();
    }

    @Test
    void givesUpAfterMaxAttemptsOfItsOwnTransientFailures() {
        for (int i = 1; i < MAX_ATTEMPTS; i++) {
            attempts.start();
            assertThat(attempts.tryAgainAfter(UNAVAILABLE, false, NOW)).as("failure %d", i).isTrue();
        }
        attempts.start();

        assertThat(attempts.tryAgainAfter(UNAVAILABLE, false, NOW)).isFalse();
        assertThat(attempts.attempts()).isEqualTo(MAX_ATTEMPTS);
        assertThat(attempts.last()).isSameAs(UNAVAILABLE);
    }

    @Test
    void throttlingUsesNoTries() {
        for (int i = 0; i < 10 * MAX_ATTEMPTS; i++) {
            attempts.start();
            assertThat(attempts.tryAgainAfter(THROTTLED, false, NOW)).as("429 number %d", i + 1).isTrue();
        }

        // The request still has all its own tries left after any number of 429s.
        for (int i = 1; i < MAX_ATTEMPTS; i++) {
            assertThat(attempts.tryAgainAfter(UNAVAILABLE, false, NOW)).isTrue();
        }
        assertThat(attempts.tryAgainAfter(UNAVAILABLE, false, NOW)).isFalse();
        assertThat(attempts.attempts()).as("every try is still counted").isEqualTo(10 * MAX_ATTEMPTS);
    }

    @Test
    void failuresWhileTheTenantsCircuitIsOpenUseNoTries() {
        for (int i = 0; i < 10 * MAX_ATTEMPTS; i++) {
            assertThat(attempts.tryAgainAfter(UNAVAILABLE, true, NOW)).isTrue();
        }

        assertThat(attempts.tryAgainAfter(UNAVAILABLE, false, NOW)).as("outside the outage, tries count again")
                .isTrue();
    }

    @Test
    void aWriteHeldBackByItsPermitUsesNoTries() {
        for (int i = 0; i < 10 * MAX_ATTEMPTS; i++) {
            assertThat(attempts.tryAgainAfter(LEASE_EXPIRED, true, NOW)).isTrue();
        }
    }

    @Test
    void givesUpOnEvenAFreeRetryOnceTheDeadlineHasPassed() {
        assertThat(attempts.tryAgainAfter(THROTTLED, false, DEADLINE)).as("at the deadline").isTrue();
        assertThat(attempts.tryAgainAfter(THROTTLED, false, DEADLINE.plusMillis(1))).isFalse();
        assertThat(attempts.tryAgainAfter(UNAVAILABLE, true, DEADLINE.plusMillis(1))).isFalse();
        assertThat(attempts.deadline()).isEqualTo(DEADLINE);
    }

    @Test
    void remembersThatAWriteMayHaveTakenEffectOnceAnyFailureWasAmbiguous() {
        assertThat(attempts.mayExistUnseen()).isFalse();
        attempts.tryAgainAfter(THROTTLED, false, NOW);
        assertThat(attempts.mayExistUnseen()).isFalse();

        attempts.tryAgainAfter(TIMEOUT, false, NOW);
        attempts.tryAgainAfter(THROTTLED, false, NOW);

        assertThat(attempts.mayExistUnseen()).as("a later clear failure does not undo an ambiguous one").isTrue();
        assertThat(attempts.last()).isSameAs(THROTTLED);
    }

    @Test
    void countsTriesStartedFromManyThreads() {
        ExecutorService threads = Executors.newFixedThreadPool(4);
        try {
            CountDownLatch go = new CountDownLatch(1);
            CompletableFuture<?>[] starts = IntStream.range(0, 4).mapToObj(t -> CompletableFuture.runAsync(() -> {
                awaitQuietly(go);
                for (int i = 0; i < 5_000; i++) {
                    attempts.start();
                }
            }, threads)).toArray(CompletableFuture[]::new);
            go.countDown();
            CompletableFuture.allOf(starts).join();

            assertThat(attempts.attempts()).isEqualTo(20_000);
        } finally {
            threads.shutdownNow();
        }
    }

    private static void awaitQuietly(CountDownLatch latch) {
        try {
            latch.await();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static GraphError error(ErrorCategory category, Integer status, String code, boolean transientError,
                                    boolean ambiguous) {
        return new GraphError(category, status, code, "test failure", transientError, ambiguous, null, "req-1");
    }
}
