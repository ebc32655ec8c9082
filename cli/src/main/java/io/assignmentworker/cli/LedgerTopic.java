package io.assignmentworker.cli;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import tools.jackson.databind.JsonNode;

/** The ownership ledger as the tool reads it: the whole topic, committed records only, in offset order per key. */
final class LedgerTopic {

    private LedgerTopic() {
    }

    /** The ledger's topic, which must exist (a worker of this version creates it). */
    static String require(KafkaAccess kafka, Set<String> topics) {
        String ledger = kafka.topics().ledger();
        if (!topics.contains(ledger)) {
            throw CliException.unavailable("topic " + ledger + " (the ownership ledger) does not exist on "
                    + kafka.bootstrapServers() + "; a worker of this version creates it, or check --ledger-topic");
        }
        return ledger;
    }

    /** Every entry (key, JSON) written before the read began; records that are not entries are passed over. */
    static List<Map.Entry<String, JsonNode>> readAll(KafkaAccess kafka, String ledger) {
        List<Map.Entry<String, JsonNode>> entries = new ArrayList<>();
        try (TopicScan scan = new TopicScan(kafka)) {
            scan.readAll(ledger, record -> {
                if (record.key() == null || record.value() == null) {
                    return;
                }
                try {
                    entries.add(Map.entry(new String(record.key(), StandardCharsets.UTF_8),
                            RequestJson.MAPPER.readTree(record.value())));
                } catch (RuntimeException unreadable) {
                    // not an entry the worker wrote
                }
            });
        }
        return entries;
    }
}
