package io.referrals.rules;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.referrals.core.event.EventStreams;
import io.referrals.core.event.RewardFailed;
import io.referrals.core.event.RewardFulfilmentFailed;
import io.referrals.core.model.Advocate;
import io.referrals.core.model.AdvocateKind;
import io.referrals.core.model.Referral;
import io.referrals.core.model.Reward;
import io.referrals.core.model.RewardId;
import io.referrals.core.model.RewardStatus;
import io.referrals.core.storage.memory.InMemoryReferralStore;
import io.referrals.rules.result.ProcessReport;
import io.referrals.rules.spi.RewardFulfiller;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

@DisplayName("The fulfiller issues each reward once, however many runs work at the same time")
class FulfilmentExactlyOnceTest {
    private static final int ENGINES = 4;
    private static final int THREADS = 12;
    private static final int REWARDS = 60;

    /** Calls per reward id, across every engine. */
    private final Map<RewardId, AtomicInteger> calls = new ConcurrentHashMap<>();

    private RewardFulfiller.Result count(RewardFulfiller.Request request) {
        calls.computeIfAbsent(request.reward().id(), k -> new AtomicInteger()).incrementAndGet();
        return RewardFulfiller.Result.fulfilled();
    }

    @Test
    void concurrentRunsOfSeveralEnginesCallTheFulfillerOncePerReward() throws Exception {
        InMemoryReferralStore store = new InMemoryReferralStore();
        List<Fixture> engines = new ArrayList<>();
        for (int i = 0; i < ENGINES; i++) {
            engines.add(new Fixture(store, b -> b.fulfiller(this::count).batchSize(1000),
                    Fixture.load("gift-cards.yaml")));
        }
        Fixture first = engines.get(0);
        List<Advocate> advocates = new ArrayList<>();
        for (int i = 0; i < REWARDS; i++) {
            if (i % 20 == 0) {
                advocates.add(first.advocate("adv" + i, AdvocateKind.CUSTOMER, Fixture.CUSTOMERS));
            }
            first.move(first.refer(advocates.get(advocates.size() - 1), Fixture.CUSTOMERS), "won");
        }
        assertThat(advocates.stream().flatMap(a -> first.rewards.rewardsOf(a.id()).stream()))
                .hasSize(REWARDS).allMatch(r -> r.status() == RewardStatus.APPROVED);

        ExecutorService pool = Executors.newFixedThreadPool(THREADS);
        try {
            CountDownLatch start = new CountDownLatch(1);
            List<Future<ProcessReport>> runs = new ArrayList<>();
            for (int t = 0; t < THREADS; t++) {
                Rewards rewards = engines.get(t % ENGINES).rewards;
                runs.add(pool.submit(() -> {
                    start.await();
                    return rewards.processDue();
                }));
            }
            start.countDown();
            int fulfilled = 0;
            for (Future<ProcessReport> run : runs) {
                fulfilled += run.get(60, TimeUnit.SECONDS).fulfilled();
            }
            assertThat(fulfilled).isEqualTo(REWARDS);
        } finally {
            pool.shutdownNow();
        }

        assertThat(calls).hasSize(REWARDS);
        assertThat(calls.values()).allMatch(n -> n.get() == 1);
        assertThat(advocates.stream().flatMap(a -> first.rewards.rewardsOf(a.id()).stream()))
                .allMatch(r -> r.status() == RewardStatus.FULFILLED);
        assertThat(first.rewards.processDue().fulfilled()).isZero();
        assertThat(calls.values()).allMatch(n -> n.get() == 1);
    }

    /** What a runner dying inside the fulfiller looks like: nothing catches it, nothing is recorded. */
    private static final class Crash extends Error {
        private static final long serialVersionUID = 1L;
    }

    @Test
    void aClaimLeftByACrashedRunIsRetriedOnlyOnceItsLeaseLapsesWithTheSameAttempt() {
        List<Integer> attempts = new ArrayList<>();
        AtomicInteger crashes = new AtomicInteger(1);
        Fixture f = new Fixture(b -> b.fulfilmentLease(Duration.ofMinutes(5)).fulfiller(req -> {
            attempts.add(req.attempt());
            if (crashes.getAndDecrement() > 0) {
                throw new Crash();
            }
            return RewardFulfiller.Result.fulfilled();
        }), Fixture.load("gift-cards.yaml"));
        Advocate a = f.advocate("ann", AdvocateKind.CUSTOMER, Fixture.CUSTOMERS);
        Referral r = f.refer(a, Fixture.CUSTOMERS);
        f.move(r, "won");

        assertThatThrownBy(f.rewards::processDue).isInstanceOf(Crash.class);
        assertThat(f.rewards.processDue().fulfilled()).isZero();
        f.clock.advance(Duration.ofMinutes(4));
        assertThat(f.rewards.processDue().fulfilled()).isZero();
        assertThat(attempts).containsExactly(1);

        f.clock.advance(Duration.ofMinutes(1));
        assertThat(f.rewards.processDue().fulfilled()).isEqualTo(1);

        assertThat(attempts).containsExactly(1, 1);
        Reward reward = f.rewards.rewardsOf(r.id()).get(0);
        assertThat(reward.status()).isEqualTo(RewardStatus.FULFILLED);
    }

    @Test
    void aFailedAttemptIsRetriedAfterABackoffWithTheNextAttemptNumberAndTheLastMakesTheRewardFailed() {
        List<Integer> attempts = new ArrayList<>();
        Fixture f = new Fixture(b -> b.maxFulfilmentAttempts(3).retryBackoff(Duration.ofMinutes(1),
                Duration.ofMinutes(10)).fulfiller(req -> {
                    attempts.add(req.attempt());
                    return RewardFulfiller.Result.failed("gift card service unavailable");
                }), Fixture.load("gift-cards.yaml"));
        Advocate a = f.advocate("ann", AdvocateKind.CUSTOMER, Fixture.CUSTOMERS);
        Referral r = f.refer(a, Fixture.CUSTOMERS);
        f.move(r, "won");

        for (int attempt = 1; attempt <= 2; attempt++) {
            Instant run = f.clock.instant();
            assertThat(f.rewards.processDue().failed()).isEqualTo(1);
            assertThat(f.rewards.processDue().failed()).as("not due again at once").isZero();
            Reward after = f.rewards.rewardsOf(r.id()).get(0);
            Duration cap = Duration.ofMinutes(attempt == 1 ? 1 : 2);
            assertThat(after.status()).isEqualTo(RewardStatus.APPROVED);
            assertThat(after.nextAttemptAt()).isAfterOrEqualTo(run.plus(cap.dividedBy(2)))
                    .isBeforeOrEqualTo(run.plus(cap));
            f.clock.advance(Duration.between(run, after.nextAttemptAt()).minusSeconds(1));
            assertThat(f.rewards.processDue().failed()).as("not before its next attempt").isZero();
            f.clock.advance(Duration.ofSeconds(1));
        }
        assertThat(f.rewards.processDue().failed()).isEqualTo(1);
        f.clock.advance(Duration.ofDays(1));
        f.rewards.processDue();

        assertThat(attempts).containsExactly(1, 2, 3);
        Reward failed = f.rewards.rewardsOf(r.id()).get(0);
        assertThat(failed.status()).isEqualTo(RewardStatus.FAILED);
        List<String> events = f.engine.events(EventStreams.of(r.id())).stream()
                .map(e -> e.event().getClass().getSimpleName()).toList();
        assertThat(events).containsOnlyOnce(RewardFailed.class.getSimpleName())
                .filteredOn(RewardFulfilmentFailed.class.getSimpleName()::equals).hasSize(2);
    }
}
