package io.assignmentworker.app;

import static io.assignmentworker.support.Requests.TENANT;
import static io.assignmentworker.support.Requests.guid;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.assignmentworker.emulator.EmulatorSettings;
import io.assignmentworker.emulator.GraphEmulator;
import io.assignmentworker.intake.Intake;
import io.assignmentworker.rollout.RolloutTracker;
import io.assignmentworker.support.EmulatedTenant;
import io.assignmentworker.topics.MissingTopics;
import io.assignmentworker.topics.TopicAdmins;
import io.assignmentworker.topics.TopicsState;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.time.Duration;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.CreateTopicsResult;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.common.KafkaFuture;
import org.apache.kafka.common.errors.TopicAuthorizationException;
import org.apache.kafka.common.internals.KafkaFutureImpl;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.health.contributor.Status;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.TestConfiguration;
import org.springframework.context.annotation.Bean;
import org.springframework.core.env.Environment;
import org.springframework.kafka.test.context.EmbeddedKafka;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * A worker whose principal may not create topics, on a real broker where every topic already exists: the topics
 * count as ready, rollout tracking starts, and the admin API is only ever used from the topics thread. (The broker
 * has no ACLs; the admin client refuses CreateTopics the way a secured broker answers it.)
 */
@SpringBootTest(properties = {"spring.kafka.bootstrap-servers=${spring.embedded.kafka.brokers}",
        "worker.topics.requests=" + TopicsRefusedApplicationTest.REQUESTS,
        "worker.topics.results=" + TopicsRefusedApplicationTest.RESULTS,
        "worker.topics.rollouts=" + TopicsRefusedApplicationTest.ROLLOUTS,
        "worker.topics.rollout-manifests=" + TopicsRefusedApplicationTest.MANIFESTS,
        "worker.topics.ledger=" + TopicsRefusedApplicationTest.LEDGER,
        "worker.topics.rollback-requests=" + TopicsRefusedApplicationTest.ROLLBACKS,
        "spring.kafka.consumer.group-id=topics-refused-test"})
@EmbeddedKafka(partitions = 2, brokerProperties = {"auto.create.topics.enable=false",
        "transaction.state.log.replication.factor=1", "transaction.state.log.min.isr=1"},
        topics = {TopicsRefusedApplicationTest.REQUESTS, TopicsRefusedApplicationTest.RESULTS,
                TopicsRefusedApplicationTest.REQUESTS + ".DLT", TopicsRefusedApplicationTest.REQUESTS + ".by-policy",
                TopicsRefusedApplicationTest.REQUESTS + ".strategies", TopicsRefusedApplicationTest.ROLLOUTS,
                TopicsRefusedApplicationTest.MANIFESTS, TopicsRefusedApplicationTest.LEDGER,
                TopicsRefusedApplicationTest.ROLLBACKS})
class TopicsRefusedApplicationTest {

    static final String REQUESTS = "no-create.requests";
    static final String RESULTS = "no-create.results";
    static final String ROLLOUTS = "no-create.rollouts";
    static final String MANIFESTS = "no-create.manifests";
    static final String LEDGER = "no-create.ledger";
    static final String ROLLBACKS = "no-create.rollbacks";
    static final String CLIENT_ID = "3c1f6a7e-0000-4000-8000-00000000c1d3";
    static final String SECRET = "test-only-secret-" + guid();
    static final GraphEmulator graph = GraphEmulator.start(EmulatorSettings.defaults());
    static final List<String> adminThreads = new CopyOnWriteArrayList<>();
    static final List<String> createsAttempted = new CopyOnWriteArrayList<>();

    @Autowired
    MissingTopics topics;

    @Autowired
    RolloutTracker rollouts;

    @Autowired
    Intake intake;

    @DynamicPropertySource
    static void worker(DynamicPropertyRegistry registry) {
        EmulatedTenant.register(registry, graph, TENANT, CLIENT_ID, SECRET);
    }

    @AfterAll
    static void close() {
        graph.close();
    }

    @TestConfiguration
    static class CreateRefused {

        /** A real admin client, except that CreateTopics fails as it does without the Create ACL. */
        @Bean
        @SuppressWarnings("unchecked")
        TopicAdmins refusingAdmins(Environment environment) {
            return () -> {
                adminThreads.add(Thread.currentThread().getName());
                Admin real = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG,
                        environment.getRequiredProperty("spring.embedded.kafka.brokers")));
                return (Admin) Proxy.newProxyInstance(Admin.class.getClassLoader(), new Class<?>[] {Admin.class},
                        (proxy, method, args) -> {
                            if (method.getName().equals("createTopics")) {
                                createsAttempted.add(String.valueOf(args[0]));
                                return refused((Collection<NewTopic>) args[0]);
                            }
                            try {
                                return method.invoke(real, args);
                            } catch (InvocationTargetException e) {
                                throw e.getCause();
                            }
                        });
            };
        }
    }

    private static CreateTopicsResult refused(Collection<NewTopic> topics) {
        Map<String, KafkaFuture<CreateTopicsResult.TopicMetadataAndConfig>> futures = new HashMap<>();
        for (NewTopic topic : topics) {
            KafkaFutureImpl<CreateTopicsResult.TopicMetadataAndConfig> refused = new KafkaFutureImpl<>();
            refused.completeExceptionally(new TopicAuthorizationException("Authorization failed.",
                    Set.of(topic.name())));
            futures.put(topic.name(), refused);
        }
        return new CreateTopicsResult(futures) {
        };
    }

    @Test
    void startsRolloutTrackingWhereEveryTopicExistsThoughTheWorkerMayNotCreateTopics() throws Exception {
        await().atMost(Duration.ofSeconds(30)).until(() -> topics.state() instanceof TopicsState.Ready);
        await().atMost(Duration.ofSeconds(60)).until(() -> rollouts.health().getStatus().equals(Status.UP));
        await().atMost(Duration.ofSeconds(60)).until(() -> intake.health().getStatus().equals(Status.UP));
        Thread.sleep(1_000); // ten turns of the intake's poll loops (poll timeout 100 ms)

        assertThat(createsAttempted).isEmpty();
        assertThat(adminThreads).isNotEmpty().containsOnly("topics");
    }
}
