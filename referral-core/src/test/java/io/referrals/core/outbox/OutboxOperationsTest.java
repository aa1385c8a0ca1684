package io.referrals.core.outbox;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.referrals.core.ReferralEngine;
import io.referrals.core.error.StorageException;
import io.referrals.core.event.AdvocateOptedOut;
import io.referrals.core.event.AdvocateSummary;
import io.referrals.core.event.ReferralEvent;
import io.referrals.core.event.ReferralListener;
import io.referrals.core.model.AdvocateId;
import io.referrals.core.model.EventId;
import io.referrals.core.outbox.OutboxDispatcherTest.TestClock;
import io.referrals.core.storage.OutboxSignal;
import io.referrals.core.storage.OutboxStatistics;
import io.referrals.core.storage.ReferralStore;
import io.referrals.core.storage.StoreTransaction;
import io.referrals.core.storage.memory.InMemoryReferralStore;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Function;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

@DisplayName("Outbox operations: statistics, callbacks, store outages, wake-up on commit and retention")
class OutboxOperationsTest {
    private final TestClock clock = new TestClock(Instant.parse("2025-01-06T09:00:00Z"));
    private final InMemoryReferralStore memory = new InMemoryReferralStore();
    private final FlakyStore store = new FlakyStore(memory);
    private final ReferralEngine engine = ReferralEngine.builder().store(store).clock(clock).outbox().build();
    private final List<String> heard = Collections.synchronizedList(new ArrayList<>());

    private final OutboxListener recorder = new OutboxListener() {
        @Override
        public void onDelivered(ReferralEvent event, int attempt, Duration sinceOccurred) {
            heard.add("delivered " + event.metadata().sequence() + " attempt " + attempt + " after "
                    + sinceOccurred);
        }

        @Override
        public void onFailed(ReferralEvent event, int attempt, Instant retryAt, RuntimeException error) {
            heard.add("failed " + event.metadata().sequence() + " attempt " + attempt + " retry " + retryAt);
        }

        @Override
        public void onParked(ReferralEvent event, int attempts, RuntimeException error) {
            heard.add("parked " + event.metadata().sequence() + " after " + attempts + ": " + error.getMessage());
        }

        @Override
        public void onStoreUnavailable(RuntimeException error) {
            heard.add("store unavailable: " + error.getMessage());
        }

        @Override
        public void onStoreRecovered(int failedPolls, Duration outage) {
            heard.add("store recovered after " + failedPolls + " polls over " + outage);
        }
    };

    private List<EventId> emit(String stream, int count) {
        return engine.transactions().inTransaction(w -> {
            List<EventId> ids = new ArrayList<>();
            for (int i = 0; i < count; i++) {
                ids.add(w.emit(stream, m -> new AdvocateOptedOut(m, new AdvocateSummary(AdvocateId.of("adv-1"),
                        "ext-1", "Jane", "", false))).metadata().id());
            }
            return ids;
        });
    }

    private OutboxDispatcher.Builder dispatcher(java.util.function.Consumer<ReferralEvent> delivery) {
        return OutboxDispatcher.builder(store, delivery).clock(clock).batchSize(10).listener(recorder)
                .backoff(BackoffPolicy.exponential(Duration.ofSeconds(10), Duration.ofMinutes(5), 2));
    }

    @Test
    @DisplayName("statistics tell pending and parked events and the age of the oldest pending one")
    void statistics() {
        emit("s:a", 2);
        clock.advance(Duration.ofMinutes(5));
        emit("s:b", 1);
        OutboxDispatcher d = dispatcher(e -> {
            throw new IllegalStateException("down");
        }).build();
        assertThat(d.statistics().pending()).isEqualTo(3);
        assertThat(d.statistics().oldestPendingAge(clock.instant())).isEqualTo(Duration.ofMinutes(5));

        d.runOnce();
        clock.advance(Duration.ofSeconds(10));
        d.runOnce(); // the second failure parks the first event of each stream

        OutboxStatistics s = d.statistics();
        assertThat(s.parked()).isEqualTo(2);
        assertThat(s.pending()).isEqualTo(1);
        assertThat(s.oldestPendingAt()).contains(Instant.parse("2025-01-06T09:00:00Z"));
    }

    @Test
    @DisplayName("the listener hears every delivery with its latency, every failed attempt and every parked event")
    void listenerHearsOutcomes() {
        emit("s:a", 1);
        clock.advance(Duration.ofSeconds(3));
        AtomicBoolean failing = new AtomicBoolean(true);
        OutboxDispatcher d = dispatcher(e -> {
            if (failing.get()) {
                throw new IllegalStateException("webhook down");
            }
        }).build();

        d.runOnce();
        clock.advance(Duration.ofSeconds(10));
        d.runOnce();
        d.requeue(d.parked(1).get(0).event().metadata().id());
        failing.set(false);
        clock.advance(Duration.ofSeconds(2));
        d.runOnce();

        assertThat(heard).containsExactly(
                "failed 1 attempt 1 retry 2025-01-06T09:00:13Z",
                "parked 1 after 2: webhook down",
                "delivered 1 attempt 3 after PT15S");
    }

    @Test
    @DisplayName("a failing listener is contained: delivery goes on and the event is still marked delivered")
    void failingListenerContained() {
        emit("s:a", 2);
        OutboxDispatcher d = OutboxDispatcher.builder(store, e -> { }).clock(clock).listener(new OutboxListener() {
            @Override
            public void onDelivered(ReferralEvent event, int attempt, Duration sinceOccurred) {
                throw new IllegalStateException("metrics broken");
            }
        }).build();
        while (d.runOnce() > 0) {
            // drain
        }
        assertThat(d.statistics().pending()).isZero();
    }

    @Test
    @DisplayName("a store outage is reported once when it begins and once when it ends, however many polls fail")
    void outageReportedOnce() {
        emit("s:a", 1);
        OutboxDispatcher d = dispatcher(e -> { }).build();
        assertThat(d.lastSuccessfulPoll()).isEmpty();
        store.failing = true;
        for (int i = 0; i < 5; i++) {
            assertThat(d.runOnce()).isZero();
            clock.advance(Duration.ofSeconds(1));
        }
        assertThat(d.isStoreUnavailable()).isTrue();
        assertThat(d.lastSuccessfulPoll()).isEmpty();
        store.failing = false;
        assertThat(d.runOnce()).isEqualTo(1);

        assertThat(heard).containsExactly("store unavailable: database unreachable",
                "store recovered after 5 polls over PT5S", "delivered 1 attempt 1 after PT5S");
        assertThat(d.isStoreUnavailable()).isFalse();
        assertThat(d.lastSuccessfulPoll()).contains(clock.instant());
    }

    @Test
    @DisplayName("while the store is unavailable, the wait between polls doubles from the poll interval up to the "
            + "maximum backoff")
    void backsOffWhileTheStoreFails() {
        StoreOutage outage = new StoreOutage("test", Duration.ofSeconds(1), Duration.ofSeconds(30),
                new ListenerCalls(new OutboxListener() { }));
        List<Duration> delays = new ArrayList<>();
        delays.add(outage.nextDelay());
        for (int i = 0; i < 7; i++) {
            outage.failed(new StorageException("down", null), clock.instant(), "claim events");
            delays.add(outage.nextDelay());
        }
        outage.succeeded(clock.instant());
        delays.add(outage.nextDelay());
        assertThat(delays).extracting(Duration::toSeconds).containsExactly(1L, 1L, 2L, 4L, 8L, 16L, 30L, 30L, 1L);
    }

    @Test
    @DisplayName("a started dispatcher delivers events right after the engine's commit, without waiting for its poll")
    void wokenByTheEnginesCommit() throws InterruptedException {
        CountDownLatch first = new CountDownLatch(1);
        CountDownLatch second = new CountDownLatch(2);
        ReferralEngine listened = ReferralEngine.builder().store(memory).clock(clock).outbox()
                .listener(new ReferralListener() {
                    @Override
                    public void onEvent(ReferralEvent event) {
                        first.countDown();
                        second.countDown();
                    }
                }).build();
        try (OutboxDispatcher d = OutboxDispatcher.builder(listened).pollInterval(Duration.ofHours(1)).build()) {
            listened.transactions().inTransaction(w -> w.emit("s:a", m -> new AdvocateOptedOut(m,
                    new AdvocateSummary(AdvocateId.of("adv-1"), "ext-1", "Jane", "", false))));
            d.start();
            assertThat(first.await(10, TimeUnit.SECONDS)).as("the first poll at start").isTrue();
            listened.transactions().inTransaction(w -> w.emit("s:a", m -> new AdvocateOptedOut(m,
                    new AdvocateSummary(AdvocateId.of("adv-1"), "ext-1", "Jane", "", false))));
            assertThat(second.await(10, TimeUnit.SECONDS)).as("woken by the commit, an hour before its next poll")
                    .isTrue();
        }
    }

    @Test
    @DisplayName("a deferred signal wakes dispatchers only when the host's commit runs the deferred wake-up")
    void deferredSignal() {
        List<Runnable> afterCommit = new ArrayList<>();
        OutboxSignal signal = OutboxSignal.deferred(afterCommit::add);
        List<String> woken = new ArrayList<>();
        OutboxSignal.Subscription sub = signal.subscribe(() -> woken.add("woken"));
        ReferralEngine deferred = ReferralEngine.builder().store(memory).clock(clock).outbox(signal).build();
        assertThat(deferred.outboxSignal()).containsSame(signal);

        deferred.transactions().inTransaction(w -> w.emit("s:a", m -> new AdvocateOptedOut(m,
                new AdvocateSummary(AdvocateId.of("adv-1"), "ext-1", "Jane", "", false))));
        deferred.transactions().inTransaction(w -> "no events, no signal");
        assertThat(woken).isEmpty();
        assertThat(afterCommit).hasSize(1);
        afterCommit.get(0).run();
        assertThat(woken).containsExactly("woken");

        sub.close();
        deferred.transactions().inTransaction(w -> w.emit("s:a", m -> new AdvocateOptedOut(m,
                new AdvocateSummary(AdvocateId.of("adv-1"), "ext-1", "Jane", "", false))));
        assertThat(afterCommit).as("no subscriber, nothing to defer").hasSize(1);
        assertThat(ReferralEngine.builder().build().outboxSignal()).isEmpty();
    }

    @Nested
    @DisplayName("Retention")
    class Retention {

        @Test
        @DisplayName("deletes delivered events older than the age kept, in bounded batches, and nothing else")
        void deletesOldDeliveredEvents() {
            emit("s:a", 5);
            emit("s:b", 1);
            OutboxDispatcher d = dispatcher(e -> { }).build();
            while (d.runOnce() > 0) {
                // drain
            }
            clock.advance(Duration.ofDays(1));
            emit("s:b", 1);
            clock.advance(Duration.ofHours(1));
            OutboxRetention retention = OutboxRetention.builder(store, Duration.ofDays(1)).clock(clock).batchSize(2)
                    .maxBatchesPerRun(2).build();

            assertThat(retention.runOnce()).as("two batches of two at most").isEqualTo(4);
            assertThat(retention.runOnce()).isEqualTo(2);
            assertThat(retention.runOnce()).isZero();
            assertThat(engine.events("s:a")).isEmpty();
            assertThat(engine.events("s:b")).as("pending and younger events stay").hasSize(1);
        }

        @Test
        @DisplayName("runs on the dispatcher's thread after a poll")
        void runsOnTheDispatchersThread() throws InterruptedException {
            emit("s:a", 1);
            CountDownLatch deleted = new CountDownLatch(1);
            ReferralStore watching = new ReferralStore() {
                @Override
                public <T> T inTransaction(Function<StoreTransaction, T> work) {
                    T result = memory.inTransaction(work);
                    if (engine.events("s:a").isEmpty()) {
                        deleted.countDown();
                    }
                    return result;
                }
            };
            try (OutboxDispatcher d = OutboxDispatcher.builder(watching, e -> clock.advance(Duration.ofDays(2)))
                    .clock(clock).pollInterval(Duration.ofMillis(20))
                    .retention(OutboxRetention.builder(watching, Duration.ofDays(1)).clock(clock).build(),
                            Duration.ofMillis(1))
                    .build()) {
                d.start();
                assertThat(deleted.await(10, TimeUnit.SECONDS)).isTrue();
            }
        }

        @Test
        @DisplayName("refuses nonsensical settings")
        void checksSettings() {
            assertThatThrownBy(() -> OutboxRetention.builder(store, Duration.ZERO))
                    .isInstanceOf(IllegalArgumentException.class);
            assertThatThrownBy(() -> OutboxRetention.builder(store, Duration.ofDays(1)).batchSize(0))
                    .isInstanceOf(IllegalArgumentException.class);
            assertThatThrownBy(() -> OutboxRetention.builder(store, Duration.ofDays(1)).maxBatchesPerRun(0))
                    .isInstanceOf(IllegalArgumentException.class);
            assertThatThrownBy(() -> dispatcher(e -> { }).retention(
                    OutboxRetention.builder(store, Duration.ofDays(1)).build(), Duration.ZERO))
                    .isInstanceOf(IllegalArgumentException.class);
        }
    }

    /** A store that fails every transaction while {@link #failing} is set, as an unreachable database would. */
    static final class FlakyStore implements ReferralStore {
        private final ReferralStore delegate;
        volatile boolean failing;

        FlakyStore(ReferralStore delegate) {
            this.delegate = delegate;
        }

        @Override
        public boolean isPersistent() {
            return delegate.isPersistent();
        }

        @Override
        public boolean joinsHostTransactions() {
            return delegate.joinsHostTransactions();
        }

        @Override
        public <T> T inTransaction(Function<StoreTransaction, T> work) {
            if (failing) {
                throw new StorageException("database unreachable", "08001", null);
            }
            return delegate.inTransaction(work);
        }
    }
}
