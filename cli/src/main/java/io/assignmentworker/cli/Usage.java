package io.assignmentworker.cli;

/** The help texts. */
final class Usage {

    private static final String KAFKA = """
              --bootstrap-servers HOSTS  Kafka (default: $SPRING_KAFKA_BOOTSTRAP_SERVERS, else localhost:9092)
              --kafka-config FILE        Kafka client properties, e.g. SASL/SSL (default: $IAW_KAFKA_CONFIG)
              --topic, --requests-topic  requests topic (default: $WORKER_TOPICS_REQUESTS, else intune.assignment.requests)
              --results-topic            (default: $WORKER_TOPICS_RESULTS, else intune.assignment.results)
              --rollouts-topic           (default: $WORKER_TOPICS_ROLLOUTS, else intune.assignment.rollouts)
              --manifests-topic          (default: $WORKER_TOPICS_ROLLOUT_MANIFESTS, else intune.assignment.rollout-manifests)
            """;

    private static final String GENERAL = """
            iaw — bulk rollouts of Intune compliance-policy assignments through intune-assignment-worker

            Usage:
              iaw submit FILE [--rollout-id ID] [--wait [--timeout 30m]] [--skip-invalid] [--dry-run]
              iaw status ROLLOUT
              iaw failures ROLLOUT --out FILE [--format csv|jsonl]
              iaw help COMMAND

            FILE is CSV (header tenantId,policyId,targetType,groupId,collectionId,filterId,filterType,source,sourceId)
            or JSON Lines. Exit codes: 0 done and all created, 1 some failed, 2 usage or invalid lines,
            3 --wait timed out, 4 not complete yet, 5 unknown rollout, 6 Kafka or Graph unavailable.
            Documentation: docs/cli.md
            """;

    private static final String SUBMIT = """
            iaw submit FILE [options]

            Checks every line with the worker's own validation; if any is invalid, publishes nothing (exit 2).
            Then publishes a manifest and one request per line (requestId <rolloutId>/<line number>).
            Submitting the same file again is safe: it is a new rollout, and the worker never creates an
            assignment twice (those results say alreadyExisted: true).

              --rollout-id ID            default: <file stem>-<UTC timestamp>
              --skip-invalid             publish the valid lines, list the invalid ones
              --wait                     follow the rollout to its summary; exit 0 all created, 1 some failed,
                                         3 timed out
              --timeout DURATION         how long --wait waits (default 30m; e.g. 90s, 2h, PT30M)
              --progress-interval D      how often --wait prints a line when stderr is not a terminal (default 10s)
              --dry-run                  read Graph instead of publishing: does each policy, group and assignment
                                         filter exist, does the assignment exist already; writes nothing.
                                         Signs in as the worker does (AZURE_TENANT_ID, AZURE_CLIENT_ID,
                                         AZURE_CLIENT_SECRET …; that app has ReadWrite.All), or, with
                                         IAW_DRY_RUN_CLIENT_ID + IAW_DRY_RUN_CLIENT_SECRET (or
                                         …_CLIENT_CERTIFICATE_PATH, …_FEDERATED_TOKEN_FILE), as a read-only app.
                                         Needs DeviceManagementConfiguration.Read.All; groups are checked only
                                         with GroupMember.Read.All
            """;

    private static final String STATUS = """
            iaw status ROLLOUT [options]

            The rollout's latest status, as a summary table. Exit 0 complete and all created, 1 some failed,
            4 not complete yet, 5 unknown rollout.
            """;

    private static final String FAILURES = """
            iaw failures ROLLOUT --out FILE [--format csv|jsonl] [options]

            Writes the rollout's FAILED requests to FILE, in the input format (from its extension unless
            --format), with the reason in an "error" column or field that submit ignores: fix and submit it.
            Exit 0 all written, 1 some could not be recovered, 5 unknown rollout.
            """;

    private Usage() {
    }

    static String text(String command) {
        if (command == null) {
            return GENERAL;
        }
        return switch (command) {
            case "submit" -> SUBMIT + "\nKafka:\n" + KAFKA;
            case "status" -> STATUS + "\nKafka:\n" + KAFKA;
            case "failures" -> FAILURES + "\nKafka:\n" + KAFKA;
            default -> GENERAL;
        };
    }
}
