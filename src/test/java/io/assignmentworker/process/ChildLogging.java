package io.assignmentworker.process;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Logging of JVMs started from the test classpath (which carries logback): INFO to standard output, which the
 * child's log file captures. Without a configuration file logback would log everything at DEBUG.
 */
final class ChildLogging {

    private ChildLogging() {
    }

    /** Writes the logback configuration into {@code dir} and returns the JVM option that selects it. */
    static String logbackOption(Path dir) {
        Path file = dir.resolve("logback.xml");
        try {
            Files.writeString(file, """
                    <configuration>
                      <appender name="OUT" class="ch.qos.logback.core.ConsoleAppender">
                        <encoder><pattern>%d{HH:mm:ss.SSS} %-5level [%thread] %logger{36} - %msg%n</pattern></encoder>
                      </appender>
                      <logger name="org.apache.kafka.common.config" level="WARN"/>
                      <root level="INFO"><appender-ref ref="OUT"/></root>
                    </configuration>
                    """);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + file, e);
        }
        return "-Dlogback.configurationFile=" + file.toAbsolutePath();
    }
}
