package io.assignmentworker.process;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.LoggerContext;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The test JVM has no logback configuration outside Spring Boot tests, so logback would print every Kafka client
 * line at DEBUG. These tests report through assertions and the child logs under {@code target/}; the console
 * gets warnings only (Kafka client errors only).
 */
final class QuietConsole {

    private QuietConsole() {
    }

    static void apply() {
        if (LoggerFactory.getILoggerFactory() instanceof LoggerContext context) {
            context.getLogger(Logger.ROOT_LOGGER_NAME).setLevel(Level.WARN);
            // Clients warn on every refused connection while a broker starts or restarts, which these tests cause.
            context.getLogger("org.apache.kafka").setLevel(Level.ERROR);
        }
    }
}
