package io.assignmentworker.support;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Objects;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/** The result topic as JSON, searchable the way a result consumer would. */
public final class Results implements AutoCloseable {

    private static final JsonMapper MAPPER = JsonMapper.builder().build();
    private final TopicReader reader;

    public Results(String bootstrapServers, String topic) {
        this.reader = new TopicReader(bootstrapServers, topic);
    }

    public List<JsonNode> all() {
        return reader.records().stream()
                .map(r -> MAPPER.readTree(new String(r.value(), StandardCharsets.UTF_8)))
                .toList();
    }

    public List<JsonNode> forRequest(String requestId) {
        return all().stream().filter(r -> Objects.equals(requestId, r.path("requestId").asString(null))).toList();
    }

    /** Results of records that had no readable requestId, found by their source offset. */
    public List<JsonNode> forSource(int partition, long offset) {
        return all().stream()
                .filter(r -> r.path("source").path("partition").asInt() == partition
                        && r.path("source").path("offset").asLong() == offset)
                .toList();
    }

    @Override
    public void close() throws InterruptedException {
        reader.close();
    }
}
