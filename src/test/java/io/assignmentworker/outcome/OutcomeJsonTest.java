package io.assignmentworker.outcome;

import static org.assertj.core.api.Assertions.assertThat;

import io.assignmentworker.request.Operation;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/** The result and ledger JSON, byte for byte: what consumers of the results and ledger topics read. */
class OutcomeJsonTest {

    private static final Instant AT = Instant.parse("2026-12-04T17:00:00.120Z");
    private static final RecordSource SOURCE = new RecordSource("requests", 3, 12_345_678_901L);

    private final JsonMapper mapper = JsonMapper.builder().build();
    private final OutcomeJson json = new OutcomeJson(mapper);
    private final JsonNode assignment = mapper.readTree("""
            {"id":"p_g","target":{"@odata.type":"#microsoft.graph.groupAssignmentTarget",\
            "groupId":"1b2c3d4e-0000-4000-8000-000000000001"}}""");

    @Test
    void writesACreatedResultAndItsLedgerEntry() {
        Outcome created = new Outcome.Created("r1", "ro", "TEN-A", "POL-B", "p_g", assignment, false, 1, AT,
                AT.plusNanos(1_000), SOURCE);

        assertThat(text(json.toBytes(created))).isEqualTo("""
                {"requestId":"r1","rolloutId":"ro","tenantId":"TEN-A","policyId":"POL-B","operation":"create",\
                "status":"CREATED","assignmentId":"p_g","alreadyExisted":false,"assignment":{"id":"p_g","target":\
                {"@odata.type":"#microsoft.graph.groupAssignmentTarget","groupId":"1b2c3d4e-0000-4000-8000-000000000001"\
                }},"attempts":1,"receivedAt":"2026-12-04T17:00:00.120Z","completedAt":"2026-12-04T17:00:00.120001Z",\
                "source":{"topic":"requests","partition":3,"offset":12345678901}}""");
        assertThat(text(json.ledgerEntry(created).orElseThrow().value())).isEqualTo("""
                {"tenantId":"ten-a","policyId":"pol-b","subject":"group|1b2c3d4e-0000-4000-8000-000000000001",\
                "rolloutId":"ro","requestId":"r1","operation":"create","status":"CREATED","assignmentId":"p_g",\
                "before":null,"after":{"id":"p_g","target":{"@odata.type":"#microsoft.graph.groupAssignmentTarget",\
                "groupId":"1b2c3d4e-0000-4000-8000-000000000001"}},"at":"2026-12-04T17:00:00.120001Z"}""");
    }

    /**
     * A created assignment with the text Graph sent: written into the result and the ledger as Graph wrote it
     * (its spacing and order here), not as the tree would be written again.
     */
    @Test
    void writesTheAssignmentOfACreatedResultAsGraphSentIt() {
        String sent = "{ \"target\": {\"groupId\": \"1b2c3d4e-0000-4000-8000-000000000001\", "
                + "\"@odata.type\": \"#microsoft.graph.groupAssignmentTarget\"}, \"id\": \"p_g\" }";
        Outcome created = new Outcome.Created("r1", "ro", "TEN-A", "POL-B", "p_g", mapper.readTree(sent), sent,
                false, 1, AT, AT, SOURCE);

        String result = text(json.toBytes(created));
        String entry = text(json.ledgerEntry(created).orElseThrow().value());
        assertThat(result).contains("\"assignment\":" + sent + ",\"attempts\":1");
        assertThat(entry).contains("\"after\":" + sent + ",\"at\":");
        assertThat(mapper.readTree(result).get("assignment")).isEqualTo(assignment);
        assertThat(mapper.readTree(entry).get("after")).isEqualTo(assignment);
    }

    @Test
    void writesAFailedResultWithItsErrorAndNoLedgerEntry() {
        Outcome failed = new Outcome.Failed(null, null, null, null, new OutcomeError(ErrorCategory.GRAPH_ERROR, null,
                "Unreadable", "a \"quoted\" ü\n message", false, null), 0, AT, AT, SOURCE);

        assertThat(text(json.toBytes(failed))).isEqualTo("""
                {"requestId":null,"rolloutId":null,"tenantId":null,"policyId":null,"operation":null,\
                "status":"FAILED","error":{"category":"GRAPH_ERROR","httpStatus":null,"code":"Unreadable",\
                "message":"a \\"quoted\\" ü\\n message","retryable":false,"graphRequestId":null},"attempts":0,\
                "receivedAt":"2026-12-04T17:00:00.120Z","completedAt":"2026-12-04T17:00:00.120Z",\
                "source":{"topic":"requests","partition":3,"offset":12345678901}}""");
        assertThat(json.ledgerEntry(failed)).isEmpty();
    }

    @Test
    void writesARemovalWithWhatItRemovedAndNoAssignment() {
        Outcome removed = new Outcome.Changed("r2", "ro", "ten", "pol", Operation.REMOVE,
                Outcome.Changed.Status.REMOVED, "p_g", null, assignment, 1, AT, AT, SOURCE);

        JsonNode result = mapper.readTree(json.toBytes(removed));

        assertThat(result.has("assignment")).isFalse();
        assertThat(result.get("previous")).isEqualTo(assignment);
        JsonNode entry = mapper.readTree(json.ledgerEntry(removed).orElseThrow().value());
        assertThat(entry.get("before")).isEqualTo(assignment);
        assertThat(entry.get("after").isNull()).isTrue();
    }

    private static String text(byte[] bytes) {
        return new String(bytes, StandardCharsets.UTF_8);
    }
}
