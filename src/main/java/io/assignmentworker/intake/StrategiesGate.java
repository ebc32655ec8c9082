package io.assignmentworker.intake;

import io.assignmentworker.graph.AnnouncedStrategies;
import io.assignmentworker.graph.TenantStrategies;
import java.time.Duration;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Holds the intake back, once, until the strategies topic has been read to the end it had at start-up (at most
 * {@link #BOUND}), then announces this instance's configured strategies where the group has decided nothing yet.
 * Until then the instance reads no request, so it neither forwards nor creates by a strategy the group has since
 * changed; readiness stays DOWN meanwhile (the intake has no session). Past the bound it goes on: creates still
 * wait for the view to be fresh.
 */
final class StrategiesGate {

    private static final Logger log = LoggerFactory.getLogger(StrategiesGate.class);
    static final Duration BOUND = Duration.ofSeconds(60);

    private final AnnouncedStrategies announced;
    private final TenantStrategies strategies;
    private final String topic;

    StrategiesGate(AnnouncedStrategies announced, TenantStrategies strategies, String topic) {
        this.announced = announced;
        this.strategies = strategies;
        this.topic = topic;
    }

    /** Called by each intake loop before its first session; the first call waits, the others find it done. */
    synchronized void await() {
        if (!announced.caughtUpOnce()) {
            long started = System.nanoTime();
            log.info("Reading the group's tenant strategies from {} before reading requests (at most {})", topic,
                    BOUND);
            try {
                if (announced.awaitCaughtUp(BOUND)) {
                    log.info("Read the group's tenant strategies from {} in {} ms", topic,
                            (System.nanoTime() - started) / 1_000_000);
                } else {
                    log.warn("Could not read {} to its end within {}; reading requests anyway: creates wait until "
                            + "it has been read", topic, BOUND);
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
        strategies.announceConfigured();
    }
}
