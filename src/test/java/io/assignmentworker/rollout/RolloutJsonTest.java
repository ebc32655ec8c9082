package io.assignmentworker.rollout;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

/** What the rollout topics may put into a rollout's state. */
class RolloutJsonTest {

    private final JsonMapper mapper = JsonMapper.builder().build();
    private final RolloutJson json = new RolloutJson(mapper);

    private byte[] manifest(String rolloutId, String description) {
        ObjectNode node = mapper.createObjectNode().put("rolloutId", rolloutId).put("expectedCount", 3)
                .put("description", description);
        return mapper.writeValueAsString(node).getBytes(StandardCharsets.UTF_8);
    }

    private byte[] failedResult(String rolloutId, String category) {
        ObjectNode node = mapper.createObjectNode().put("rolloutId", rolloutId).put("status", "FAILED");
        node.putObject("error").put("category", category);
        return mapper.writeValueAsString(node).getBytes(StandardCharsets.UTF_8);
    }

    private String description(byte[] manifest) {
        return json.fromManifest("key", manifest).orElseThrow().getValue().description();
    }

    @Test
    void cutsAnOverLongManifestDescriptionToTheSchemaLimitWithAnEllipsis() {
        String cut = description(manifest("r", "x".repeat(10_000)));

        assertThat(cut).hasSize(RolloutLimits.MAX_DESCRIPTION_LENGTH).endsWith("…");
        assertThat(cut).startsWith("x".repeat(RolloutLimits.MAX_DESCRIPTION_LENGTH - 1));
    }

    @Test
    void keepsADescriptionWithinTheLimitAsItIs() {
        String exact = "y".repeat(RolloutLimits.MAX_DESCRIPTION_LENGTH);

        assertThat(description(manifest("r", exact))).isEqualTo(exact);
    }

    @Test
    void neverCutsADescriptionInsideASurrogatePair() {
        String emoji = "\uD83D\uDE00";
        String cut = RolloutLimits.description("a".repeat(RolloutLimits.MAX_DESCRIPTION_LENGTH - 2) + emoji + "tail");

        assertThat(cut).isEqualTo("a".repeat(RolloutLimits.MAX_DESCRIPTION_LENGTH - 2) + "…");
    }

    @Test
    void cutsAnOverLongDescriptionReadBackFromTheStore() {
        RolloutStatus stored = new RolloutStatus("r", 1, 0, 0, 0, 0, 0, 0, Map.of(), null, null, null, "z".repeat(2_000));

        assertThat(json.status(json.status(stored)).description()).hasSize(RolloutLimits.MAX_DESCRIPTION_LENGTH);
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "line\nbreak", "tab\there", "nul\u0000"})
    void ignoresAManifestOrResultWhoseRolloutIdTheRequestValidationWouldReject(String rolloutId) {
        assertThat(json.fromManifest("key", manifest(rolloutId, "d"))).isEmpty();
        assertThat(json.fromResult(failedResult(rolloutId, "NOT_FOUND"))).isEmpty();
    }

    @Test
    void ignoresAManifestOrResultWhoseRolloutIdIsLongerThanARequestsMayBe() {
        String longest = "r".repeat(RolloutLimits.MAX_ID_LENGTH);
        String tooLong = longest + "r";

        assertThat(json.fromManifest("key", manifest(longest, "d"))).isPresent();
        assertThat(json.fromResult(failedResult(longest, "NOT_FOUND"))).isPresent();
        assertThat(json.fromManifest("key", manifest(tooLong, "d"))).isEmpty();
        assertThat(json.fromResult(failedResult(tooLong, "NOT_FOUND"))).isEmpty();
    }

    @Test
    void countsAnErrorCategoryTheWorkerDoesNotHaveAsUnknown() {
        Optional<Map.Entry<String, RolloutEvent>> odd = json.fromResult(failedResult("r", "Z".repeat(5_000)));
        Optional<Map.Entry<String, RolloutEvent>> known = json.fromResult(failedResult("r", "THROTTLED"));

        assertThat(odd.orElseThrow().getValue().category()).isEqualTo("UNKNOWN");
        assertThat(known.orElseThrow().getValue().category()).isEqualTo("THROTTLED");
    }

    @ParameterizedTest
    @ValueSource(strings = {
        "{\"rolloutId\":\"r\",\"status\":\"CREATED\",\"alreadyExisted\":true,\"assignment\":{\"a\":[1,{\"b\":2}]},"
                + "\"receivedAt\":\"2026-12-04T17:00:00Z\",\"completedAt\":\"2026-12-04T17:00:01.5Z\"}",
        "{\"rolloutId\":\"r\",\"status\":\"FAILED\",\"error\":{\"category\":\"THROTTLED\",\"message\":{\"x\":1}}}",
        "{\"rolloutId\":\"r\",\"status\":null,\"error\":null,\"receivedAt\":5,\"completedAt\":{\"a\":1}}",
        "{\"rolloutId\":\"r\",\"alreadyExisted\":\"true\"}", "{\"rolloutId\":\"r\",\"alreadyExisted\":1}",
        "{\"rolloutId\":\"r\",\"alreadyExisted\":null}", "{\"rolloutId\":5}", "{\"rolloutId\":\"r\",\"status\":7}",
        "{\"rolloutId\":\"r\",\"error\":\"x\"}", "{\"rolloutId\":\"r\",\"error\":[1]}",
        "{\"rolloutId\":\"r\",\"error\":{\"category\":3}}", "{\"rolloutId\":\"r\",\"error\":{\"category\":{\"a\":1}}}",
        "{\"rolloutId\":\"r\",\"error\":{\"category\":\"THROTTLED\"},\"error\":{}}", "{\"rolloutId\":\"a\",\"rolloutId\":\"b\"}",
        "{\"rolloutId\":\"r\"} x", "{\"rolloutId\":\"r\"}{}", "[1]", "\"s\"", "", "{", "{\"rolloutId\":\"r\"",
        "{\"rolloutId\":\"r\",\"receivedAt\":\"bad\"}", "{\"rolloutId\":\"r\",\"x\":[1,2}"})
    void readsAResultFieldByFieldAsItsTreeReadsIt(String result) {
        byte[] bytes = result.getBytes(StandardCharsets.UTF_8);

        assertThat(json.fromResult(bytes)).isEqualTo(json.fromResultTree(bytes));
    }

    @Test
    void readsWhatTheWorkerWritesFieldByField() {
        ObjectNode result = mapper.createObjectNode().put("rolloutId", "r").put("status", "CREATED")
                .put("alreadyExisted", true).put("receivedAt", "2026-12-04T17:00:00Z");
        result.putObject("assignment").putObject("target").put("groupId", "g");
        result.putObject("source").put("topic", "requests").put("offset", 7);

        ResultFields fields = ResultFields.scan(mapper, mapper.writeValueAsBytes(result));

        assertThat(fields).isEqualTo(new ResultFields("r", "CREATED", true, null, "2026-12-04T17:00:00Z", null));
    }
}
