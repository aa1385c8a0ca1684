package io.referrals.rules;

import static org.assertj.core.api.Assertions.assertThat;

import io.referrals.core.event.EventStreams;
import io.referrals.core.event.PointsBalanceChanged;
import io.referrals.core.event.RewardApproved;
import io.referrals.core.event.RewardExpired;
import io.referrals.core.event.RewardFulfilled;
import io.referrals.core.event.RewardReversed;
import io.referrals.core.model.Advocate;
import io.referrals.core.model.AdvocateKind;
import io.referrals.core.model.Reason;
import io.referrals.core.model.Referral;
import io.referrals.core.storage.OutboxEntry;
import io.referrals.core.storage.memory.InMemoryReferralStore;
import io.referrals.rules.spi.RewardApprover;
import io.referrals.rules.spi.RewardFulfiller;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;
import java.util.stream.LongStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/**
 * Many threads run one of the rewards engine's own operations while others move the same referrals through their
 * stages (each move emits on the referral's stream, and the points it pays on the advocate's): a listener checks that
 * every stream arrives in sequence order, from 1 and without gaps.
 */
@DisplayName("Reward events of one stream reach in-process listeners in sequence order under concurrent work")
class StreamOrderTest {
    private static final int THREADS = 8;
    private static final int ADVOCATES = 3;
    private static final int PER_ADVOCATE = 8;

    private final ExecutorService pool = Executors.newFixedThreadPool(THREADS);
    private final SequenceCheck order = new SequenceCheck();
    private Fixture f;
    private final List<Advocate> advocates = new ArrayList<>();
    private final List<Referral> referrals = new ArrayList<>();

    @AfterEach
    void stop() {
        pool.shutdownNow();
    }

    /** An engine with the event-order rules, the listener, and {@code ADVOCATES} advocates' referrals moved. */
    private void world(Consumer<RewardsEngine.Builder> config, String... stages) {
        f = new Fixture(new InMemoryReferralStore(), config, b -> b.listener(order), Fixture.load("event-order.yaml"));
        for (int i = 0; i < ADVOCATES; i++) {
            Advocate a = f.advocate("adv" + i, AdvocateKind.CUSTOMER, Fixture.CUSTOMERS);
            advocates.add(a);
            for (int j = 0; j < PER_ADVOCATE; j++) {
                Referral r = f.refer(a, Fixture.CUSTOMERS);
                f.move(r, stages);
                referrals.add(r);
            }
        }
    }

    /** One task per referral that moves it on through {@code stages}. */
    private List<Callable<?>> moves(String... stages) {
        List<Callable<?>> tasks = new ArrayList<>();
        for (Referral r : referrals) {
            tasks.add(() -> {
                f.move(r, stages);
                return null;
            });
        }
        return tasks;
    }

    /** Runs the tasks (interleaved with {@code moves}) at once on the pool, waiting boundedly for each. */
    private void runAtOnce(List<Callable<?>> tasks, List<Callable<?>> moves) throws Exception {
        List<Callable<?>> all = new ArrayList<>();
        for (int i = 0; i < Math.max(tasks.size(), moves.size()); i++) {
            if (i < tasks.size()) {
                all.add(tasks.get(i));
            }
            if (i < moves.size()) {
                all.add(moves.get(i));
            }
        }
        CountDownLatch start = new CountDownLatch(1);
        List<Future<?>> futures = new ArrayList<>();
        for (Callable<?> task : all) {
            futures.add(pool.submit(() -> {
                start.await();
                return task.call();
            }));
        }
        start.countDown();
        for (Future<?> future : futures) {
            future.get(60, TimeUnit.SECONDS);
        }
    }

    /** No event out of order or after a gap; every stored event of each stream delivered. */
    private void assertInOrder() {
        assertThat(order.violations()).isEmpty();
        List<String> streams = new ArrayList<>();
        advocates.forEach(a -> streams.add(EventStreams.of(a.id())));
        referrals.forEach(r -> streams.add(EventStreams.of(r.id())));
        for (String stream : streams) {
            List<Long> stored = f.engine.events(stream).stream().map(OutboxEntry::event)
                    .map(e -> e.metadata().sequence()).toList();
            assertThat(stored).as(stream).isEqualTo(LongStream.rangeClosed(1, stored.size()).boxed().toList());
            assertThat(order.last(stream)).as(stream).isEqualTo(stored.size());
        }
    }

    @Test
    @DisplayName("reversals (clawback) of referrals that move on and earn more at the same time")
    void reversals() throws Exception {
        world(b -> { }, "contacted");
        List<Callable<?>> reversals = new ArrayList<>();
        for (Referral r : referrals) {
            reversals.add(() -> f.rewards.reverse(r.id(), Reason.of("refunded", "The deal was refunded.")));
        }

        runAtOnce(reversals, moves("meeting_held", "qualified"));

        assertInOrder();
        assertThat(order.count(RewardReversed.class)).isGreaterThanOrEqualTo(referrals.size());
    }

    @Test
    @DisplayName("the scheduled run approving due rewards (and crediting their points) while the referrals move on")
    void dueProcessing() throws Exception {
        world(b -> b.approver(reward -> RewardApprover.Verdict.APPROVE).batchSize(5), "contacted");
        List<Callable<?>> runs = new ArrayList<>();
        for (int i = 0; i < referrals.size(); i++) {
            runs.add(f.rewards::processDue);
        }

        runAtOnce(runs, moves("meeting_held", "qualified"));

        assertInOrder();
        assertThat(order.count(RewardApproved.class)).isPositive();
        assertThat(order.count(PointsBalanceChanged.class)).isPositive();
    }

    @Test
    @DisplayName("the scheduled run fulfilling approved rewards while the referrals move on")
    void fulfilment() throws Exception {
        AtomicInteger issued = new AtomicInteger();
        world(b -> b.fulfiller(request -> {
            issued.incrementAndGet();
            return RewardFulfiller.Result.fulfilled();
        }).batchSize(3), "contacted", "meeting_held", "qualified");
        List<Callable<?>> runs = new ArrayList<>();
        for (int i = 0; i < referrals.size(); i++) {
            runs.add(f.rewards::processDue);
        }

        runAtOnce(runs, moves("opportunity", "won"));

        assertInOrder();
        assertThat(issued).as("gift cards issued by the fulfiller").hasPositiveValue();
        assertThat(order.count(RewardFulfilled.class)).isEqualTo(4 * referrals.size() + issued.get());
    }

    @Test
    @DisplayName("the expiry of old points while the referrals move on and earn more")
    void expiry() throws Exception {
        world(b -> { }, "contacted");
        f.clock.advance(Duration.ofDays(31));
        List<Callable<?>> expiries = new ArrayList<>();
        for (int i = 0; i < PER_ADVOCATE; i++) {
            for (Advocate a : advocates) {
                expiries.add(() -> f.rewards.expirePoints(a.id(), Fixture.CUSTOMERS));
            }
        }

        runAtOnce(expiries, moves("meeting_held", "qualified"));

        assertInOrder();
        assertThat(order.count(RewardExpired.class)).isEqualTo(referrals.size());
    }
}
