package io.assignmentworker.outcome;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.spi.LoggingEventBuilder;

/**
 * One log event per committed outcome, with requestId, rolloutId, tenantId, policyId and Graph's request-id as
 * key-value pairs (fields of their own with {@code LOGGING_STRUCTURED_FORMAT_CONSOLE=ecs} or {@code logstash}).
 * FAILED at INFO; CREATED, REMOVED, UPDATED and UNCHANGED at DEBUG (a rollout or a rollback of ten thousand
 * would be ten thousand lines; the results topic and the ledger hold every one). Outcomes hold no secrets, so neither do these events.
 */
final class OutcomeLog {

    private static final Logger log = LoggerFactory.getLogger("io.assignmentworker.outcomes");

    private OutcomeLog() {
    }

    static void committed(Outcome outcome) {
        outcome.map(created -> {
            if (log.isDebugEnabled()) {
                ids(log.atDebug(), outcome).addKeyValue("assignmentId", created.assignmentId())
                        .addKeyValue("alreadyExisted", created.alreadyExisted())
                        .log("Request {} CREATED", created.requestId());
            }
            return null;
        }, changed -> {
            if (log.isDebugEnabled()) {
                ids(log.atDebug(), outcome).addKeyValue("assignmentId", changed.assignmentId())
                        .log("Request {} ({}) {}", changed.requestId(), changed.operation().wireName(),
                                changed.status());
            }
            return null;
        }, failed -> {
            ids(log.atInfo(), outcome).addKeyValue("category", failed.error().category())
                    .addKeyValue("graphRequestId", failed.error().graphRequestId())
                    .addKeyValue("httpStatus", failed.error().httpStatus())
                    .log("Request {} FAILED {}: {}", failed.requestId(), failed.error().category(),
                            failed.error().message());
            return null;
        });
    }

    private static LoggingEventBuilder ids(LoggingEventBuilder event, Outcome outcome) {
        return event.addKeyValue("requestId", outcome.requestId()).addKeyValue("rolloutId", outcome.rolloutId())
                .addKeyValue("tenantId", outcome.tenantId()).addKeyValue("policyId", outcome.policyId())
                .addKeyValue("attempts", outcome.attempts())
                .addKeyValue("source", outcome.source().topic() + "-" + outcome.source().partition() + "@"
                        + outcome.source().offset());
    }
}
