package io.referrals.rules;

import static org.assertj.core.api.Assertions.assertThat;

import io.referrals.core.model.Advocate;
import io.referrals.core.model.AdvocateKind;
import io.referrals.core.model.Referral;
import io.referrals.core.model.Stage;
import io.referrals.core.storage.ReferralStore;
import io.referrals.rules.definition.Give;
import io.referrals.rules.definition.Limit;
import io.referrals.rules.definition.Rule;
import io.referrals.rules.definition.RuleSet;
import io.referrals.rules.definition.Trigger;
import io.referrals.rules.result.RuleOutcome;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/**
 * Limits and exactly-once hold when several engines evaluate at the same time over one store. Abstract so that every
 * store runs it: a subclass supplies a fresh, empty store per test (see {@link InMemoryLimitsUnderConcurrencyTest}).
 * The in-memory store serialises transactions; a database store, where transactions really overlap, is what makes
 * these tests fail on a read-then-write implementation.
 */
@DisplayName("Limits hold when several engines evaluate at the same time")
abstract class LimitsUnderConcurrencyTest {
    private static final int ENGINES = 4;
    private static final int THREADS = 16;

    /** A fresh, empty store; each call of a test's engines shares the one returned. */
    protected abstract Supplier<ReferralStore> stores();

    private List<Fixture> engines(RuleSet rules) {
        ReferralStore store = stores().get();
        List<Fixture> engines = new ArrayList<>();
        for (int i = 0; i < ENGINES; i++) {
            engines.add(new Fixture(store, b -> { }, rules));
        }
        return engines;
    }

    private static RuleSet capped() {
        return RuleSet.builder(Fixture.CUSTOMERS, 1).effectiveFrom(Instant.parse("2026-01-01T00:00:00Z"))
                .rule(Rule.builder("won-points").when(Trigger.stageReached(Stage.WON)).advocate(Give.points(100))
                        .limit(Limit.perAdvocate("monthly").perMonth().maxCount(5)).build())
                .rule(Rule.builder("challenge").when(Trigger.event("quiz_completed")).advocate(Give.points(50))
                        .limit(Limit.maxWinners("quiz", 3)).build())
                .build();
    }

    @Test
    void aMonthlyCapOfFiveIsNeverExceededByConcurrentWinsAcrossEngines() throws Exception {
        List<Fixture> engines = engines(capped());
        Advocate a = engines.get(0).advocate("ann", AdvocateKind.CUSTOMER, Fixture.CUSTOMERS);
        List<Referral> referrals = new ArrayList<>();
        for (int i = 0; i < 40; i++) {
            referrals.add(engines.get(0).refer(a, Fixture.CUSTOMERS));
        }
        run(referrals.size(), i -> engines.get(i % ENGINES).move(referrals.get(i), "won"));

        long paid = engines.get(0).rewards.rewardsOf(a.id()).size();
        assertThat(paid).isEqualTo(5);
        assertThat(engines.get(1).rewards.balance(a.id())).isEqualTo(500);
        assertThat(engines.get(2).rewards.explain(referrals.get(39).id()).get(0).status())
                .isIn(RuleOutcome.Status.CAP_REACHED, RuleOutcome.Status.PAID);
    }

    @Test
    void aChallengeForThreeWinnersHasExactlyThreeWinnersAmongManyConcurrentAdvocates() throws Exception {
        List<Fixture> engines = engines(capped());
        List<Advocate> advocates = new ArrayList<>();
        for (int i = 0; i < 30; i++) {
            advocates.add(engines.get(0).advocate("adv" + i, AdvocateKind.CUSTOMER, Fixture.CUSTOMERS));
        }
        // every advocate completes it twice, from two engines, to race the exactly-once key too
        run(advocates.size() * 2, i -> engines.get(i % ENGINES).rewards.recordEvent(
                advocates.get(i / 2).id(), Fixture.CUSTOMERS, "quiz_completed", "event-" + i));

        long winners = advocates.stream().filter(a -> engines.get(0).rewards.balance(a.id()) > 0).count();
        assertThat(winners).isEqualTo(3);
        assertThat(advocates.stream().mapToLong(a -> engines.get(0).rewards.balance(a.id())).sum()).isEqualTo(150);
    }

    @Test
    void aProgramBudgetInPointsIsNeverExceededAndTheLastRewardIsReducedToWhatIsLeft() throws Exception {
        RuleSet rules = RuleSet.builder(Fixture.CUSTOMERS, 1).effectiveFrom(Instant.parse("2026-01-01T00:00:00Z"))
                .rule(Rule.builder("won-points").when(Trigger.stageReached(Stage.WON)).advocate(Give.points(300))
                        .limit(Limit.pointsBudget("budget", 1000)).build())
                .build();
        List<Fixture> engines = engines(rules);
        List<Advocate> advocates = new ArrayList<>();
        List<Referral> referrals = new ArrayList<>();
        for (int i = 0; i < 12; i++) {
            Advocate a = engines.get(0).advocate("b" + i, AdvocateKind.CUSTOMER, Fixture.CUSTOMERS);
            advocates.add(a);
            referrals.add(engines.get(0).refer(a, Fixture.CUSTOMERS));
        }
        run(referrals.size(), i -> engines.get(i % ENGINES).move(referrals.get(i), "won"));

        long total = advocates.stream().mapToLong(a -> engines.get(0).rewards.balance(a.id())).sum();
        assertThat(total).isEqualTo(1000);
    }

    @Test
    void aRollingCapIsNeverExceededByConcurrentWins() throws Exception {
        RuleSet rules = RuleSet.builder(Fixture.CUSTOMERS, 1).effectiveFrom(Instant.parse("2026-01-01T00:00:00Z"))
                .rule(Rule.builder("won-points").when(Trigger.stageReached(Stage.WON)).advocate(Give.points(100))
                        .limit(Limit.perAdvocate("rolling").rolling(Duration.ofDays(30)).maxCount(3)).build())
                .build();
        List<Fixture> engines = engines(rules);
        Advocate a = engines.get(0).advocate("ron", AdvocateKind.CUSTOMER, Fixture.CUSTOMERS);
        List<Referral> referrals = new ArrayList<>();
        for (int i = 0; i < 20; i++) {
            referrals.add(engines.get(0).refer(a, Fixture.CUSTOMERS));
        }
        run(referrals.size(), i -> engines.get(i % ENGINES).move(referrals.get(i), "won"));

        assertThat(engines.get(0).rewards.balance(a.id())).isEqualTo(300);
    }

    private interface Task {
        void run(int i) throws Exception;
    }

    private static void run(int n, Task task) throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(THREADS);
        CountDownLatch start = new CountDownLatch(1);
        try {
            List<Future<?>> futures = new ArrayList<>();
            for (int i = 0; i < n; i++) {
                int k = i;
                futures.add(pool.submit(() -> {
                    start.await();
                    task.run(k);
                    return null;
                }));
            }
            start.countDown();
            for (Future<?> f : futures) {
                f.get(30, TimeUnit.SECONDS);
            }
        } finally {
            pool.shutdownNow();
        }
    }
}
