package io.assignmentworker.request;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

class RequestDecoderTest {

    private static final String POLICY = "5d1b2c3a-6e7f-4a8b-9c0d-1e2f3a4b5c6d";
    private static final String GROUP = "0b5e9c1d-2f3a-4b5c-8d6e-7f8091a2b3c4";
    private static final String FILTER = "9a8b7c6d-5e4f-4a3b-8c2d-1e0f9a8b7c6d";

    private final RequestDecoder decoder = new RequestDecoder(64 * 1024, 32);

    static String request(String requestId, String policyId, String target) {
        return """
                {"requestId": %s, "tenantId": "8f1c7e2a-1b2c-4d5e-8f90-0a1b2c3d4e5f", "policyId": %s,
                 "rolloutId": "rollout-42", "unknownField": {"ignored": true},
                 "assignment": {"@odata.type": "#microsoft.graph.deviceCompliancePolicyAssignment",
                                "target": %s, "source": "direct", "sourceId": null}}
                """.formatted(requestId, policyId, target);
    }

    static String group(String type, String groupId) {
        return """
                {"@odata.type": "%s", "groupId": %s, "deviceAndAppManagementAssignmentFilterId": null,
                 "deviceAndAppManagementAssignmentFilterType": "none"}""".formatted(type, groupId);
    }

    private Decoded decode(String json) {
        return decoder.decode(json.getBytes(StandardCharsets.UTF_8));
    }

    @Test
    void readsTheDocumentedExampleAndIgnoresUnknownFields() {
        Decoded decoded = decode(request("\"rollout-42/0001\"", "\"" + POLICY + "\"",
                group("#microsoft.graph.groupAssignmentTarget", "\"" + GROUP + "\"")));

        assertThat(decoded).isInstanceOf(Decoded.Valid.class);
        AssignmentRequest request = ((Decoded.Valid) decoded).request();
        assertThat(request.requestId()).isEqualTo("rollout-42/0001");
        assertThat(request.policyId()).isEqualTo(POLICY);
        assertThat(request.rolloutId()).isEqualTo("rollout-42");
        assertThat(request.source()).isEqualTo(AssignmentSource.DIRECT);
        assertThat(request.target()).isEqualTo(
                new AssignmentTarget(TargetType.GROUP, GROUP, null, null, FilterType.NONE));
    }

    public static Stream<Arguments> validTargets() {
        return Stream.of(
                Arguments.of("{\"@odata.type\":\"microsoft.graph.groupAssignmentTarget\",\"groupId\":\"" + GROUP + "\"}",
                        TargetType.GROUP),
                Arguments.of("{\"@odata.type\":\"#microsoft.graph.exclusionGroupAssignmentTarget\",\"groupId\":\"" + GROUP
                        + "\"}", TargetType.EXCLUSION_GROUP),
                Arguments.of("{\"@odata.type\":\"#microsoft.graph.allLicensedUsersAssignmentTarget\"}",
                        TargetType.ALL_LICENSED_USERS),
                Arguments.of("{\"@odata.type\":\"#microsoft.graph.allDevicesAssignmentTarget\","
                        + "\"deviceAndAppManagementAssignmentFilterId\":\"" + FILTER + "\","
                        + "\"deviceAndAppManagementAssignmentFilterType\":\"include\"}", TargetType.ALL_DEVICES),
                Arguments.of("{\"@odata.type\":\"#microsoft.graph.configurationManagerCollectionAssignmentTarget\","
                        + "\"collectionId\":\"SMS00001\"}", TargetType.CONFIGURATION_MANAGER_COLLECTION));
    }

    @ParameterizedTest
    @MethodSource("validTargets")
    void acceptsEveryTargetType(String target, TargetType expected) {
        Decoded decoded = decode(request("\"r-1\"", "\"" + POLICY + "\"", target));

        assertThat(decoded).isInstanceOf(Decoded.Valid.class);
        assertThat(((Decoded.Valid) decoded).request().target().type()).isEqualTo(expected);
    }

    public static Stream<Arguments> invalidRequests() {
        String groupTarget = group("#microsoft.graph.groupAssignmentTarget", "\"" + GROUP + "\"");
        return Stream.of(
                Arguments.of(request("null", "\"" + POLICY + "\"", groupTarget), "requestId: is required"),
                Arguments.of(request("\"\"", "\"" + POLICY + "\"", groupTarget), "requestId: must be 1 to 200"),
                Arguments.of(request("\"" + "x".repeat(201) + "\"", "\"" + POLICY + "\"", groupTarget),
                        "requestId: must be 1 to 200"),
                Arguments.of(request("\"a\\u0000b\"", "\"" + POLICY + "\"", groupTarget),
                        "requestId: must contain printable characters only"),
                Arguments.of(request("42", "\"" + POLICY + "\"", groupTarget), "requestId: must be a string"),
                Arguments.of(request("\"r\"", "null", groupTarget), "policyId: is required"),
                Arguments.of(request("\"r\"", "\"../../users\"", groupTarget), "policyId: must be a GUID"),
                Arguments.of(request("\"r\"", "\"" + POLICY + "/assign\"", groupTarget), "policyId: must be a GUID"),
                Arguments.of(request("\"r\"", "\"" + POLICY + "\"", "null"), "assignment.target: is required"),
                Arguments.of(request("\"r\"", "\"" + POLICY + "\"", "[]"), "assignment.target: must be an object"),
                Arguments.of(request("\"r\"", "\"" + POLICY + "\"", "{}"), "assignment.target.@odata.type: is required"),
                Arguments.of(request("\"r\"", "\"" + POLICY + "\"", group("#microsoft.graph.userTarget", "null")),
                        "assignment.target.@odata.type: must be one of"),
                Arguments.of(request("\"r\"", "\"" + POLICY + "\"", group("#microsoft.graph.groupAssignmentTarget", "null")),
                        "assignment.target.groupId: is required"),
                Arguments.of(request("\"r\"", "\"" + POLICY + "\"",
                                group("#microsoft.graph.exclusionGroupAssignmentTarget", "\"not-a-guid\"")),
                        "assignment.target.groupId: must be a GUID"),
                Arguments.of(request("\"r\"", "\"" + POLICY + "\"",
                                group("#microsoft.graph.allDevicesAssignmentTarget", "\"" + GROUP + "\"")),
                        "assignment.target.groupId: is not allowed"),
                Arguments.of(request("\"r\"", "\"" + POLICY + "\"",
                                "{\"@odata.type\":\"#microsoft.graph.configurationManagerCollectionAssignmentTarget\"}"),
                        "assignment.target.collectionId: is required"),
                Arguments.of(request("\"r\"", "\"" + POLICY + "\"",
                                "{\"@odata.type\":\"#microsoft.graph.allDevicesAssignmentTarget\","
                                        + "\"deviceAndAppManagementAssignmentFilterType\":\"include\"}"),
                        "deviceAndAppManagementAssignmentFilterId: is required when"),
                Arguments.of(request("\"r\"", "\"" + POLICY + "\"",
                                "{\"@odata.type\":\"#microsoft.graph.allDevicesAssignmentTarget\","
                                        + "\"deviceAndAppManagementAssignmentFilterType\":\"sometimes\"}"),
                        "deviceAndAppManagementAssignmentFilterType: must be one of none, include, exclude"),
                Arguments.of(request("\"r\"", "\"" + POLICY + "\"",
                                "{\"@odata.type\":\"#microsoft.graph.allDevicesAssignmentTarget\","
                                        + "\"deviceAndAppManagementAssignmentFilterId\":\"" + FILTER + "\"}"),
                        "must be include or exclude when"),
                Arguments.of("{\"requestId\":\"r\",\"policyId\":\"" + POLICY + "\"}", "assignment: is required"),
                Arguments.of("{\"requestId\":\"r\",\"policyId\":\"" + POLICY + "\",\"tenantId\":\"contoso\","
                        + "\"assignment\":{\"target\":" + groupTarget + "}}", "tenantId: must be a GUID"),
                Arguments.of("{\"requestId\":\"r\",\"policyId\":\"" + POLICY + "\",\"assignment\":{\"source\":\"gpo\","
                        + "\"target\":" + groupTarget + "}}", "assignment.source: must be one of direct, policySets"),
                Arguments.of("{\"requestId\":\"r\",\"policyId\":\"" + POLICY + "\",\"assignment\":{\"@odata.type\":"
                        + "\"#microsoft.graph.deviceConfigurationAssignment\",\"target\":" + groupTarget + "}}",
                        "assignment.@odata.type: must be #microsoft.graph.deviceCompliancePolicyAssignment"),
                Arguments.of("{\"requestId\":\"r\",\"policyId\":\"" + POLICY + "\",\"operation\":\"delete\","
                        + "\"assignment\":{\"target\":" + groupTarget + "}}",
                        "operation: must be one of create, remove, update, got \"delete\""),
                Arguments.of("{\"requestId\":\"r\",\"policyId\":\"" + POLICY + "\",\"operation\":\"remove\","
                        + "\"assignment\":{\"target\":" + groupTarget + "},\"expected\":{\"target\":" + groupTarget
                        + "}}", "expected: is allowed only with operation update"),
                Arguments.of("{\"requestId\":\"r\",\"policyId\":\"" + POLICY + "\",\"operation\":\"update\","
                        + "\"assignment\":{\"target\":" + groupTarget + "},\"expected\":{\"target\":"
                        + group("#microsoft.graph.groupAssignmentTarget", "\"nope\"") + "}}",
                        "expected.target.groupId: must be a GUID"));
    }

    @Test
    void readsRemoveAndUpdateWithTheExpectedAssignment() {
        String target = group("#microsoft.graph.groupAssignmentTarget", "\"" + GROUP + "\"");
        String filtered = "{\"@odata.type\":\"#microsoft.graph.groupAssignmentTarget\",\"groupId\":\"" + GROUP
                + "\",\"deviceAndAppManagementAssignmentFilterId\":\"" + FILTER + "\","
                + "\"deviceAndAppManagementAssignmentFilterType\":\"include\"}";
        AssignmentRequest remove = ((Decoded.Valid) decode("{\"requestId\":\"r\",\"policyId\":\"" + POLICY
                + "\",\"operation\":\"remove\",\"assignment\":{\"target\":" + target + "}}")).request();
        AssignmentRequest update = ((Decoded.Valid) decode("{\"requestId\":\"r\",\"policyId\":\"" + POLICY
                + "\",\"operation\":\"update\",\"assignment\":{\"target\":" + filtered + "},\"expected\":{"
                + "\"target\":" + target + "}}")).request();
        AssignmentRequest plain = ((Decoded.Valid) decode(request("\"r\"", "\"" + POLICY + "\"", target))).request();

        assertThat(plain.operation()).isEqualTo(Operation.CREATE);
        assertThat(remove.operation()).isEqualTo(Operation.REMOVE);
        assertThat(remove.expected()).isNull();
        assertThat(update.operation()).isEqualTo(Operation.UPDATE);
        assertThat(update.target().filterType()).isEqualTo(FilterType.INCLUDE);
        assertThat(update.expected()).isEqualTo(new AssignmentTarget(TargetType.GROUP, GROUP, null, null,
                FilterType.NONE));
    }

    @ParameterizedTest
    @MethodSource("invalidRequests")
    void rejectsBrokenRulesNamingFieldAndRule(String json, String expectedViolation) {
        Decoded decoded = decode(json);

        assertThat(decoded).isInstanceOf(Decoded.Rejected.class);
        assertThat(((Decoded.Rejected) decoded).message()).contains(expectedViolation);
    }

    @Test
    void keepsTheIdsItCouldReadWhenRejecting() {
        Decoded decoded = decode(request("\"r-7\"", "\"" + POLICY + "\"", "{}"));

        Decoded.Rejected rejected = (Decoded.Rejected) decoded;
        assertThat(rejected.requestId()).isEqualTo("r-7");
        assertThat(rejected.policyId()).isEqualTo(POLICY);
        assertThat(rejected.rolloutId()).isEqualTo("rollout-42");
    }

    static Stream<Arguments> unreadableValues() {
        return Stream.of(
                Arguments.of(null, "no value"),
                Arguments.of(new byte[0], "empty"),
                Arguments.of(new byte[] {(byte) 0xC3, (byte) 0x28, '{', '}'}, "not valid UTF-8"),
                // Inside a string, where a JSON parser reading bytes lets some through: an overlong '/', and a
                // surrogate encoded on its own.
                Arguments.of(utf8WithBytesInRequestId((byte) 0xC0, (byte) 0xAF), "not valid UTF-8"),
                Arguments.of(utf8WithBytesInRequestId((byte) 0xED, (byte) 0xA0, (byte) 0x80), "not valid UTF-8"),
                // UTF-16 without a byte-order mark: ASCII and NUL bytes, which a parser reading bytes would decode.
                Arguments.of(request("\"r\"", "\"" + POLICY + "\"", group("#microsoft.graph.groupAssignmentTarget",
                        "\"" + GROUP + "\"")).getBytes(StandardCharsets.UTF_16LE), "not valid JSON"),
                Arguments.of(("\uFEFF" + request("\"r\"", "\"" + POLICY + "\"", group("#microsoft.graph.groupAssignmentTarget",
                        "\"" + GROUP + "\""))).getBytes(StandardCharsets.UTF_8), "not valid JSON"),
                Arguments.of("not json".getBytes(StandardCharsets.UTF_8), "not valid JSON"),
                Arguments.of("{\"requestId\": \"a\"".getBytes(StandardCharsets.UTF_8), "not valid JSON"),
                Arguments.of("[1,2]".getBytes(StandardCharsets.UTF_8), "not an object"),
                Arguments.of("{\"a\":1,\"a\":2}".getBytes(StandardCharsets.UTF_8), "not valid JSON"),
                Arguments.of(("{\"x\":" + "[".repeat(100) + "]".repeat(100) + "}").getBytes(StandardCharsets.UTF_8),
                        "not valid JSON"),
                Arguments.of(("{\"pad\":\"" + "x".repeat(70_000) + "\"}").getBytes(StandardCharsets.UTF_8),
                        "over the limit of 65536 bytes"));
    }

    @ParameterizedTest
    @MethodSource("unreadableValues")
    void callsUnparseableBytesUnreadableWithTheReason(byte[] value, String expectedReason) {
        Decoded decoded = decoder.decode(value);

        assertThat(decoded).isInstanceOf(Decoded.Unreadable.class);
        assertThat(((Decoded.Unreadable) decoded).reason()).contains(expectedReason);
    }

    private static byte[] utf8WithBytesInRequestId(byte... inside) {
        byte[] head = "{\"requestId\":\"".getBytes(StandardCharsets.US_ASCII);
        byte[] tail = "\"}".getBytes(StandardCharsets.US_ASCII);
        byte[] value = new byte[head.length + inside.length + tail.length];
        System.arraycopy(head, 0, value, 0, head.length);
        System.arraycopy(inside, 0, value, head.length, inside.length);
        System.arraycopy(tail, 0, value, head.length + inside.length, tail.length);
        return value;
    }

    @Test
    void readsARequestWithCharactersBeyondAscii() {
        Decoded decoded = decoder.decode(request("\"rollout-été-✓\"", "\"" + POLICY + "\"", group("#microsoft.graph.groupAssignmentTarget",
                "\"" + GROUP + "\"")).getBytes(StandardCharsets.UTF_8));

        assertThat(decoded).isInstanceOf(Decoded.Valid.class);
        assertThat(((Decoded.Valid) decoded).request().requestId()).isEqualTo("rollout-été-✓");
    }

    @ParameterizedTest
    @ValueSource(strings = {"5d1b2c3a-6e7f-4a8b-9c0d-1e2f3a4b5c6d", "5D1B2C3A-6E7F-4A8B-9C0D-1E2F3A4B5C6D",
        "00000000-0000-0000-0000-000000000000"})
    void takesEightFourFourFourTwelveHexDigitsAsAGuid(String guid) {
        assertThat(Guid.isGuid(guid)).isTrue();
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "5d1b2c3a6e7f4a8b9c0d1e2f3a4b5c6d", "5d1b2c3a-6e7f-4a8b-9c0d-1e2f3a4b5c6",
        "5d1b2c3a-6e7f-4a8b-9c0d-1e2f3a4b5c6d0", "5d1b2c3a-6e7f-4a8b-9c0d_1e2f3a4b5c6d",
        "5d1b2c3g-6e7f-4a8b-9c0d-1e2f3a4b5c6d", "{5d1b2c3a-6e7f-4a8b-9c0d-1e2f3a4b5c6}",
        "5d1b2c3a-6e7f-4a8b-9c0d-1e2f3a4b5c6١"})
    void refusesAnythingElseAsAGuid(String notGuid) {
        assertThat(Guid.isGuid(notGuid)).isFalse();
        assertThat(Guid.isGuid(null)).isFalse();
    }
}
