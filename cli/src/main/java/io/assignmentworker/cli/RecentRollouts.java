package io.assignmentworker.cli;

import java.time.Instant;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import tools.jackson.databind.JsonNode;

/**
 * The rollouts the topics know, newest first: each rollout's latest status on the compacted rollouts topic (a
 * tombstone forgets it), and the rollouts that have a manifest but no outcome yet, so a rollout id just submitted
 * is never lost.
 */
final class RecentRollouts {

    /**
     * One rollout.
     *
     * @param view      its latest status, or nothing answered yet
     * @param updatedAt when its status was published (its manifest submitted, when there is no status yet)
     */
    record Entry(RolloutView view, Instant updatedAt) {
    }

    private RecentRollouts() {
    }

    /** At most {@code limit} rollouts, the most recently updated first. */
    static List<Entry> read(KafkaAccess kafka, RolloutLookup lookup, int limit) {
        Map<String, Entry> latest = new HashMap<>();
        String manifests = kafka.topics().manifests();
        if (lookup.exists(manifests)) {
            lookup.scan().readAll(manifests, record -> {
                String key = RolloutLookup.key(record);
                Manifest manifest = key == null ? null : Manifest.parse(key, RolloutLookup.json(record.value()));
                if (manifest != null) {
                    latest.put(key, new Entry(RolloutView.empty(key, manifest.expectedCount(),
                            manifest.description(), false), at(manifest.submittedAt(), record.timestamp())));
                }
            });
        }
        Map<String, Entry> statuses = new HashMap<>();
        lookup.scan().readAll(kafka.topics().rollouts(), record -> {
            String key = RolloutLookup.key(record);
            JsonNode json = RolloutLookup.json(record.value());
            if (key == null) {
                return;
            }
            if (record.value() == null) {
                statuses.remove(key);
                latest.remove(key);
            } else if (json != null) {
                statuses.put(key, new Entry(RolloutView.fromStatus(json),
                        at(RolloutView.parseInstant(json.path("updatedAt")), record.timestamp())));
            }
        });
        latest.putAll(statuses);
        return latest.values().stream()
                .sorted(Comparator.comparing(Entry::updatedAt).reversed()
                        .thenComparing(e -> e.view().rolloutId()))
                .limit(limit).toList();
    }

    private static Instant at(Instant declared, long recordTimestamp) {
        return declared != null ? declared : Instant.ofEpochMilli(Math.max(0, recordTimestamp));
    }
}
