package io.referrals.storage.jdbc.rules;

import static org.assertj.core.api.Assertions.assertThat;

import io.referrals.core.CaptureRequest;
import io.referrals.core.CaptureResult;
import io.referrals.core.TransitionResult;
import io.referrals.core.model.Advocate;
import io.referrals.core.model.Channel;
import io.referrals.core.model.ConsentBasis;
import io.referrals.core.model.Referral;
import io.referrals.core.model.ReferralCode;
import io.referrals.core.model.Stage;
import io.referrals.rules.definition.Give;
import io.referrals.rules.definition.Rule;
import io.referrals.rules.definition.RuleSet;
import io.referrals.rules.definition.Trigger;
import io.referrals.storage.jdbc.Dialect;
import io.referrals.storage.jdbc.RoundTripCounter;
import io.referrals.storage.jdbc.TestDatabase;
import java.time.Instant;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/**
 * Statements and round trips of the two hot operations, counted through a wrapping data source (no timing): a
 * capture by referral code with warm caches, and a stage change to {@code won} that pays a points reward through a
 * {@code RewardsEngine} rule. Each is one transaction (one commit). The counts are printed for the benchmarks' README
 * and pinned per dialect, so that an extra statement is a visible change.
 */
abstract class StatementCountsTest {
    private TestDatabase db;
    private RoundTripCounter counter;
    private RulesOnJdbc node;

    abstract Dialect dialect();

    /** Expected statements of a warm capture by code, then of a stage change paying one reward. */
    abstract int[] expected();

    @BeforeEach
    void openDatabase() {
        db = TestDatabase.create(dialect());
        counter = new RoundTripCounter(db.pool(2));
        RuleSet rules = RuleSet.builder(RulesOnJdbc.CUSTOMERS, 1).effectiveFrom(Instant.parse("2026-01-01T00:00:00Z"))
                .rule(Rule.builder("won-points").when(Trigger.stageReached(Stage.WON)).advocate(Give.points(100))
                        .build())
                .build();
        node = new RulesOnJdbc(counter, rules);
        node.defineProgram();
    }

    @AfterEach
    void dropDatabase() {
        if (db != null) {
            db.close();
        }
    }

    private Referral captureByCode(ReferralCode code) {
        CaptureResult r = node.engine.capture(CaptureRequest.builder().code(code.code())
                .prospect(RulesOnJdbc.freshProspect()).channel(Channel.LINK_OR_CODE)
                .consent(ConsentBasis.ADVOCATE_INTRODUCTION).build());
        assertThat(r).isInstanceOf(CaptureResult.Accepted.class);
        return r.acceptedReferral();
    }

    @Test
    @DisplayName("A warm capture by code and a stage change paying a reward each take one transaction and the"
            + " statements counted here")
    void captureAndPayingStageChangeStatementCounts() {
        Advocate a = node.advocate("counted");
        ReferralCode code = node.engine.issueCode(a.id(), RulesOnJdbc.CUSTOMERS);
        captureByCode(code); // warms the code, program and enrolment caches

        counter.reset();
        Referral r = captureByCode(code);
        String capture = counter.report();
        int captureStatements = counter.prepared.size();
        assertThat(counter.commits.get()).isEqualTo(1);
        assertThat(counter.rollbacks.get()).isZero();

        counter.reset();
        TransitionResult moved = node.win(r);
        String win = counter.report();
        int winStatements = counter.prepared.size();
        assertThat(moved).isInstanceOf(TransitionResult.Moved.class);
        assertThat(node.rewards.balance(a.id())).isEqualTo(100);

        System.out.println("[statement counts] " + dialect() + " capture by code (warm caches): " + capture);
        System.out.println("[statement counts] " + dialect() + " stage change to won paying 100 points: " + win);
        assertThat(new int[] {captureStatements, winStatements}).isEqualTo(expected());
    }
}
