package io.assignmentworker.cli;

import static io.assignmentworker.support.Requests.TENANT;
import static io.assignmentworker.support.Requests.guid;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.assignmentworker.emulator.EmulatorSettings;
import io.assignmentworker.emulator.EmulatorStats.Operation;
import io.assignmentworker.emulator.EmulatorStats;
import io.assignmentworker.emulator.GraphEmulator;
import io.assignmentworker.support.EmulatedTenant;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.kafka.test.context.EmbeddedKafka;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * The command-line tool end to end: the real worker on an in-JVM broker, the Graph emulator over https, and the
 * tool run as a user runs it (arguments, environment, exit code, stdout, stderr).
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
        properties = "spring.kafka.bootstrap-servers=${spring.embedded.kafka.brokers}")
@EmbeddedKafka(partitions = 3, brokerProperties = {
        "transaction.state.log.replication.factor=1", "transaction.state.log.min.isr=1"})
class CliApplicationTest {

    static final String REQUESTS = "intune.assignment.requests";
    static final String CLIENT_ID = "3c1f6a7e-0000-4000-8000-00000000c1e1";
    static final String SECRET = "test-only-secret-" + guid();
    static final GraphEmulator graph = GraphEmulator.start(
            EmulatorSettings.defaults().withWriteBudget(10_000).withRequestBudget(100_000));
    static final String HEADER = "tenantId,policyId,targetType,groupId,collectionId,filterId,filterType,source,sourceId";

    @Value("${spring.embedded.kafka.brokers}")
    String brokers;

    @TempDir
    Path dir;

    @DynamicPropertySource
    static void worker(DynamicPropertyRegistry registry) {
        EmulatedTenant.registerUnthrottled(registry, graph, TENANT, CLIENT_ID, SECRET);
    }

    /** The worker creates its topics just after start-up; the tool expects them, as it would in production. */
    @BeforeEach
    void workerTopics() {
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, brokers))) {
            await().atMost(Duration.ofSeconds(30)).until(() -> admin.listTopics().names().get()
                    .containsAll(List.of(REQUESTS, "intune.assignment.results", "intune.assignment.rollouts",
                            "intune.assignment.rollout-manifests", "intune.assignment.ledger")));
        }
    }

    @AfterAll
    static void close() {
        graph.close();
    }

    CliRun iaw(String... args) {
        Map<String, String> env = new HashMap<>();
        env.put("SPRING_KAFKA_BOOTSTRAP_SERVERS", brokers);
        env.put("IAW_STDERR_TTY", "0");
        env.put("AZURE_TENANT_ID", TENANT);
        env.put("AZURE_CLIENT_ID", CLIENT_ID);
        env.put("AZURE_CLIENT_SECRET", SECRET);
        env.put("AZURE_AUTHORITY_HOST", graph.authorityHost().toString());
        env.put("WORKER_GRAPH_BASE_URL", graph.graphBaseUrl().toString());
        return CliRun.of(env, args);
    }

    CliRun iawWithStdin(String stdin, String... args) {
        Map<String, String> env = new HashMap<>();
        env.put("SPRING_KAFKA_BOOTSTRAP_SERVERS", brokers);
        env.put("IAW_STDERR_TTY", "0");
        return CliRun.withStdin(env, stdin, args);
    }

    static String newPolicy() {
        String policyId = guid();
        graph.addPolicy(TENANT, policyId, "Windows compliance " + policyId.substring(0, 8));
        return policyId;
    }

    Path file(String name, String... lines) throws Exception {
        return Files.write(dir.resolve(name), List.of(lines), StandardCharsets.UTF_8);
    }

    @Test
    void publishesNothingWhenAnyLineIsInvalidAndNamesEveryBadLine() throws Exception {
        String policy = newPolicy();
        Path csv = file("bad.csv", HEADER,
                TENANT + "," + policy + ",group," + guid() + ",,,,,",
                TENANT + "," + policy + ",group,not-a-guid,,,,,",
                TENANT + "," + policy + ",everyone,,,,,,",
                TENANT + ",,allDevices,,,,,,",
                TENANT + "," + policy + ",allDevices," + guid() + ",,,,,");
        long before = endOffsets(REQUESTS);

        CliRun run = iaw("submit", csv.toString(), "--rollout-id", "bad-" + guid());

        assertThat(run.exit()).as(run.transcript()).isEqualTo(2);
        assertThat(run.err()).contains("4 of 5 lines are invalid; nothing was published")
                .contains("line 3: groupId: must be a GUID (8-4-4-4-12 hex digits), got \"not-a-guid\"")
                .contains("line 4: targetType: must be one of group, exclusionGroup, allUsers, allDevices, "
                        + "configurationManagerCollection, got \"everyone\"")
                .contains("line 5: policyId: is required")
                .contains("line 6: groupId: is not allowed for targetType allDevices")
                .contains("--skip-invalid").doesNotContain("line 2:");
        assertThat(endOffsets(REQUESTS)).as("requests published").isEqualTo(before);
        assertThat(graph.assignments(TENANT, policy)).isEmpty();
    }

    @Test
    void skipsInvalidLinesWhenAskedAndPublishesTheRest() throws Exception {
        String policy = newPolicy();
        Path csv = file("some-bad.csv", HEADER,
                TENANT + "," + policy + ",group," + guid() + ",,,,,",
                TENANT + "," + policy + ",allUsers,,,,,,",
                TENANT + "," + policy + ",group,not-a-guid,,,,,");

        CliRun run = iaw("submit", csv.toString(), "--skip-invalid", "--wait", "--timeout", "60s",
                "--confirm-all-targets");

        assertThat(run.exit()).as(run.transcript()).isZero();
        assertThat(run.err()).contains("1 of 3 lines are invalid; skipping them:").contains("line 4: groupId");
        assertThat(run.out()).containsPattern("Rollout some-bad-\\d{8}T\\d{6}\\.\\d{3}Z: published 2 requests")
                .contains("complete, 2 of 2 requests answered")
                .containsPattern("CREATED \\(new\\) +2");
        assertThat(graph.assignments(TENANT, policy)).hasSize(2);
    }

    @Test
    void waitsForTheSummaryThenGivesStatusAndARe_submittableFileOfTheFailures() throws Exception {
        String policy = newPolicy();
        String missingPolicy = guid();
        String rolloutId = "mixed-" + guid();
        String filter = guid();
        Path csv = file("mixed.csv", HEADER,
                TENANT + "," + policy + ",group," + guid() + ",,,,,",
                TENANT + "," + policy + ",exclusionGroup," + guid() + ",,,,,",
                TENANT + "," + policy + ",allDevices,,," + filter + ",include,,",
                TENANT + "," + missingPolicy + ",group," + guid() + ",,,,,",
                "," + policy + ",configurationManagerCollection,,SMS00001,,,,");

        CliRun submit = iaw("submit", csv.toString(), "--rollout-id", rolloutId, "--wait",
                "--confirm-all-targets");

        assertThat(submit.exit()).as(submit.transcript()).isEqualTo(1);
        assertThat(submit.err()).contains("Waiting for 5 outcomes").contains("[iaw] ");
        assertThat(submit.out()).contains("Rollout " + rolloutId + " (mixed.csv): complete, 5 of 5 requests answered in ")
                .containsPattern("CREATED \\(new\\) +4").containsPattern("CREATED \\(already existed\\) +0")
                .containsPattern("FAILED NOT_FOUND +1")
                .contains("iaw failures " + rolloutId + " --out failed.csv");
        assertThat(graph.assignments(TENANT, policy)).hasSize(4);

        CliRun status = iaw("status", rolloutId);
        assertThat(status.exit()).as(status.transcript()).isEqualTo(1);
        assertThat(status.out()).contains("complete, 5 of 5").containsPattern("FAILED NOT_FOUND +1");

        Path failed = dir.resolve("failed.csv");
        CliRun failures = iaw("failures", rolloutId, "--out", failed.toString());
        assertThat(failures.exit()).as(failures.transcript()).isZero();
        assertThat(failures.out()).contains("1 failed request; 1 written to " + failed)
                .containsPattern("FAILED NOT_FOUND +1");
        List<String> lines = Files.readAllLines(failed);
        assertThat(lines).hasSize(2);
        assertThat(lines.get(0)).isEqualTo(HEADER + ",operation,error");
        assertThat(lines.get(1)).startsWith(TENANT + "," + missingPolicy + ",group,")
                .contains("NOT_FOUND 404 ResourceNotFound: Resource not found");

        JsonNode statusJson = OutputSchema.document(iaw("status", rolloutId, "-o", "json"));
        assertThat(OutputSchema.violations(statusJson)).isEmpty();
        assertThat(statusJson.path("state").asString()).isEqualTo("failed");
        assertThat(statusJson.path("failedByCategory").path("NOT_FOUND").asInt()).isEqualTo(1);
        CliRun failuresJson = iaw("failures", rolloutId, "-o", "json");
        assertThat(failuresJson.exit()).as(failuresJson.transcript()).isZero();
        JsonNode failedJson = OutputSchema.document(failuresJson);
        assertThat(OutputSchema.violations(failedJson)).isEmpty();
        assertThat(failedJson.path("failures").get(0).path("request").path("policyId").asString())
                .isEqualTo(missingPolicy);
        CliRun toStdout = iaw("failures", rolloutId, "--out", "-");
        assertThat(toStdout.out().lines().toList()).isEqualTo(lines);
        assertThat(toStdout.err()).contains("1 written to stdout");
        CliRun list = iaw("list", "-n", "50");
        assertThat(list.exit()).as(list.transcript()).isZero();
        assertThat(list.out()).startsWith("ROLLOUT").containsPattern(rolloutId + " +failed +5/5 +4 +0 +1 ");
        JsonNode listJson = OutputSchema.document(iaw("list", "-o", "json", "--limit", "50"));
        assertThat(OutputSchema.violations(listJson)).isEmpty();
        assertThat(listJson.path("rollouts")).extracting(r -> r.path("rolloutId").asString()).contains(rolloutId);

        graph.addPolicy(TENANT, missingPolicy, "created after the failure");
        CliRun again = iaw("submit", failed.toString(), "--wait");
        assertThat(again.exit()).as(again.transcript()).isZero();
        assertThat(again.out()).containsPattern("CREATED \\(new\\) +1").containsPattern("FAILED +0");
        assertThat(graph.assignments(TENANT, missingPolicy)).hasSize(1);
    }

    @Test
    void reSubmittingTheSameFileIsANewRolloutThatCreatesNothingTwice() throws Exception {
        String policy = newPolicy();
        String group = guid();
        Path jsonl = file("again.jsonl",
                "{\"tenantId\":\"" + TENANT + "\",\"policyId\":\"" + policy + "\",\"assignment\":{\"target\":"
                        + "{\"@odata.type\":\"#microsoft.graph.groupAssignmentTarget\",\"groupId\":\"" + group + "\"}}}",
                "",
                "{\"policyId\":\"" + policy + "\",\"targetType\":\"allUsers\"}",
                "{\"tenantId\":\"" + TENANT + "\",\"policyId\":\"" + policy + "\",\"targetType\":\"group\",\"groupId\":\""
                        + guid() + "\",\"filterId\":\"" + guid() + "\",\"filterType\":\"exclude\"}");

        CliRun first = iaw("submit", jsonl.toString(), "--wait", "--confirm-all-targets");
        assertThat(first.exit()).as(first.transcript()).isZero();
        assertThat(first.out()).containsPattern("CREATED \\(new\\) +3");
        List<?> created = graph.assignments(TENANT, policy);
        long writes = graph.stats().writesPerformed();

        // as against a worker without rollout tracking: --wait counts the results itself
        CliRun second = iaw("submit", jsonl.toString(), "--wait", "--rollouts-topic", "no.rollout.tracking",
                "--confirm-all-targets");

        assertThat(second.exit()).as(second.transcript()).isZero();
        assertThat(second.out()).containsPattern("CREATED \\(new\\) +0")
                .containsPattern("CREATED \\(already existed\\) +3")
                .contains("(counted from intune.assignment.results");
        assertThat(rolloutIdOf(second.out())).isNotEqualTo(rolloutIdOf(first.out()));
        assertThat(graph.assignments(TENANT, policy)).isEqualTo(created);
        assertThat(graph.stats().writesPerformed()).isEqualTo(writes);
        assertThat(graph.duplicateAssignments(TENANT)).isZero();

        // a worker without rollout tracking: the tool counts the results itself
        CliRun counted = iaw("status", rolloutIdOf(first.out()), "--rollouts-topic", "no.rollout.tracking");
        assertThat(counted.exit()).as(counted.transcript()).isZero();
        assertThat(counted.out()).contains("complete, 3 of 3 requests answered").containsPattern("CREATED \\(new\\) +3")
                .contains("(counted from intune.assignment.results");
    }

    @Test
    void dryRunReportsEachLineFromGraphReadsAndWritesNothing() throws Exception {
        String policy = newPolicy();
        String assigned = guid();
        String known = guid();
        String filter = guid();
        graph.addGroup(TENANT, assigned, "Pilot devices");
        graph.addGroup(TENANT, known, "Wave 1");
        graph.addAssignmentFilter(TENANT, filter, "Windows 11 only");
        graph.addAssignment(TENANT, policy, JsonMapper.builder().build().readTree("{\"target\":{\"@odata.type\":"
                + "\"#microsoft.graph.groupAssignmentTarget\",\"groupId\":\"" + assigned + "\"}}"));
        String excluded = guid();
        graph.addGroup(TENANT, excluded, "Kiosks");
        graph.addAssignment(TENANT, policy, JsonMapper.builder().build().readTree("{\"target\":{\"@odata.type\":"
                + "\"#microsoft.graph.exclusionGroupAssignmentTarget\",\"groupId\":\"" + excluded + "\"}}"));
        String missingGroup = guid();
        String missingFilter = guid();
        String missingPolicy = guid();
        Path csv = file("dry.csv", HEADER,
                TENANT + "," + policy + ",group," + assigned + ",,,,,",
                TENANT + "," + policy + ",group," + known + ",,,,,",
                TENANT + "," + policy + ",group," + missingGroup + ",,,,,",
                TENANT + "," + policy + ",allUsers,,," + missingFilter + ",include,,",
                TENANT + "," + missingPolicy + ",group," + known + ",,,,,",
                TENANT + "," + policy + ",allDevices,,," + filter + ",include,,",
                guid() + "," + policy + ",allUsers,,,,,,",
                TENANT + "," + policy + ",group," + excluded + ",,,,,");
        EmulatorStats before = graph.stats();
        long published = endOffsets(REQUESTS);

        CliRun run = iaw("submit", csv.toString(), "--dry-run");

        assertThat(run.exit()).as(run.transcript()).isEqualTo(1);
        assertThat(run.out())
                .containsPattern("line 2 +already exists +policy " + policy + " → group " + assigned)
                .containsPattern("line 3 +would create +policy " + policy + " → group " + known)
                .containsPattern("line 4 +PROBLEM +policy " + policy + " → group " + missingGroup
                        + ": group not found")
                .containsPattern("line 5 +PROBLEM +policy " + policy + " → all users \\(filter include "
                        + missingFilter + "\\): assignment filter not found")
                .containsPattern("line 6 +PROBLEM +policy " + missingPolicy + " → group " + known
                        + ": policy not found in tenant " + TENANT)
                .containsPattern("line 7 +would create +policy " + policy + " → all devices \\(filter include "
                        + filter + "\\)")
                .containsPattern("line 8 +PROBLEM +no credentials for tenant")
                .containsPattern("line 9 +PROBLEM +policy " + policy + " → group " + excluded + ": conflict: the "
                        + "policy already assigns this target with another intent or filter")
                .contains("2 would create, 1 already exist, 5 with problems");
        EmulatorStats reads = graph.stats().minus(before);
        assertThat(reads.count(Operation.CREATE)).isZero();
        assertThat(reads.count(Operation.ASSIGN)).isZero();
        assertThat(reads.writesPerformed()).isZero();
        assertThat(reads.count(Operation.GET_GROUP, 200)).isEqualTo(3);
        assertThat(reads.count(Operation.GET_GROUP, 404)).isEqualTo(1);
        assertThat(reads.count(Operation.GET_ASSIGNMENT_FILTER, 200)).isEqualTo(1);
        assertThat(reads.count(Operation.GET_ASSIGNMENT_FILTER, 404)).isEqualTo(1);
        assertThat(reads.count(Operation.GET_POLICY, 404)).isEqualTo(1);
        assertThat(endOffsets(REQUESTS)).as("requests published").isEqualTo(published);
    }

    @Test
    void timesOutWhenNobodyAnswersAndStatusSaysNotComplete() throws Exception {
        String unread = "nobody.reads.this." + UUID.randomUUID();
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, brokers))) {
            admin.createTopics(List.of(new NewTopic(unread, 1, (short) 1))).all().get();
        }
        String rolloutId = "unanswered-" + guid();
        Path csv = file("unanswered.csv", HEADER, TENANT + "," + newPolicy() + ",allUsers,,,,,,");

        CliRun run = iaw("submit", csv.toString(), "--rollout-id", rolloutId, "--topic", unread, "--wait",
                "--confirm-all-targets",
                "--timeout", "2s");

        assertThat(run.exit()).as(run.transcript()).isEqualTo(3);
        assertThat(run.out()).contains("in progress, 0 of 1 request answered so far");
        assertThat(run.err()).contains("Timed out after 2.0 s; the rollout goes on");
        CliRun status = iaw("status", rolloutId);
        assertThat(status.exit()).as(status.transcript()).isEqualTo(4);
        assertThat(status.out()).contains("in progress, 0 of 1");
        CliRun following = iaw("status", rolloutId, "--wait", "-t", "1s");
        assertThat(following.exit()).as(following.transcript()).isEqualTo(3);
        assertThat(following.err()).contains("Follow it with: iaw status " + rolloutId + " --wait");
    }

    @Test
    void jsonOutputOfSubmitWaitIsOneDocumentAndStatusWaitFollowsToTheEnd() throws Exception {
        String policy = newPolicy();
        String rolloutId = "json-" + guid();
        String csv = String.join("\n", HEADER, TENANT + "," + policy + ",group," + guid() + ",,,,,",
                TENANT + "," + policy + ",allUsers,,,,,,");

        CliRun submit = iawWithStdin(csv, "submit", "-", "--rollout-id", rolloutId, "-w", "-o", "json",
                "--confirm-all-targets");

        assertThat(submit.exit()).as(submit.transcript()).isZero();
        JsonNode document = OutputSchema.document(submit);
        assertThat(OutputSchema.violations(document)).isEmpty();
        assertThat(document.path("kind").asString()).isEqualTo("submit");
        assertThat(document.path("file").asString()).isEqualTo("stdin");
        assertThat(document.path("rollout").path("state").asString()).isEqualTo("succeeded");
        assertThat(document.path("rollout").path("created").asInt()).isEqualTo(2);
        assertThat(submit.err()).contains("Connecting to Kafka at " + brokers).contains("published 2 requests");

        CliRun followed = iaw("status", rolloutId, "--wait", "-o", "json");
        assertThat(followed.exit()).as(followed.transcript()).isZero();
        assertThat(OutputSchema.document(followed).path("complete").asBoolean()).isTrue();
    }

    @Test
    void ctrlCWhileWaitingSaysHowToFollowTheRolloutAgainAndExits130() throws Exception {
        String unread = "nobody.reads.this." + UUID.randomUUID();
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, brokers))) {
            admin.createTopics(List.of(new NewTopic(unread, 1, (short) 1))).all().get();
        }
        String rolloutId = "interrupted-" + guid();
        Path csv = file("interrupted.csv", HEADER, TENANT + "," + newPolicy() + ",group," + guid() + ",,,,,");
        Path stderr = dir.resolve("stderr.txt");
        ProcessBuilder builder = new ProcessBuilder(ProcessHandle.current().info().command().orElse("java"),
                "-cp", System.getProperty("java.class.path"), Cli.class.getName(), "submit", csv.toString(),
                "--rollout-id", rolloutId, "--topic", unread, "--wait", "--timeout", "2m")
                .redirectError(stderr.toFile()).redirectOutput(dir.resolve("stdout.txt").toFile());
        builder.environment().put("SPRING_KAFKA_BOOTSTRAP_SERVERS", brokers);
        builder.environment().put("IAW_STDERR_TTY", "0");
        Process process = builder.start();
        try {
            await().atMost(Duration.ofSeconds(60)).until(() -> Files.exists(stderr)
                    && Files.readString(stderr).contains("Waiting for 1 outcome"));
            new ProcessBuilder("kill", "-INT", String.valueOf(process.pid())).start().waitFor();

            assertThat(process.waitFor(30, java.util.concurrent.TimeUnit.SECONDS)).isTrue();
            assertThat(process.exitValue()).isEqualTo(130);
            assertThat(Files.readString(stderr)).contains("Interrupted: stopped following " + rolloutId
                    + "; the rollout goes on. Follow it again with: iaw status " + rolloutId + " --wait");
        } finally {
            process.destroyForcibly();
        }
    }

    /**
     * A rollout rolled back: what it created is removed, what was there before it stays, what another rollout
     * changed since stays and is reported; a second rollback finds everything done and changes nothing.
     */
    @Test
    void rollsBackExactlyWhatTheRolloutDidAndASecondRollbackChangesNothing() throws Exception {
        String policyA = newPolicy();
        String policyB = newPolicy();
        String existing = guid();
        String changedSince = guid();
        JsonMapper json = JsonMapper.builder().build();
        graph.addAssignment(TENANT, policyA, json.readTree("{\"target\":{\"@odata.type\":"
                + "\"#microsoft.graph.groupAssignmentTarget\",\"groupId\":\"" + existing + "\"}}"));
        List<JsonNode> before = graph.assignments(TENANT, policyA);
        String rolloutId = "wave-" + guid();
        Path wave = file("wave.csv", HEADER,
                TENANT + "," + policyA + ",group," + existing + ",,,,,",
                TENANT + "," + policyA + ",group," + changedSince + ",,,,,",
                TENANT + "," + policyA + ",group," + guid() + ",,,,,",
                TENANT + "," + policyB + ",group," + guid() + ",,,,,",
                TENANT + "," + policyB + ",exclusionGroup," + guid() + ",,,,,");
        CliRun submitted = iaw("submit", wave.toString(), "--rollout-id", rolloutId, "--wait");
        assertThat(submitted.exit()).as(submitted.transcript()).isZero();
        String filter = guid();
        Path update = file("update.csv", HEADER + ",operation",
                TENANT + "," + policyA + ",group," + changedSince + ",," + filter + ",include,,,update");
        CliRun updated = iaw("submit", update.toString(), "--wait");
        assertThat(updated.exit()).as(updated.transcript()).isZero();
        assertThat(updated.out()).containsPattern("UPDATED +1");
        List<JsonNode> afterUpdate = graph.assignments(TENANT, policyA);
        long writes = graph.stats().writesPerformed();

        CliRun dryRun = iaw("rollback", rolloutId, "--dry-run", "-o", "json");

        assertThat(dryRun.exit()).as(dryRun.transcript()).isEqualTo(1);
        JsonNode plan = OutputSchema.document(dryRun);
        assertThat(OutputSchema.violations(plan)).isEmpty();
        assertThat(plan.path("changes")).hasSize(3).allSatisfy(c -> assertThat(c.path("undo").asString())
                .isEqualTo("remove"));
        assertThat(plan.path("conflicts")).singleElement().satisfies(c ->
                assertThat(c.path("subject").asString()).isEqualTo("group|" + changedSince));
        assertThat(dryRun.err()).contains("3 changes to undo over 2 policies, 1 conflict left alone")
                .contains("Nothing was published (--dry-run).");
        assertThat(graph.stats().writesPerformed()).isEqualTo(writes);

        CliRun rollback = iaw("rollback", rolloutId, "--wait");

        assertThat(rollback.exit()).as("a conflict was left alone: " + rollback.transcript()).isEqualTo(1);
        assertThat(rollback.out()).containsPattern("REMOVED +3").contains("CONFLICT");
        List<JsonNode> kept = new java.util.ArrayList<>(before);
        kept.add(afterUpdate.stream().filter(a -> a.path("target").path("groupId").asString().equals(changedSince))
                .findFirst().orElseThrow());
        assertThat(graph.assignments(TENANT, policyA)).containsExactlyInAnyOrderElementsOf(kept);
        assertThat(graph.assignments(TENANT, policyB)).isEmpty();

        CliRun history = iaw("ledger", "--policy", policyA, "-o", "json");
        assertThat(history.exit()).as(history.transcript()).isZero();
        JsonNode ledger = OutputSchema.document(history);
        assertThat(OutputSchema.violations(ledger)).isEmpty();
        // The pre-existing assignment was never changed: no entry. The updated one: the update's. The third
        // group: created by the rollout, then removed by its rollback.
        assertThat(ledger.path("entries")).extracting(e -> e.path("status").asString() + " "
                + e.path("subject").asString().equals("group|" + changedSince) + " "
                + e.path("rolloutId").asString().startsWith(rolloutId + ".rollback-"))
                .containsExactlyInAnyOrder("UPDATED true false", "REMOVED false true");

        long writesBefore = graph.stats().writesPerformed();
        CliRun again = iaw("rollback", rolloutId, "--wait");

        assertThat(again.exit()).as("the conflict is still there: " + again.transcript()).isEqualTo(1);
        assertThat(again.out()).contains("0 changes to undo").contains("3 UNCHANGED: already undone (by "
                + rolloutId + ".rollback-").contains("Nothing to publish.");
        assertThat(graph.stats().writesPerformed()).isEqualTo(writesBefore);
        assertThat(graph.assignments(TENANT, policyA)).containsExactlyInAnyOrderElementsOf(kept);
        assertThat(graph.duplicateAssignments(TENANT)).isZero();
    }

    /** A rollout that removed one assignment and changed another's filter: the rollback puts both back as they were. */
    @Test
    void rollsBackRemovalsAndUpdatesToWhatWasThereBefore() throws Exception {
        String policy = newPolicy();
        String removed = guid();
        String filtered = guid();
        JsonMapper json = JsonMapper.builder().build();
        graph.addAssignment(TENANT, policy, json.readTree("{\"target\":{\"@odata.type\":"
                + "\"#microsoft.graph.exclusionGroupAssignmentTarget\",\"groupId\":\"" + removed + "\"}}"));
        graph.addAssignment(TENANT, policy, json.readTree("{\"target\":{\"@odata.type\":"
                + "\"#microsoft.graph.groupAssignmentTarget\",\"groupId\":\"" + filtered + "\"}}"));
        List<JsonNode> before = graph.assignments(TENANT, policy);
        String rolloutId = "change-" + guid();
        Path change = file("change.csv", HEADER + ",operation",
                TENANT + "," + policy + ",exclusionGroup," + removed + ",,,,,,remove",
                TENANT + "," + policy + ",group," + filtered + ",," + guid() + ",include,,,update");
        CliRun changed = iaw("submit", change.toString(), "--rollout-id", rolloutId, "--wait");
        assertThat(changed.exit()).as(changed.transcript()).isZero();
        assertThat(changed.out()).containsPattern("REMOVED +1").containsPattern("UPDATED +1");
        assertThat(graph.assignments(TENANT, policy)).hasSize(1).doesNotContainAnyElementsOf(before);

        CliRun rollback = iaw("rollback", rolloutId, "--wait", "-o", "json");

        assertThat(rollback.exit()).as(rollback.transcript()).isZero();
        JsonNode document = OutputSchema.document(rollback);
        assertThat(document.path("changes")).extracting(c -> c.path("undo").asString())
                .containsExactlyInAnyOrder("restore", "revert");
        assertThat(document.path("rollout").path("created").asInt()).isEqualTo(1);
        assertThat(document.path("rollout").path("updated").asInt()).isEqualTo(1);
        assertThat(graph.assignments(TENANT, policy)).containsExactlyInAnyOrderElementsOf(before);
    }

    @Test
    void plansAFileOfChangesPerPolicyFromGraphReadsAndWritesNothing() throws Exception {
        String policy = newPolicy();
        String other = newPolicy();
        String kept = guid();
        String gone = guid();
        String filtered = guid();
        String excludedElsewhere = guid();
        String filter = guid();
        JsonMapper json = JsonMapper.builder().build();
        for (String group : List.of(kept, gone, filtered, excludedElsewhere)) {
            graph.addGroup(TENANT, group, "group " + group.substring(0, 8), group.equals(gone) ? 20 : 300);
            graph.addAssignment(TENANT, policy, json.readTree("{\"target\":{\"@odata.type\":"
                    + "\"#microsoft.graph.groupAssignmentTarget\",\"groupId\":\"" + group + "\"}}"));
        }
        graph.addAssignmentFilter(TENANT, filter, "Windows 11 only");
        String added = guid();
        graph.addGroup(TENANT, added, "new", 10);
        Path csv = file("plan.csv", HEADER + ",operation",
                TENANT + "," + policy + ",group," + added + ",,,,,,create",
                TENANT + "," + policy + ",group," + kept + ",,,,,,create",
                TENANT + "," + policy + ",group," + gone + ",,,,,,remove",
                TENANT + "," + policy + ",group," + filtered + ",," + filter + ",include,,,update",
                TENANT + "," + policy + ",exclusionGroup," + excludedElsewhere + ",,,,,,remove",
                TENANT + "," + other + ",allDevices,,,,,,,create");
        long writes = graph.stats().writesPerformed();

        CliRun run = iaw("plan", csv.toString(), "-o", "json");

        assertThat(run.exit()).as("a conflict: " + run.transcript()).isEqualTo(1);
        JsonNode plan = OutputSchema.document(run);
        assertThat(OutputSchema.violations(plan)).isEmpty();
        JsonNode first = plan.path("policies").get(0);
        assertThat(first.path("adds").asInt()).isEqualTo(1);
        assertThat(first.path("noops").asInt()).isEqualTo(1);
        assertThat(first.path("removes").asInt()).isEqualTo(1);
        assertThat(first.path("updates").asInt()).isEqualTo(1);
        assertThat(first.path("conflicts").asInt()).isEqualTo(1);
        assertThat(first.path("groups").asInt()).isEqualTo(3);
        assertThat(first.path("writes").asInt()).isEqualTo(1);
        assertThat(first.path("groupMembers").asLong()).as("added 10 + removed 20 + updated 300").isEqualTo(330);
        assertThat(first.path("groupsUnsized").asInt()).isZero();
        JsonNode second = plan.path("policies").get(1);
        assertThat(second.path("allDevices").asInt()).isEqualTo(1);
        assertThat(plan.path("totals").path("adds").asInt()).isEqualTo(2);
        assertThat(plan.path("tenants").get(0).path("writes").asInt()).isEqualTo(2);
        assertThat(run.err()).contains("ALL DEVICES").contains("ETA " + TENANT.toLowerCase());
        assertThat(graph.stats().writesPerformed()).isEqualTo(writes);
    }

    @Test
    void refusesToPublishAllUsersOrAllDevicesChangesUnlessConfirmed() throws Exception {
        String policy = newPolicy();
        Path csv = file("broad.csv", HEADER, TENANT + "," + policy + ",group," + guid() + ",,,,,",
                TENANT + "," + policy + ",allDevices,,,,,,");
        long before = endOffsets(REQUESTS);

        CliRun refused = iaw("submit", csv.toString());

        assertThat(refused.exit()).as(refused.transcript()).isEqualTo(2);
        assertThat(refused.err()).contains("line 3: create All devices").contains("--confirm-all-targets")
                .contains("Nothing was published");
        assertThat(endOffsets(REQUESTS)).isEqualTo(before);

        CliRun confirmed = iaw("submit", csv.toString(), "--confirm-all-targets", "--wait");

        assertThat(confirmed.exit()).as(confirmed.transcript()).isZero();
        assertThat(graph.assignments(TENANT, policy)).hasSize(2);
    }

    @Test
    void saysSoWhenTheRolloutIsUnknown() {
        CliRun status = iaw("status", "never-submitted-" + guid());
        assertThat(status.exit()).as(status.transcript()).isEqualTo(5);
        assertThat(status.err()).contains("Unknown rollout");

        CliRun failures = iaw("failures", "never-submitted-" + guid(), "--out", dir.resolve("x.csv").toString());
        assertThat(failures.exit()).as(failures.transcript()).isEqualTo(5);
    }

    private static String rolloutIdOf(String out) {
        return out.lines().filter(l -> l.startsWith("Rollout ")).findFirst().orElseThrow().split("[ :]")[1];
    }

    private long endOffsets(String topic) {
        try (KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(Map.of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, brokers), new ByteArrayDeserializer(),
                new ByteArrayDeserializer())) {
            List<TopicPartition> partitions = consumer.partitionsFor(topic).stream()
                    .map(p -> new TopicPartition(topic, p.partition())).toList();
            return consumer.endOffsets(partitions).values().stream().mapToLong(Long::longValue).sum();
        }
    }
}
