package io.assignmentworker.emulator;

import java.time.Clock;
import java.time.Duration;
import java.util.Map;

/** Builds 429 replies: Intune's error body plus {@code Retry-After}, which is left out at the configured ratio. */
final class Throttling {
    private final EmulatorSettings settings;
    private final Dice dice;
    private final Clock clock;

    Throttling(EmulatorSettings settings, Dice dice, Clock clock) {
        this.settings = settings;
        this.dice = dice;
        this.clock = clock;
    }

    GraphErrorReply tooManyRequests(Duration wait, RequestIds ids, String path) {
        String message = IntuneMessage.wrap("Too many requests. The tenant's request budget is spent; retry after "
                + "the time given in the Retry-After header.", ids.requestId(), path);
        if (dice.roll(settings.omitRetryAfterRatio())) {
            return new GraphErrorReply(429, "TooManyRequests", message);
        }
        String retryAfter = RetryAfterHeader.format(wait, settings.retryAfterFormat(), clock);
        return new GraphErrorReply(429, "TooManyRequests", message, Map.of("Retry-After", retryAfter));
    }
}
