package io.assignmentworker.request;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

class RequestEncoderTest {

    private static final String TENANT = "8f1c7e2a-1b2c-4d5e-8f90-0a1b2c3d4e5f";
    private static final String POLICY = "5d1b2c3a-6e7f-4a8b-9c0d-1e2f3a4b5c6d";
    private static final String GROUP = "0b5e9c1d-2f3a-4b5c-8d6e-7f8091a2b3c4";
    private static final String FILTER = "9a8b7c6d-5e4f-4a3b-8c2d-1e0f9a8b7c6d";

    private final RequestDecoder decoder = new RequestDecoder(64 * 1024, 32);
    private final RequestEncoder encoder = new RequestEncoder();

    static Stream<AssignmentRequest> requests() {
        return Stream.of(
                new AssignmentRequest("r-1", TENANT, POLICY, "rollout-1",
                        new AssignmentTarget(TargetType.GROUP, GROUP, null, null, FilterType.NONE),
                        AssignmentSource.DIRECT, null),
                new AssignmentRequest("r 2 with spaces", null, POLICY, null,
                        new AssignmentTarget(TargetType.EXCLUSION_GROUP, GROUP, null, null, FilterType.NONE),
                        AssignmentSource.DIRECT, null),
                new AssignmentRequest("r-3", TENANT, POLICY, "rollout-ü",
                        new AssignmentTarget(TargetType.ALL_DEVICES, null, null, FILTER, FilterType.INCLUDE),
                        AssignmentSource.POLICY_SETS, "policy-set-1"),
                new AssignmentRequest("r-4", TENANT, POLICY, null,
                        new AssignmentTarget(TargetType.ALL_LICENSED_USERS, null, null, FILTER, FilterType.EXCLUDE),
                        AssignmentSource.DIRECT, null),
                new AssignmentRequest("r-5", TENANT, POLICY, "r",
                        new AssignmentTarget(TargetType.CONFIGURATION_MANAGER_COLLECTION, null, "SMS00001", null,
                                FilterType.NONE),
                        AssignmentSource.DIRECT, null),
                new AssignmentRequest("r-6", TENANT, POLICY, "rollback-1",
                        new AssignmentTarget(TargetType.GROUP, GROUP, null, null, FilterType.NONE),
                        AssignmentSource.DIRECT, null, Operation.REMOVE, null),
                new AssignmentRequest("r-7", TENANT, POLICY, "filters",
                        new AssignmentTarget(TargetType.GROUP, GROUP, null, FILTER, FilterType.INCLUDE),
                        AssignmentSource.DIRECT, null, Operation.UPDATE,
                        new AssignmentTarget(TargetType.EXCLUSION_GROUP, GROUP, null, null, FilterType.NONE)));
    }

    @ParameterizedTest
    @MethodSource("requests")
    void writesWhatTheDecoderReadsBackAsTheSameRequest(AssignmentRequest request) {
        Decoded decoded = decoder.decode(encoder.encode(request));

        assertThat(decoded).isEqualTo(new Decoded.Valid(request));
    }

    @ParameterizedTest
    @MethodSource("requests")
    void keepsOnlyWhatTheRequestMeans(AssignmentRequest request) {
        String padded = new String(encoder.encode(request), StandardCharsets.UTF_8)
                .replaceFirst("\\{", "{\"padding\": \"" + "x".repeat(60_000) + "\",");
        Decoded fat = decoder.decode(padded.getBytes(StandardCharsets.UTF_8));

        byte[] again = encoder.encode(((Decoded.Valid) fat).request());

        assertThat(again).hasSizeLessThan(1000).isEqualTo(encoder.encode(request));
    }
}
