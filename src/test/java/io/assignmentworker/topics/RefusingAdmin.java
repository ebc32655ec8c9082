package io.assignmentworker.topics;

import java.time.Duration;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.apache.kafka.clients.admin.CreateTopicsOptions;
import org.apache.kafka.clients.admin.CreateTopicsResult;
import org.apache.kafka.clients.admin.DescribeTopicsOptions;
import org.apache.kafka.clients.admin.DescribeTopicsResult;
import org.apache.kafka.clients.admin.MockAdminClient;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.common.KafkaFuture;
import org.apache.kafka.common.Node;
import org.apache.kafka.common.TopicCollection;
import org.apache.kafka.common.TopicPartitionInfo;
import org.apache.kafka.common.errors.TopicAuthorizationException;
import org.apache.kafka.common.internals.KafkaFutureImpl;

/**
 * Kafka's own {@link MockAdminClient}, plus what a secured or slow cluster does: refuse CreateTopics for lack of
 * ACLs, or not answer at all. Records the thread of every call; survives close (one instance serves every check).
 */
class RefusingAdmin extends MockAdminClient {

    private static final Node BROKER = new Node(0, "localhost", 9092);

    final List<String> callingThreads = new CopyOnWriteArrayList<>();
    final List<String> createRequested = new CopyOnWriteArrayList<>();
    volatile boolean refuseCreate;
    volatile boolean hang;

    RefusingAdmin() {
        super(List.of(BROKER), BROKER);
    }

    RefusingAdmin withTopics(Collection<String> names) {
        for (String name : names) {
            addTopic(false, name, List.of(new TopicPartitionInfo(0, BROKER, List.of(BROKER), List.of())),
                    Map.of());
        }
        return this;
    }

    @Override
    public synchronized DescribeTopicsResult describeTopics(TopicCollection topics, DescribeTopicsOptions options) {
        callingThreads.add(Thread.currentThread().getName());
        if (hang) {
            var names = ((TopicCollection.TopicNameCollection) topics).topicNames();
            return new DescribeTopicsResult(null, names.stream().collect(Collectors.toMap(Function.identity(),
                    name -> new KafkaFutureImpl<>()))) {
            };
        }
        return super.describeTopics(topics, options);
    }

    @Override
    public synchronized CreateTopicsResult createTopics(Collection<NewTopic> newTopics, CreateTopicsOptions options) {
        callingThreads.add(Thread.currentThread().getName());
        newTopics.forEach(topic -> createRequested.add(topic.name()));
        if (!refuseCreate) {
            return super.createTopics(newTopics, options);
        }
        Map<String, KafkaFuture<CreateTopicsResult.TopicMetadataAndConfig>> refused = newTopics.stream()
                .collect(Collectors.toMap(NewTopic::name, topic -> {
                    KafkaFutureImpl<CreateTopicsResult.TopicMetadataAndConfig> future = new KafkaFutureImpl<>();
                    future.completeExceptionally(new TopicAuthorizationException(
                            "Authorization failed.", Set.of(topic.name())));
                    return future;
                }));
        return new CreateTopicsResult(refused) {
        };
    }

    @Override
    public synchronized void close(Duration timeout) {
        // one instance serves every check of a test
    }
}
