package io.assignmentworker.cli;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.encoder.PatternLayoutEncoder;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.ConsoleAppender;
import org.slf4j.LoggerFactory;

/**
 * Logging for the tool, which runs without Spring: the libraries' warnings on stderr (stdout carries the tool's
 * output), the Kafka clients only when something is really wrong. Without this, Logback's default would print
 * every DEBUG line of the Kafka clients to stdout.
 */
final class CliLogging {

    private CliLogging() {
    }

    /** @param level {@code IAW_LOG_LEVEL} (e.g. {@code debug}), or null for the default */
    static void configure(String level) {
        if (!(LoggerFactory.getILoggerFactory() instanceof LoggerContext context)) {
            return;
        }
        context.reset();
        PatternLayoutEncoder encoder = new PatternLayoutEncoder();
        encoder.setContext(context);
        encoder.setPattern("iaw: %level %logger{20}: %msg%n");
        encoder.start();
        ConsoleAppender<ILoggingEvent> stderr = new ConsoleAppender<>();
        stderr.setContext(context);
        stderr.setTarget("System.err");
        stderr.setEncoder(encoder);
        stderr.start();
        Logger root = context.getLogger(Logger.ROOT_LOGGER_NAME);
        root.addAppender(stderr);
        Level chosen = level == null || level.isBlank() ? null : Level.toLevel(level, Level.WARN);
        root.setLevel(chosen == null ? Level.WARN : chosen);
        context.getLogger("org.apache.kafka").setLevel(chosen == null ? Level.ERROR : chosen);
        context.getLogger("com.microsoft.aad.msal4j").setLevel(chosen == null ? Level.ERROR : chosen);
    }
}
