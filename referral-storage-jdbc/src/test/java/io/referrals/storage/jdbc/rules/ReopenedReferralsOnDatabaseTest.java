package io.referrals.storage.jdbc.rules;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

import io.referrals.core.AdvocateRegistration;
import io.referrals.core.CaptureRequest;
import io.referrals.core.ReferralEngine;
import io.referrals.core.TransitionRequest;
import io.referrals.core.TransitionResult;
import io.referrals.core.error.ConflictException;
import io.referrals.core.event.EventStreams;
import io.referrals.core.event.ReferralReopened;
import io.referrals.core.model.Advocate;
import io.referrals.core.model.AdvocateKind;
import io.referrals.core.model.Channel;
import io.referrals.core.model.ConsentBasis;
import io.referrals.core.model.Program;
import io.referrals.core.model.ProgramKind;
import io.referrals.core.model.ProgramStatus;
import io.referrals.core.model.Reason;
import io.referrals.core.model.Referral;
import io.referrals.core.model.Reward;
import io.referrals.core.model.RewardStatus;
import io.referrals.core.model.Stage;
import io.referrals.core.model.StagePipeline;
import io.referrals.core.model.TimelineEntry;
import io.referrals.core.model.TransitionCause;
import io.referrals.core.storage.OutboxEntry;
import io.referrals.rules.Rewards;
import io.referrals.rules.RewardsEngine;
import io.referrals.rules.definition.Give;
import io.referrals.rules.definition.Rule;
import io.referrals.rules.definition.RuleSet;
import io.referrals.rules.definition.Trigger;
import io.referrals.rules.result.RuleOutcome;
import io.referrals.storage.jdbc.Dialect;
import io.referrals.storage.jdbc.JdbcReferralStore;
import io.referrals.storage.jdbc.TestDatabase;
import io.referrals.storage.tck.MutableClock;
import java.time.Duration;
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
 * A lost referral reopened on a real database: the reopening is stored as such, and what the loss clawed back is paid
 * again exactly once where the rule says so, also when two service instances (each with its own pool and store)
 * apply the same reopening at once. Each dialect runs it through a subclass.
 */
abstract class ReopenedReferralsOnDatabaseTest {
    private static final Reason LOST = Reason.of("deal_lost", "The deal was lost.");

    private final MutableClock clock = MutableClock.at(Instant.parse("2026-03-02T09:00:00Z"));
    private TestDatabase db;
    private Instance first;
    private Instance second;

    abstract Dialect dialect();

    /** One service instance: a referral engine with the rewards engine over a store and pool of its own. */
    private final class Instance {
        final ReferralEngine engine;
        final Rewards rewards;

        Instance() {
            RewardsEngine rules = RewardsEngine.builder().ruleSet(rules()).build();
            engine = ReferralEngine.builder().store(JdbcReferralStore.builder(db.pool(4)).build()).clock(clock)
                    .matchKeySecret(RulesOnJdbc.MATCH_KEY_SECRET).install(rules).build();
            rewards = engine.extension(rules);
        }

        TransitionResult move(Referral r, String stage) {
            return engine.transition(new TransitionRequest(r.id(), Stage.of(stage), TransitionCause.rep("rep-sam"),
                    "", ""));
        }
    }

    /** 300 points when qualified, clawed back within a year and paid again when the referral is reopened. */
    private static RuleSet rules() {
        return RuleSet.builder(RulesOnJdbc.CUSTOMERS, 1).effectiveFrom(Instant.parse("2026-01-01T00:00:00Z"))
                .rule(Rule.builder("qualified-points").when(Trigger.stageReached(Stage.QUALIFIED))
                        .advocate(Give.points(300)).clawbackWithin(Duration.ofDays(365))
                        .whenReopened(Rule.WhenReopened.PAY_AGAIN))
                .build();
    }

    @BeforeEach
    void start() {
        db = TestDatabase.create(dialect());
        first = new Instance();
        second = new Instance();
        first.engine.defineProgram(Program.builder(RulesOnJdbc.CUSTOMERS, "Customer referrals", ProgramKind.CUSTOMER)
                .status(ProgramStatus.ACTIVE)
                .pipeline(StagePipeline.b2bDefault().toBuilder().reopen("lost", "qualified", "opportunity").build())
                .build());
    }

    @AfterEach
    void stop() {
        if (db != null) {
            db.close();
        }
    }

    private Referral qualifiedReferral() {
        Advocate a = first.engine.registerAdvocate(AdvocateRegistration.of("ann", "Ann", "ann@advocates.example",
                AdvocateKind.CUSTOMER));
        first.engine.enrol(a.id(), RulesOnJdbc.CUSTOMERS);
        Referral r = first.engine.capture(CaptureRequest.builder().advocate(a.id()).program(RulesOnJdbc.CUSTOMERS)
                .prospect(RulesOnJdbc.freshProspect()).channel(Channel.REFERRAL_FORM)
                .consent(ConsentBasis.ADVOCATE_INTRODUCTION).build()).acceptedReferral();
        first.move(r, "qualified");
        return r;
    }

    private void loseAndClawBack(Referral r) {
        clock.advance(Duration.ofDays(10));
        first.move(r, "lost");
        assertThat(second.rewards.reverse(r.id(), LOST)).isNotEmpty();
        clock.advance(Duration.ofDays(30));
    }

    /** The same reopening applied by both instances at once, from eight threads; returns how many moved. */
    private long raceReopening(Referral r, String stage) throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(8);
        CountDownLatch go = new CountDownLatch(1);
        try {
            List<Future<TransitionResult>> results = new ArrayList<>();
            for (int i = 0; i < 8; i++) {
                Instance instance = i % 2 == 0 ? first : second;
                results.add(pool.submit(() -> {
                    go.await();
                    for (int attempt = 0; ; attempt++) {
                        try {
                            return instance.move(r, stage);
                        } catch (ConflictException e) {
                            if (!e.isRetryable() || attempt == 20) {
                                throw e;
                            }
                        }
                    }
                }));
            }
            go.countDown();
            long moved = 0;
            for (Future<TransitionResult> f : results) {
                TransitionResult t = f.get(60, TimeUnit.SECONDS);
                moved += t instanceof TransitionResult.Moved ? 1 : 0;
            }
            return moved;
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    @DisplayName("reopened by two instances at once, lost and reopened again: stored as reopenings, and the clawed "
            + "back points are paid again once per reopening, one live reward at a time")
    void paidAgainExactlyOnce() throws Exception {
        Referral r = qualifiedReferral();
        Advocate a = first.engine.advocate(r.advocateId()).orElseThrow();
        loseAndClawBack(r);
        assertThat(first.rewards.balance(a.id())).isZero();

        assertThat(raceReopening(r, "opportunity")).isEqualTo(1);
        assertThat(second.rewards.balance(a.id())).isEqualTo(300);

        loseAndClawBack(r);
        assertThat(raceReopening(r, "qualified")).isEqualTo(1);

        List<Reward> rewards = second.rewards.rewardsOf(r.id());
        assertThat(rewards).extracting(Reward::milestone, Reward::status).containsExactly(
                tuple("stage:qualified", RewardStatus.REVERSED),
                tuple("reopened:1:stage:qualified", RewardStatus.REVERSED),
                tuple("reopened:2:stage:qualified", RewardStatus.FULFILLED));
        assertThat(first.rewards.balance(a.id())).isEqualTo(300);
        assertThat(first.engine.timeline(r.id())).extracting(TimelineEntry::kind).containsExactly(
                TimelineEntry.Kind.MOVED, TimelineEntry.Kind.MOVED, TimelineEntry.Kind.REOPENED,
                TimelineEntry.Kind.MOVED, TimelineEntry.Kind.REOPENED);
        assertThat(second.engine.events(EventStreams.of(r.id()))).extracting(OutboxEntry::event)
                .filteredOn(e -> e instanceof ReferralReopened).hasSize(2);
        RuleOutcome explained = first.rewards.explain(r.id()).get(0);
        assertThat(explained.status()).isEqualTo(RuleOutcome.Status.PAID);
        assertThat(explained.reasons()).extracting(Reason::code).first().isEqualTo("paid_again");
    }
}
