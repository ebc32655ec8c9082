package io.assignmentworker.intake;

import java.util.Map;
import org.apache.kafka.clients.producer.ProducerConfig;

/**
 * The by-policy feed writes a request only from the partition Kafka's built-in partitioner gives its policy key
 * ({@link ByPolicyCheck}); forwards are sent by the worker's producer with no partition. A producer configured
 * to partition otherwise would put every forward somewhere its owner refuses, and forward it again for ever:
 * such a configuration stops start-up instead.
 */
final class ForwardPartitioning {

    private ForwardPartitioning() {
    }

    /** @param producerConfig the producer settings as built from {@code spring.kafka.producer.*} */
    static void requireBuiltIn(Map<String, Object> producerConfig) {
        Object partitioner = producerConfig.get(ProducerConfig.PARTITIONER_CLASS_CONFIG);
        if (partitioner != null && !partitioner.toString().isBlank()) {
            throw new IllegalArgumentException("spring.kafka.producer.properties."
                    + ProducerConfig.PARTITIONER_CLASS_CONFIG + " must not be set (got " + partitioner
                    + "): requests are forwarded to the partition Kafka's built-in partitioner gives their policy "
                    + "key, and the by-policy feed checks exactly that");
        }
        Object ignoreKeys = producerConfig.get(ProducerConfig.PARTITIONER_IGNORE_KEYS_CONFIG);
        if (ignoreKeys != null && Boolean.parseBoolean(ignoreKeys.toString())) {
            throw new IllegalArgumentException("spring.kafka.producer.properties."
                    + ProducerConfig.PARTITIONER_IGNORE_KEYS_CONFIG + " must not be true: requests are forwarded to "
                    + "the partition of their policy key, and the by-policy feed checks exactly that");
        }
    }
}
