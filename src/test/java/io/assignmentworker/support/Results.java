package io.assignmentworker.support;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.apache.kafka.clients.consumer.ConsumerRecord;
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

    private final List<JsonNode> parsed = new ArrayList<>();

    /** Every result so far, each parsed once. */
    public synchronized List<JsonNode> all() {
        List<ConsumerRecord<byte[], byte[]>> records = reader.records();
        for (int i = parsed.size(); i < records.size(); i++) {
            parsed.add(MAPPER.readTree(new String(records.get(i).value(), StandardCharsets.UTF_8)));
        }
        return List.copyOf(parsed);
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
