package io.assignmentworker.graph;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

class KnownAssignmentsTest {

    private static final Duration TTL = Duration.ofMinutes(5);
    private static final Instant START = Instant.parse("2026-01-01T00:00:00Z");
    private static final JsonMapper JSON = JsonMapper.builder().build();

    private final MutableClock clock = new MutableClock(START);
    private final KnownAssignments known = new KnownAssignments(clock, TTL, 3, JSON);
    private final ExecutorService threads = Executors.newFixedThreadPool(4);

    @AfterEach
    void stopThreads() {
        threads.shutdownNow();
    }

    @Test
    void knowsNothingOfAPolicyUntilItIsRead() {
        assertThat(known.get("t", "p")).isEmpty();

        known.add("t", "p", "group|g1", assigned("a1"));

        assertThat(known.get("t", "p")).as("a write alone is not a complete picture of the policy").isEmpty();
    }

    @Test
    void keepsAReadPerPolicyAndItsSubjects() {
        known.replace("t", "p", listing(START, "a1", "g1", "a2", "g2"));
        known.replace("t", "other", listing(START));

        KnownAssignments.View view = known.get("t", "p").orElseThrow();

        assertThat(view.readAt()).isEqualTo(START);
        assertThat(view.subjects()).containsOnly("group|g1", "group|g2");
        assertThat(view.assigned("group|g1").id()).isEqualTo("a1");
        assertThat(known.get("t", "other").orElseThrow().subjects()).isEmpty();
        assertThat(known.get("another-tenant", "p")).as("policies are known per tenant").isEmpty();
    }

    @Test
    void answersEachAssignmentAsGraphListedItAndAsTheWorkerWroteIt() {
        JsonNode listed = JSON.readTree("""
                {"id":"a1","source":"direct","sourceId":null,"target":{"@odata.type":\
                "#microsoft.graph.groupAssignmentTarget","groupId":"g1","deviceAndAppManagementAssignmentFilterId":\
                null,"deviceAndAppManagementAssignmentFilterType":"none","ratio":0.25,"members":12345678901}}""");
        known.replace("t", "p", new Listing(List.of(listed), "read-1", START));
        JsonNode written = JSON.readTree("""
                {"id":"a2","target":{"@odata.type":"#microsoft.graph.groupAssignmentTarget","groupId":"g2",\
                "displayName":"Ünïcode ✓ 😀"}}""");
        known.add("t", "p", "group|g2", new Assigned("a2", written, false, "create-2"));

        KnownAssignments.View view = known.get("t", "p").orElseThrow();

        Assigned first = view.assigned("group|g1");
        assertThat(first.assignment()).isEqualTo(listed);
        assertThat(first.id()).isEqualTo("a1");
        assertThat(first.graphRequestId()).isEqualTo("read-1");
        assertThat(first.alreadyExisted()).isTrue();
        Assigned second = view.assigned("group|g2");
        assertThat(second.assignment()).isEqualTo(written);
        assertThat(second.graphRequestId()).isEqualTo("create-2");
        assertThat(second.alreadyExisted()).as("known from an earlier write, it exists by the next request").isTrue();
        assertThat(view.assigned("group|g3")).isNull();
    }

    @Test
    void findsAPolicyWhateverTheCaseOfItsId() {
        known.replace("t", "ABC-def", listing(START, "a1", "g1"));

        assertThat(known.get("t", "abc-DEF")).isPresent();
    }

    @Test
    void trustsAReadUntilItsTimeToLiveHasPassed() {
        known.replace("t", "p", listing(START, "a1", "g1"));

        clock.set(START.plus(TTL));
        assertThat(known.get("t", "p")).as("at exactly the time to live").isPresent();

        clock.set(START.plus(TTL).plusMillis(1));
        assertThat(known.get("t", "p")).as("a moment after, changes made elsewhere may be missed").isEmpty();
    }

    @Test
    void datesTheCopyByTheReadNotByWhenItWasStored() {
        // The read was sent a minute before its answer was stored: the copy is as old as the read.
        known.replace("t", "p", listing(START.minus(Duration.ofMinutes(1)), "a1", "g1"));

        KnownAssignments.View view = known.get("t", "p").orElseThrow();

        assertThat(view.readAt()).isEqualTo(START.minus(Duration.ofMinutes(1)));
        assertThat(view.freshAt(START, Duration.ofMinutes(1))).isTrue();
        assertThat(view.freshAt(START.plusMillis(1), Duration.ofMinutes(1))).isFalse();
        clock.set(START.plus(TTL).minus(Duration.ofMinutes(1)).plusMillis(1));
        assertThat(known.get("t", "p")).isEmpty();
    }

    @Test
    void addsTheWorkersOwnWritesToAKnownPolicyAndShowsThemToViewsAlreadyHandedOut() {
        known.replace("t", "p", listing(START, "a1", "g1"));
        KnownAssignments.View before = known.get("t", "p").orElseThrow();

        known.add("t", "p", "group|g2", assigned("a2"));

        assertThat(known.get("t", "p").orElseThrow().subjects()).containsOnly("group|g1", "group|g2");
        assertThat(before.subjects()).as("views share the copy rather than each taking one")
                .contains("group|g2");
        assertThat(before.readAt()).as("a write does not make the read any newer").isEqualTo(START);
    }

    @Test
    void aNewReadReplacesEverythingKnownOfThePolicy() {
        known.replace("t", "p", listing(START, "a1", "g1"));
        known.add("t", "p", "group|g2", assigned("a2"));
        Instant later = START.plusSeconds(30);

        known.replace("t", "p", listing(later, "a3", "g3"));

        KnownAssignments.View view = known.get("t", "p").orElseThrow();
        assertThat(view.readAt()).isEqualTo(later);
        assertThat(view.subjects()).containsOnly("group|g3");
    }

    @Test
    void forgetsOnePolicyOrAllOfThemWhenPartitionsAreAssigned() {
        known.replace("t", "p", listing(START, "a1", "g1"));
        known.replace("t", "q", listing(START, "a2", "g2"));

        known.forget("t", "P");
        assertThat(known.get("t", "p")).isEmpty();
        assertThat(known.get("t", "q")).isPresent();

        // What partitions assigned lead to (GraphClient#forgetKnownAssignments): another worker may have written.
        known.clear();
        assertThat(known.get("t", "q")).isEmpty();
    }

    @Test
    void dropsTheLeastRecentlyUsedPolicyBeyondItsBound() {
        known.replace("t", "p1", listing(START));
        known.replace("t", "p2", listing(START));
        known.replace("t", "p3", listing(START));
        known.get("t", "p1");

        known.replace("t", "p4", listing(START));

        assertThat(known.get("t", "p2")).isEmpty();
        assertThat(known.get("t", "p1")).isPresent();
        assertThat(known.get("t", "p3")).isPresent();
        assertThat(known.get("t", "p4")).isPresent();
    }

    @Test
    void keepsEveryWriteWhenManyThreadsAddToOnePolicyWhileOthersReadIt() {
        known.replace("t", "p", listing(START));
        int writers = 3;
        int perWriter = 2_000;
        CountDownLatch go = new CountDownLatch(1);
        List<CompletableFuture<Void>> work = new ArrayList<>();
        for (int w = 0; w < writers; w++) {
            int writer = w;
            work.add(CompletableFuture.runAsync(() -> {
                await(go);
                for (int i = 0; i < perWriter; i++) {
                    known.add("t", "p", "group|" + writer + "-" + i, assigned(writer + "-" + i));
                }
            }, threads));
        }
        CompletableFuture<Void> written = CompletableFuture.allOf(work.toArray(CompletableFuture[]::new));
        // A reader walks the shared map for as long as it grows, as a create's existence check does: the view is
        // shared, not copied, so walking it must be safe against concurrent adds.
        CompletableFuture<Integer> reader = CompletableFuture.supplyAsync(() -> {
            await(go);
            int walks = 0;
            do {
                KnownAssignments.View view = known.get("t", "p").orElseThrow();
                for (String subject : view.subjects()) {
                    assertThat(view.assigned(subject)).isNotNull();
                }
                walks++;
            } while (!written.isDone());
            return walks;
        }, threads);

        go.countDown();

        assertThat(written).succeedsWithin(Duration.ofSeconds(30));
        assertThat(reader).succeedsWithin(Duration.ofSeconds(30));
        assertThat(known.get("t", "p").orElseThrow().size()).isEqualTo(writers * perWriter);
    }

    private static void await(CountDownLatch latch) {
        try {
            latch.await();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** A complete read: pairs of assignment id and group id. */
    private static Listing listing(Instant readAt, String... idsAndGroups) {
        List<JsonNode> assignments = new ArrayList<>();
        for (int i = 0; i < idsAndGroups.length; i += 2) {
            assignments.add(JSON.readTree("""
                    {"id":"%s","target":{"@odata.type":"#microsoft.graph.groupAssignmentTarget","groupId":"%s"}}"""
                    .formatted(idsAndGroups[i], idsAndGroups[i + 1])));
        }
        return new Listing(assignments, "read-request-id", readAt);
    }

    private static Assigned assigned(String id) {
        return new Assigned(id, JSON.createObjectNode().put("id", id), false, "write-request-id");
    }

    private static final class MutableClock extends Clock {
        private volatile Instant now;

        MutableClock(Instant now) {
            this.now = now;
        }

        void set(Instant instant) {
            now = instant;
        }

        @Override
        public Instant instant() {
            return now;
        }

        @Override
        public ZoneId getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(ZoneId zone) {
            return this;
        }
    }
}
