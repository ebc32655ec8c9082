package io.assignmentworker.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.assignmentworker.request.AssignmentRequest;
import io.assignmentworker.request.FilterType;
import io.assignmentworker.request.TargetType;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Reading rollout files, and judging each line with the worker's own validation. */
class CheckedFileTest {

    static final String HEADER = "tenantId,policyId,targetType,groupId,collectionId,filterId,filterType,source,sourceId";
    static final String TENANT = "8f1c7e2a-1b2c-4d5e-8f90-0a1b2c3d4e5f";
    static final String POLICY = "5d1b2c3a-6e7f-4a8b-9c0d-1e2f3a4b5c6d";
    static final String GROUP = "0b5e9c1d-2f3a-4b5c-8d6e-7f8091a2b3c4";
    static final String FILTER = "7a6b5c4d-3e2f-4a1b-8c9d-0e1f2a3b4c5d";

    @TempDir
    Path dir;

    CheckedFile check(String name, String... lines) throws Exception {
        return CheckedFile.check(Files.write(dir.resolve(name), List.of(lines), StandardCharsets.UTF_8), "r-1",
                java.io.InputStream.nullInputStream());
    }

    @ParameterizedTest(name = "{0} → {1}")
    @CsvSource(delimiter = '|', value = {
        "'" + TENANT + "," + POLICY + ",group,not-a-guid,,,,,'   | groupId: must be a GUID (8-4-4-4-12 hex digits), got \"not-a-guid\"",
        "'" + TENANT + "," + POLICY + ",exclusionGroup,,,,,,'    | groupId: is required",
        "'" + TENANT + "," + POLICY + ",allUsers," + GROUP + ",,,,,'| groupId: is not allowed for targetType allUsers",
        "'" + TENANT + "," + POLICY + ",configurationManagerCollection,,,,,,' | collectionId: is required for targetType configurationManagerCollection",
        "'" + TENANT + "," + POLICY + ",configurationManagerCollection,,a b,,,,' | collectionId: must be 1 to 64 letters, digits, '-' or '_', got \"a b\"",
        "'" + TENANT + "," + POLICY + ",allDevices,,," + FILTER + ",,,'  | filterType: must be include or exclude when filterId is set",
        "'" + TENANT + "," + POLICY + ",allDevices,,,,include,,'  | filterId: is required when filterType is include",
        "'" + TENANT + "," + POLICY + ",allDevices,,,,sometimes,,' | filterType: must be one of none, include, exclude, got \"sometimes\"",
        "'" + TENANT + "," + POLICY + ",allDevices,,,,,policySet,' | source: must be one of direct, policySets, got \"policySet\"",
        "'" + TENANT + "," + POLICY + ",everyone,,,,,,'            | targetType: must be one of group, exclusionGroup, allUsers, allDevices, configurationManagerCollection, got \"everyone\"",
        "'" + TENANT + "," + POLICY + ",,,,,,,'                    | targetType: is required",
        "'" + TENANT + ",,allDevices,,,,,,'                        | policyId: is required",
        "'tenant-1," + POLICY + ",allDevices,,,,,,'                | tenantId: must be a GUID (8-4-4-4-12 hex digits), got \"tenant-1\"",
        "'" + TENANT + "," + POLICY + ",allDevices,,,,,,,'          | 10 fields, but the header has 9 columns",
        "'" + TENANT + "," + POLICY + ",\"allDevices'              | a quoted field is not closed",
    })
    void namesTheBrokenRuleInTheFilesOwnWords(String line, String problem) throws Exception {
        CheckedFile checked = check("one.csv", HEADER, line);

        assertThat(checked.valid()).isEmpty();
        assertThat(checked.invalid()).hasSize(1);
        assertThat(checked.invalid().get(0)).startsWith("line 2: ").contains(problem);
    }

    @Test
    void buildsTheRequestTheWorkerReadsWithRequestIdsFromLineNumbers() throws Exception {
        CheckedFile checked = check("users.csv",
                "# rollout of wave 1",
                "policyId, targetType ,groupId,tenantId,filterId,filterType",
                "",
                POLICY + ",group," + GROUP + "," + TENANT + "," + FILTER + ",exclude",
                "\"" + POLICY + "\",allDevices,,,,",
                "# done");

        assertThat(checked.invalid()).isEmpty();
        assertThat(checked.format()).isEqualTo(InputFormat.CSV);
        assertThat(checked.valid()).extracting(ValidLine::line).containsExactly(4, 5);
        AssignmentRequest first = checked.valid().get(0).request();
        assertThat(first.requestId()).isEqualTo("r-1/4");
        assertThat(first.rolloutId()).isEqualTo("r-1");
        assertThat(first.tenantId()).isEqualTo(TENANT);
        assertThat(first.target().type()).isEqualTo(TargetType.GROUP);
        assertThat(first.target().filterType()).isEqualTo(FilterType.EXCLUDE);
        AssignmentRequest second = checked.valid().get(1).request();
        assertThat(second.tenantId()).isNull();
        assertThat(second.target().type()).isEqualTo(TargetType.ALL_DEVICES);
        assertThat(new String(checked.valid().get(1).json(), StandardCharsets.UTF_8))
                .contains("\"requestId\":\"r-1/5\"")
                .contains("\"@odata.type\":\"#microsoft.graph.deviceCompliancePolicyAssignment\"")
                .contains("\"@odata.type\":\"#microsoft.graph.allDevicesAssignmentTarget\"")
                .contains("\"source\":\"direct\"");
    }

    @Test
    void readsTheOperationColumnAndRefusesTwoOperationsOnOneAssignment() throws Exception {
        String other = "7a1b2c3d-4e5f-4a6b-8c7d-9e0f1a2b3c4d";
        CheckedFile checked = check("ops.csv", HEADER + ",operation",
                TENANT + "," + POLICY + ",group," + GROUP + ",,,,,,remove",
                TENANT + "," + POLICY + ",group," + GROUP + ",,,,,,create",
                TENANT + "," + POLICY + ",group," + other + ",,,,,,update",
                TENANT + "," + POLICY + ",group," + other + ",,,,,,update",
                TENANT + "," + POLICY + ",group," + other + ",,,,,,delete");

        assertThat(checked.valid()).extracting(line -> line.request().operation())
                .containsExactly(io.assignmentworker.request.Operation.REMOVE,
                        io.assignmentworker.request.Operation.UPDATE, io.assignmentworker.request.Operation.UPDATE);
        assertThat(checked.repeats()).containsEntry(5, 4);
        assertThat(checked.invalid()).containsExactly(
                "line 3: line 2 already asks to remove this policy and target; a rollout asks one thing of each "
                        + "assignment (its requests run in parallel): put the other in a later rollout",
                "line 6: operation: must be one of create, remove, update, got \"delete\"");
    }

    @Test
    void readsJsonLinesOfRequestsAndOfColumns() throws Exception {
        CheckedFile checked = check("wave.jsonl",
                "{\"policyId\":\"" + POLICY + "\",\"assignment\":{\"target\":{\"@odata.type\":"
                        + "\"groupAssignmentTarget\",\"groupId\":\"" + GROUP + "\"}},\"owner\":\"team-a\"}",
                "{\"policyId\":\"" + POLICY + "\",\"targetType\":\"allUsers\",\"error\":\"NOT_FOUND 404\"}",
                "{\"requestId\":\"mine\",\"policyId\":\"" + POLICY + "\",\"assignment\":{\"target\":{}}}",
                "{\"policyId\":\"" + POLICY + "\",\"targetType\":\"allUsers\",\"groupid\":\"x\"}",
                "{\"policyId\":\"" + POLICY + "\",\"policyId\":\"" + POLICY + "\"}",
                "[1,2]",
                "{\"policyId\":\"" + POLICY + "\",\"assignment\":{\"target\":{\"@odata.type\":\"allDevicesAssignmentTarget\","
                        + "\"groupId\":\"" + GROUP + "\"}}}");

        assertThat(checked.format()).isEqualTo(InputFormat.JSONL);
        assertThat(checked.valid()).extracting(ValidLine::line).containsExactly(1, 2);
        assertThat(new String(checked.valid().get(0).json(), StandardCharsets.UTF_8)).contains("\"owner\":\"team-a\"");
        assertThat(checked.invalid()).containsExactly(
                "line 3: requestId: is set by the tool (<rolloutId>/<line number>, --rollout-id); remove it; "
                        + "assignment.target.@odata.type: is required, one of groupAssignmentTarget, "
                        + "exclusionGroupAssignmentTarget, allLicensedUsersAssignmentTarget, allDevicesAssignmentTarget, "
                        + "configurationManagerCollectionAssignmentTarget",
                "line 4: groupid: unknown field; a line is a request with \"assignment\", or the fields tenantId, "
                        + "policyId, targetType, groupId, collectionId, filterId, filterType, source, sourceId, operation",
                "line 5: not valid JSON: Duplicate Object property \"policyId\"",
                "line 6: not a JSON object",
                "line 7: assignment.target.groupId: is not allowed for "
                        + "#microsoft.graph.allDevicesAssignmentTarget");
    }

    @Test
    void notesLinesThatRepeatAnEarlierAssignmentAndRefusesOnesThatConflictWithIt() throws Exception {
        CheckedFile checked = check("repeats.csv", HEADER,
                TENANT + "," + POLICY + ",group," + GROUP + ",,,,,",
                TENANT + "," + POLICY.toUpperCase() + ",group," + GROUP.toUpperCase() + ",,,none,direct,",
                TENANT + "," + POLICY + ",exclusionGroup," + GROUP + ",,,,,",
                TENANT + "," + POLICY + ",group," + GROUP + ",," + FILTER + ",include,,");

        assertThat(checked.repeats()).containsExactly(java.util.Map.entry(3, 2));
        assertThat(checked.invalid()).containsExactly(
                "line 4: conflicts with line 2: the same policy and target with another intent or filter (Graph "
                        + "holds one assignment per group, collection, all devices or all users)",
                "line 5: conflicts with line 2: the same policy and target with another intent or filter (Graph "
                        + "holds one assignment per group, collection, all devices or all users)");
    }

    @Test
    void refusesAHeaderWithUnknownOrMissingColumns() {
        assertThatThrownBy(() -> check("typo.csv", "policyId,targetType,groupID", POLICY + ",group," + GROUP))
                .isInstanceOf(CliException.class)
                .hasMessageContaining("line 1: unknown column 'groupID' in the header");
        assertThatThrownBy(() -> check("short.csv", "policyId,groupId", POLICY + "," + GROUP))
                .hasMessageContaining("the header needs the columns policyId and targetType");
        assertThatThrownBy(() -> check("empty.csv", HEADER)).hasMessageContaining("no requests in the file");
    }

    @Test
    void failuresWrittenAsCsvReadBackAsTheSameRequests() throws Exception {
        CheckedFile original = check("in.csv", HEADER,
                TENANT + "," + POLICY + ",group," + GROUP + ",,," + ",,",
                "," + POLICY + ",configurationManagerCollection,,SMS00001,,,policySets,\"set, with comma\"",
                TENANT + "," + POLICY + ",allDevices,,," + FILTER + ",include,,");
        var error = RequestJson.MAPPER.readTree("{\"category\":\"NOT_FOUND\",\"httpStatus\":404,\"code\":"
                + "\"ResourceNotFound\",\"message\":\"{\\\"_version\\\":3,\\\"Message\\\":\\\"Resource not found: no "
                + "policy. - Operation ID (for customer support): 0 - Activity ID: 1\\\"}\"}");
        List<FailureFile.Failure> failures = original.valid().stream().map(p -> new FailureFile.Failure(
                RequestJson.MAPPER.readTree(p.json()), error)).toList();

        for (String name : List.of("out.csv", "out.jsonl")) {
            Path out = dir.resolve(name);
            FailureFile.write(out, InputFormat.of(out), failures);
            CheckedFile again = CheckedFile.check(out, "r-1", java.io.InputStream.nullInputStream());

            assertThat(again.invalid()).as(name).isEmpty();
            assertThat(again.valid()).extracting(p -> p.request().target())
                    .containsExactlyElementsOf(original.valid().stream().map(p -> p.request().target()).toList());
            assertThat(again.valid()).extracting(p -> p.request().sourceId()).contains("set, with comma");
            assertThat(Files.readString(out)).contains("NOT_FOUND 404 ResourceNotFound: Resource not found: no policy.")
                    .doesNotContain("Operation ID");
        }
    }
}
