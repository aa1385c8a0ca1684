package io.referrals.core.outbox;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.referrals.core.ReferralEngine;
import io.referrals.core.event.AdvocateOptedOut;
import io.referrals.core.event.AdvocateSummary;
import io.referrals.core.event.ReferralEvent;
import io.referrals.core.model.AdvocateId;
import io.referrals.core.model.EventId;
import io.referrals.core.storage.OutboxEntry;
import io.referrals.core.storage.OutboxStatus;
import io.referrals.core.storage.ReferralStore;
import io.referrals.core.storage.memory.InMemoryReferralStore;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Consumer;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

@DisplayName("Outbox dispatcher on the in-memory store")
class OutboxDispatcherTest {
    private final TestClock clock = new TestClock(Instant.parse("2025-01-06T09:00:00Z"));
    private final ReferralStore store = new InMemoryReferralStore();
    private final ReferralEngine engine = ReferralEngine.builder().store(store).clock(clock).outbox().build();
    private final List<ReferralEvent> received = Collections.synchronizedList(new ArrayList<>());

    private List<EventId> emit(String stream, int count) {
        return engine.transactions().inTransaction(w -> {
            List<EventId> ids = new ArrayList<>();
            for (int i = 0; i < count; i++) {
                ids.add(w.emit(stream, m -> new AdvocateOptedOut(m, summary())).metadata().id());
            }
            return ids;
        });
    }

    private static AdvocateSummary summary() {
        return new AdvocateSummary(AdvocateId.of("adv-1"), "ext-1", "Jane", "", false);
    }

    private OutboxDispatcher.Builder dispatcher(Consumer<ReferralEvent> delivery) {
        return OutboxDispatcher.builder(store, delivery).clock(clock).batchSize(10).lease(Duration.ofMinutes(1))
                .backoff(BackoffPolicy.exponential(Duration.ofSeconds(10), Duration.ofMinutes(5), 3));
    }

    private List<OutboxEntry> events(String stream) {
        return store.inTransaction(tx -> tx.events().ofStream(stream));
    }

    @Test
    @DisplayName("delivers every committed event once, in order per stream, and marks it delivered")
    void deliversCommittedEventsInOrder() {
        emit("s:a", 3);
        emit("s:b", 2);
        OutboxDispatcher d = dispatcher(received::add).build();

        int rounds = 0;
        while (d.runOnce() > 0) {
            rounds++;
        }

        assertThat(rounds).as("one pass drains what is due").isEqualTo(1);
        assertThat(received).hasSize(5);
        for (String stream : List.of("s:a", "s:b")) {
            assertThat(received.stream().filter(e -> e.metadata().stream().equals(stream))
                    .map(e -> e.metadata().sequence()).toList()).isSorted();
            assertThat(events(stream)).allMatch(e -> e.status() == OutboxStatus.DELIVERED);
        }
    }

    @Test
    @DisplayName("the four events a stage change puts on one stream are all delivered in one pass, in order")
    void oneStreamDrainsInOnePass() {
        List<EventId> ids = emit("s:referral", 4);
        OutboxDispatcher d = dispatcher(received::add).build();

        assertThat(d.runOnce()).isEqualTo(4);

        assertThat(received).extracting(e -> e.metadata().id()).containsExactlyElementsOf(ids);
        assertThat(received).extracting(e -> e.metadata().sequence()).containsExactly(1L, 2L, 3L, 4L);
        assertThat(events("s:referral")).allMatch(e -> e.status() == OutboxStatus.DELIVERED);
        assertThat(d.runOnce()).isZero();
    }

    @Test
    @DisplayName("after a failed delivery the rest of its stream waits, unattempted, and follows the retry in order; "
            + "other streams go on")
    void aFailureHoldsBackOnlyTheRestOfItsStream() {
        List<EventId> ids = emit("s:flaky", 3);
        List<EventId> others = emit("s:fine", 2);
        java.util.concurrent.atomic.AtomicBoolean down = new java.util.concurrent.atomic.AtomicBoolean(true);
        OutboxDispatcher d = dispatcher(e -> {
            if (e.metadata().id().equals(ids.get(1)) && down.get()) {
                throw new IllegalStateException("listener down");
            }
            received.add(e);
        }).build();

        assertThat(d.runOnce()).isEqualTo(5);
        assertThat(received).extracting(e -> e.metadata().id()).containsExactly(ids.get(0), others.get(0),
                others.get(1));
        List<OutboxEntry> flaky = events("s:flaky");
        assertThat(flaky).extracting(OutboxEntry::status).containsExactly(OutboxStatus.DELIVERED,
                OutboxStatus.PENDING, OutboxStatus.PENDING);
        assertThat(flaky.get(1).attempts()).isEqualTo(1);
        assertThat(flaky.get(2).attempts()).as("never attempted").isZero();
        assertThat(flaky.get(2).nextAttemptAt()).as("its claim released").isEqualTo(clock.instant());

        down.set(false);
        clock.advance(Duration.ofSeconds(10));
        assertThat(d.runOnce()).isEqualTo(2);
        assertThat(received).extracting(e -> e.metadata().id()).containsExactly(ids.get(0), others.get(0),
                others.get(1), ids.get(1), ids.get(2));
    }

    @Test
    @DisplayName("several dispatchers running at once on one store deliver every stream in order, each event once")
    void severalDispatchersKeepStreamOrder() throws Exception {
        int streams = 8;
        int perStream = 12;
        for (int round = 0; round < perStream; round++) {
            for (int s = 0; s < streams; s++) {
                emit("s:" + s, 1);
            }
        }
        Map<String, List<Long>> byStream = new ConcurrentHashMap<>();
        java.util.concurrent.atomic.AtomicInteger delivered = new java.util.concurrent.atomic.AtomicInteger();
        Consumer<ReferralEvent> record = e -> {
            byStream.computeIfAbsent(e.metadata().stream(), k -> Collections.synchronizedList(new ArrayList<>()))
                    .add(e.metadata().sequence());
            delivered.incrementAndGet();
        };
        java.util.concurrent.ExecutorService pool = java.util.concurrent.Executors.newFixedThreadPool(4);
        try {
            CountDownLatch start = new CountDownLatch(1);
            List<java.util.concurrent.Future<?>> runs = new ArrayList<>();
            for (int i = 0; i < 4; i++) {
                OutboxDispatcher d = dispatcher(record).batchSize(5).build();
                runs.add(pool.submit(() -> {
                    start.await();
                    for (int k = 0; k < 10_000 && delivered.get() < streams * perStream; k++) {
                        d.runOnce();
                    }
                    return null;
                }));
            }
            start.countDown();
            for (java.util.concurrent.Future<?> f : runs) {
                f.get(60, TimeUnit.SECONDS);
            }
        } finally {
            pool.shutdownNow();
        }

        assertThat(delivered).hasValue(streams * perStream);
        assertThat(byStream).hasSize(streams).allSatisfy((stream, seqs) -> assertThat(seqs)
                .containsExactlyElementsOf(java.util.stream.LongStream.rangeClosed(1, perStream).boxed().toList()));
    }

    @Test
    @DisplayName("emits nothing for work that rolled back")
    void nothingForRolledBackWork() {
        assertThatThrownBy(() -> engine.transactions().inTransaction(w -> {
            w.emit("s:rolled", m -> new AdvocateOptedOut(m, summary()));
            throw new IllegalStateException("abort");
        })).isInstanceOf(IllegalStateException.class);

        assertThat(dispatcher(received::add).build().runOnce()).isZero();
        assertThat(received).isEmpty();
        assertThat(events("s:rolled")).isEmpty();
    }

    @Test
    @DisplayName("retries a failing delivery after the backoff delay, then parks it, holding back its stream")
    void retriesWithBackoffThenParks() {
        List<EventId> ids = emit("s:fail", 2);
        OutboxDispatcher d = dispatcher(e -> {
            received.add(e);
            throw new IllegalStateException("listener down");
        }).build();

        assertThat(d.runOnce()).as("both claimed; the second not attempted").isEqualTo(2);
        assertThat(received).hasSize(1);
        OutboxEntry first = events("s:fail").get(0);
        assertThat(first.status()).isEqualTo(OutboxStatus.PENDING);
        assertThat(first.attempts()).isEqualTo(1);
        assertThat(first.lastError()).contains("listener down");
        assertThat(first.nextAttemptAt()).isEqualTo(clock.instant().plusSeconds(10));

        clock.advance(Duration.ofSeconds(9));
        assertThat(d.runOnce()).as("not due before the delay").isZero();
        clock.advance(Duration.ofSeconds(1));
        assertThat(d.runOnce()).isEqualTo(2);
        assertThat(events("s:fail").get(0).nextAttemptAt()).as("doubled delay").isEqualTo(clock.instant()
                .plusSeconds(20));
        clock.advance(Duration.ofSeconds(20));
        assertThat(d.runOnce()).isEqualTo(2);

        assertThat(events("s:fail").get(0).status()).isEqualTo(OutboxStatus.PARKED);
        assertThat(events("s:fail").get(1).attempts()).as("held back, never attempted").isZero();
        assertThat(d.parked(10)).extracting(e -> e.event().metadata().id()).containsExactly(ids.get(0));
        clock.advance(Duration.ofHours(1));
        assertThat(d.runOnce()).as("the parked event holds back the later one").isZero();
        assertThat(received).extracting(e -> e.metadata().id()).containsOnly(ids.get(0));

        OutboxDispatcher healthy = dispatcher(received::add).build();
        assertThat(healthy.requeue(ids.get(0))).isTrue();
        assertThat(healthy.runOnce()).isEqualTo(2);
        assertThat(healthy.runOnce()).isZero();
        assertThat(events("s:fail")).extracting(OutboxEntry::status)
                .containsExactly(OutboxStatus.DELIVERED, OutboxStatus.DELIVERED);
        assertThat(healthy.parked(10)).isEmpty();
    }

    @Test
    @DisplayName("passes over events another dispatcher leased until the lease lapses")
    void leaseKeepsOthersAway() {
        emit("s:lease", 1);
        List<OutboxEntry> claimed = store.inTransaction(tx -> tx.outbox().claimDue(clock.instant(), 10,
                clock.instant().plus(Duration.ofMinutes(1))));
        assertThat(claimed).hasSize(1);
        OutboxDispatcher other = dispatcher(received::add).build();

        assertThat(other.runOnce()).isZero();
        clock.advance(Duration.ofMinutes(1));
        assertThat(other.runOnce()).isEqualTo(1);
        assertThat(received).hasSize(1);
    }

    @Test
    @DisplayName("delivers to an engine's listeners through the engine")
    void deliversThroughTheEngine() {
        List<ReferralEvent> heard = Collections.synchronizedList(new ArrayList<>());
        ReferralEngine listening = ReferralEngine.builder().store(store).clock(clock).outbox()
                .listener(new io.referrals.core.event.ReferralListener() {
                    @Override
                    public void onAdvocateOptedOut(AdvocateOptedOut event) {
                        heard.add(event);
                    }
                }).build();
        emit("s:engine", 2);

        OutboxDispatcher d = OutboxDispatcher.builder(listening).build();
        d.runOnce();
        d.runOnce();

        assertThat(heard).hasSize(2);
    }

    @Test
    @DisplayName("through an engine, an event a listener failed on is delivered again after the backoff")
    void retriesEventsAListenerFailedOnThroughTheEngine() {
        java.util.concurrent.atomic.AtomicInteger calls = new java.util.concurrent.atomic.AtomicInteger();
        ReferralEngine flaky = ReferralEngine.builder().store(store).clock(clock).outbox()
                .listener(new io.referrals.core.event.ReferralListener() {
                    @Override
                    public void onAdvocateOptedOut(AdvocateOptedOut event) {
                        if (calls.incrementAndGet() == 1) {
                            throw new IllegalStateException("mail server down");
                        }
                    }
                }).build();
        emit("s:flaky", 1);
        OutboxDispatcher d = OutboxDispatcher.builder(flaky)
                .backoff(BackoffPolicy.exponential(Duration.ofSeconds(10), Duration.ofMinutes(5), 3)).build();

        d.runOnce();
        assertThat(events("s:flaky").get(0).status()).isEqualTo(OutboxStatus.PENDING);
        assertThat(events("s:flaky").get(0).attempts()).isEqualTo(1);
        clock.advance(Duration.ofSeconds(10));
        d.runOnce();

        assertThat(calls).hasValue(2);
        assertThat(events("s:flaky").get(0).status()).isEqualTo(OutboxStatus.DELIVERED);
    }

    @Test
    @DisplayName("runs on a named daemon thread once started, and close stops it within the timeout")
    void runsOnItsOwnThread() throws InterruptedException {
        emit("s:thread", 3);
        CountDownLatch done = new CountDownLatch(3);
        AtomicReference<Thread> thread = new AtomicReference<>();
        Map<Long, Boolean> seen = new ConcurrentHashMap<>();
        OutboxDispatcher d = dispatcher(e -> {
            thread.set(Thread.currentThread());
            seen.put(e.metadata().sequence(), true);
            done.countDown();
        }).pollInterval(Duration.ofMillis(10)).threadNamePrefix("test-outbox")
                .shutdownTimeout(Duration.ofSeconds(5)).build();
        try (d) {
            d.start();
            assertThat(d.isRunning()).isTrue();
            assertThat(done.await(10, TimeUnit.SECONDS)).isTrue();
            assertThatThrownBy(d::start).isInstanceOf(IllegalStateException.class);
        }
        assertThat(d.isRunning()).isFalse();
        assertThat(thread.get().getName()).startsWith("test-outbox-");
        assertThat(thread.get().isDaemon()).isTrue();
        assertThat(seen).containsOnlyKeys(1L, 2L, 3L);
    }

    @Test
    @DisplayName("rejects nonsensical settings with the JDK's exceptions")
    void checksSettings() {
        OutboxDispatcher.Builder b = dispatcher(received::add);
        assertThatThrownBy(() -> b.batchSize(0)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> b.lease(Duration.ZERO)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> b.pollInterval(Duration.ofSeconds(-1))).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> b.threadNamePrefix(" ")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> b.clock(null)).isInstanceOf(NullPointerException.class);
        assertThatThrownBy(() -> BackoffPolicy.exponential(Duration.ofSeconds(2), Duration.ofSeconds(1), 3))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    @DisplayName("exponential backoff doubles up to its maximum and gives up after the last attempt")
    void exponentialBackoff() {
        BackoffPolicy p = BackoffPolicy.exponential(Duration.ofSeconds(1), Duration.ofSeconds(5), 5);
        assertThat(p.delayAfter(1)).contains(Duration.ofSeconds(1));
        assertThat(p.delayAfter(2)).contains(Duration.ofSeconds(2));
        assertThat(p.delayAfter(3)).contains(Duration.ofSeconds(4));
        assertThat(p.delayAfter(4)).contains(Duration.ofSeconds(5));
        assertThat(p.delayAfter(5)).isEmpty();
    }

    /** A clock moved by the test. */
    static final class TestClock extends Clock {
        private final AtomicReference<Instant> now;

        TestClock(Instant start) {
            now = new AtomicReference<>(start);
        }

        void advance(Duration d) {
            now.updateAndGet(i -> i.plus(d));
        }

        @Override
        public Instant instant() {
            return now.get();
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
