package io.referrals.storage.jdbc.rules;

import static org.assertj.core.api.Assertions.assertThat;

import io.referrals.core.TransitionResult;
import io.referrals.core.model.Advocate;
import io.referrals.core.model.Referral;
import io.referrals.core.model.Reward;
import io.referrals.core.model.Stage;
import io.referrals.rules.definition.Give;
import io.referrals.rules.definition.Limit;
import io.referrals.rules.definition.Rule;
import io.referrals.rules.definition.RuleSet;
import io.referrals.rules.definition.Trigger;
import io.referrals.storage.jdbc.Dialect;
import io.referrals.storage.jdbc.TestDatabase;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/**
 * The rewards engine's limits on a real database: several engines, each on a HikariCP pool and store of its own (as
 * separate service instances), win referrals from many threads at once. The counters behind a monthly cap and a
 * program budget are the database's conditional writes; a read-then-write implementation (read the count, decide,
 * write) lets overlapping transactions all see room and pays more than the limit, which these tests catch.
 * Each dialect runs it through a subclass.
 */
abstract class LimitsOnDatabaseTest {
    private static final int ENGINES = 4;
    private static final int POOL_SIZE = 4;
    private static final int THREADS = 16;
    private static final int MONTHLY_CAP = 5;
    private static final long POINTS = 100;

    private TestDatabase db;
    private List<RulesOnJdbc> engines;

    abstract Dialect dialect();

    @BeforeEach
    void openDatabase() {
        db = TestDatabase.create(dialect());
    }

    @AfterEach
    void dropDatabase() {
        if (db != null) {
            db.close();
        }
    }

    /** Rewards 100 points on {@code won}, at most five per advocate per month, within a program budget in points. */
    private static RuleSet rules(long budgetPoints) {
        return RuleSet.builder(RulesOnJdbc.CUSTOMERS, 1).effectiveFrom(Instant.parse("2026-01-01T00:00:00Z"))
                .rule(Rule.builder("won-points").when(Trigger.stageReached(Stage.WON)).advocate(Give.points(POINTS))
                        .limit(Limit.perAdvocate("monthly").perMonth().maxCount(MONTHLY_CAP))
                        .limit(Limit.pointsBudget("budget", budgetPoints)).build())
                .build();
    }

    private void startEngines(RuleSet rules) {
        engines = new ArrayList<>();
        for (int i = 0; i < ENGINES; i++) {
            engines.add(new RulesOnJdbc(db.pool(POOL_SIZE), rules));
        }
        engines.get(0).defineProgram();
    }

    private List<Referral> referralsOf(Advocate a, int n) {
        List<Referral> out = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            // captures spread over the engines too, so every store's caches take part
            out.add(engines.get(i % ENGINES).refer(a));
        }
        return out;
    }

    @Test
    @DisplayName("A monthly cap of five is filled exactly, never exceeded, when four instances win 48 referrals at once,"
            + " each referral raced by two instances")
    void monthlyCapIsFilledExactlyUnderConcurrentWins() throws Exception {
        startEngines(rules(1_000_000));
        List<Advocate> advocates = new ArrayList<>();
        List<Referral> referrals = new ArrayList<>();
        for (int i = 0; i < 4; i++) {
            Advocate a = engines.get(0).advocate("capped-" + i);
            advocates.add(a);
            referrals.addAll(referralsOf(a, 12));
        }

        // every referral is moved to won by two different instances at the same time: one move, one milestone
        List<TransitionResult> results = run(referrals.size() * 2,
                i -> engines.get(i % ENGINES).win(referrals.get(i / 2)));

        assertThat(results.stream().filter(r -> r instanceof TransitionResult.Moved)).hasSize(referrals.size());
        RulesOnJdbc reader = engines.get(1);
        for (Advocate a : advocates) {
            List<Reward> paid = reader.rewards.rewardsOf(a.id());
            assertThat(paid).as("rewards of %s", a.id()).hasSize(MONTHLY_CAP);
            assertThat(reader.rewards.balance(a.id())).as("balance of %s", a.id()).isEqualTo(MONTHLY_CAP * POINTS);
            assertThat(paid.stream().map(Reward::source).distinct()).as("one reward per referral").hasSize(MONTHLY_CAP);
        }
        for (Referral r : referrals) {
            assertThat(reader.rewards.rewardsOf(r.id())).as("rewards of %s", r.id()).hasSizeLessThanOrEqualTo(1);
        }
    }

    @Test
    @DisplayName("A program budget of 1,700 points is spent exactly, never overspent, when four instances win 48"
            + " referrals of twelve advocates at once")
    void programBudgetIsSpentExactlyUnderConcurrentWins() throws Exception {
        long budget = 1_700;
        startEngines(rules(budget));
        List<Advocate> advocates = new ArrayList<>();
        List<Referral> referrals = new ArrayList<>();
        for (int i = 0; i < 12; i++) {
            Advocate a = engines.get(0).advocate("budget-" + i);
            advocates.add(a);
            referrals.addAll(referralsOf(a, 4));
        }

        run(referrals.size(), i -> engines.get(i % ENGINES).win(referrals.get(i)));

        RulesOnJdbc reader = engines.get(2);
        long total = 0;
        long rewards = 0;
        for (Advocate a : advocates) {
            long balance = reader.rewards.balance(a.id());
            assertThat(balance).as("balance of %s", a.id()).isLessThanOrEqualTo(MONTHLY_CAP * POINTS);
            total += balance;
            rewards += reader.rewards.rewardsOf(a.id()).size();
        }
        assertThat(total).isEqualTo(budget);
        assertThat(rewards).isEqualTo(budget / POINTS);
        for (Referral r : referrals) {
            assertThat(reader.rewards.rewardsOf(r.id())).as("rewards of %s", r.id()).hasSizeLessThanOrEqualTo(1);
        }
    }

    private interface Task<T> {
        T run(int i) throws Exception;
    }

    /** Runs {@code n} tasks on {@value #THREADS} threads released together; returns their results in order. */
    private static <T> List<T> run(int n, Task<T> task) throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(THREADS);
        CountDownLatch start = new CountDownLatch(1);
        try {
            List<Future<T>> futures = new ArrayList<>();
            for (int i = 0; i < n; i++) {
                int k = i;
                futures.add(pool.submit(() -> {
                    start.await();
                    return task.run(k);
                }));
            }
            start.countDown();
            List<T> out = new ArrayList<>();
            for (Future<T> f : futures) {
                out.add(f.get(60, TimeUnit.SECONDS));
            }
            return out;
        } finally {
            pool.shutdownNow();
        }
    }
}
