package io.referrals.rules;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.referrals.core.CaptureRequest;
import io.referrals.core.CaptureResult;
import io.referrals.core.ProgramInsights;
import io.referrals.core.eligibility.Signals;
import io.referrals.core.insights.BacktestReport;
import io.referrals.core.insights.ReportPeriod;
import io.referrals.core.insights.Valuation;
import io.referrals.core.model.Advocate;
import io.referrals.core.model.AdvocateKind;
import io.referrals.core.model.Channel;
import io.referrals.core.model.ConsentBasis;
import io.referrals.core.model.LedgerEntry;
import io.referrals.core.model.Money;
import io.referrals.core.model.Referral;
import io.referrals.core.model.Reward;
import io.referrals.core.model.Seniority;
import io.referrals.core.storage.CounterKey;
import io.referrals.rules.internal.Replays;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

@DisplayName("Backtesting a candidate rule set over a program's past referrals")
class BacktestTest {
    private static final Valuation CENT_A_POINT = Valuation.of(Money.of("0.01", "USD"));

    private final Fixture f = new Fixture(Fixture.load("milestones.yaml"));
    private final Advocate ann = f.advocate("ann", AdvocateKind.CUSTOMER, Fixture.CUSTOMERS);
    private final Advocate bob = f.advocate("bob", AdvocateKind.CUSTOMER, Fixture.CUSTOMERS);
    private final RuleSetBacktest v2 = RuleSetBacktest.of(Fixture.load("milestones-v2.yaml"));

    /** Two customers won by ann (Director-level prospects, 10,000 USD deals), one referral of bob's qualified. */
    private void history() {
        for (int i = 0; i < 2; i++) {
            Referral r = f.refer(ann, Fixture.CUSTOMERS, f.prospect(Seniority.DIRECTOR, "Finance", Map.of()));
            f.clock.advance(Duration.ofDays(3));
            f.move(r, "contacted", "meeting_held", "qualified", "opportunity");
            f.dealValue(r, "10000.00", "USD");
            f.clock.advance(Duration.ofDays(20));
            f.move(r, "won");
        }
        f.move(f.refer(bob, Fixture.CUSTOMERS), "contacted", "meeting_held", "qualified");
    }

    private List<Reward> allRewards() {
        return Stream.of(ann, bob).flatMap(a -> f.rewards.rewardsOf(a.id()).stream()).toList();
    }

    @Test
    void theReportShowsWhatTheCandidateWouldHavePaidAndToWhomBesideWhatWasPaid() {
        history();

        BacktestReport report = f.engine.extension(ProgramInsights.extension()).backtest(Fixture.CUSTOMERS,
                ReportPeriod.ALL_TIME, v2, CENT_A_POINT);

        assertThat(report.candidate()).isEqualTo("customers v2");
        assertThat(report.referralsEvaluated()).isEqualTo(3);
        // v1: ann 2 x (500 bonus + 400 milestones + 200 doubled), bob 300
        assertThat(report.actual().points()).isEqualTo(2500);
        assertThat(report.actual().value()).isEqualTo(Money.of("25.00", "USD"));
        // v2: ann 2 x 400 milestones + 400 bonus once a year + 2 x 500 USD commission, bob 300
        assertThat(report.projected().points()).isEqualTo(1500);
        assertThat(report.projected().value()).isEqualTo(Money.of("1015.00", "USD"));
        assertThat(report.difference()).isEqualTo(Money.of("990.00", "USD"));

        BacktestReport.AdvocateComparison forAnn = report.advocates().stream()
                .filter(c -> c.advocateId().equals(ann.id())).findFirst().orElseThrow();
        assertThat(forAnn.actual().points()).isEqualTo(2200);
        assertThat(forAnn.projected().points()).isEqualTo(1200);
        assertThat(forAnn.projected().value()).isEqualTo(Money.of("1012.00", "USD"));
        BacktestReport.AdvocateComparison forBob = report.advocates().stream()
                .filter(c -> c.advocateId().equals(bob.id())).findFirst().orElseThrow();
        assertThat(forBob.actual().points()).isEqualTo(300);
        assertThat(forBob.projected().points()).isEqualTo(300);
        assertThat(forBob.difference()).isEqualTo(Money.of("0.00", "USD"));
    }

    @Test
    void theBacktestTouchesNeitherTheLedgerNorTheRewardsNorTheLimits() {
        history();
        List<Reward> rewardsBefore = allRewards();
        List<LedgerEntry> ledgerBefore = f.rewards.ledger(ann.id());

        ProgramInsights insights = f.engine.extension(ProgramInsights.extension());
        BacktestReport first = insights.backtest(Fixture.CUSTOMERS, ReportPeriod.ALL_TIME, v2, CENT_A_POINT);
        BacktestReport second = insights.backtest(Fixture.CUSTOMERS, ReportPeriod.ALL_TIME, v2, CENT_A_POINT);

        assertThat(second).isEqualTo(first);
        assertThat(allRewards()).isEqualTo(rewardsBefore);
        assertThat(f.rewards.ledger(ann.id())).isEqualTo(ledgerBefore);
        assertThat(f.rewards.balance(ann.id())).isEqualTo(2200);
        // the yearly bonus cap of the candidate was simulated in memory: the store has no counter for it
        CounterKey cap = Replays.perAdvocateCount(Fixture.CUSTOMERS, "won-bonus", "advocate:" + ann.id().value(),
                "2026");
        long counter = f.engine.transactions().inStore(tx -> tx.counters().value(cap));
        assertThat(counter).isZero();
    }

    @Test
    void aReferralDeniedInReviewEarnsNothingFromTheCandidateEither() {
        Signals shared = Signals.ip("203.0.113.7");
        CaptureResult captured = f.engine.capture(CaptureRequest.builder().advocate(ann.id())
                .program(Fixture.CUSTOMERS).prospect(f.prospect(Seniority.DIRECTOR, "Finance", Map.of()))
                .channel(Channel.REFERRAL_FORM).consent(ConsentBasis.ADVOCATE_INTRODUCTION).signals(shared)
                .advocateSignals(shared).build());
        Referral r = captured.acceptedReferral();
        f.move(r, "contacted", "meeting_held");
        f.engine.denyReferral(r.id(), "reviewer-1", "");
        f.move(f.refer(bob, Fixture.CUSTOMERS), "contacted");

        BacktestReport report = f.engine.extension(ProgramInsights.extension()).backtest(Fixture.CUSTOMERS,
                ReportPeriod.ALL_TIME, v2, CENT_A_POINT);

        assertThat(report.referralsEvaluated()).isEqualTo(2);
        assertThat(report.actual().points()).isEqualTo(100);
        assertThat(report.projected().points()).isEqualTo(100);
        assertThat(report.advocates()).extracting(BacktestReport.AdvocateComparison::advocateId)
                .containsExactly(bob.id());
    }

    @Test
    void aRuleSetOfAnotherProgramIsRefused() {
        f.definePrograms();
        assertThatThrownBy(() -> v2.begin(f.engine.program(Fixture.PARTNERS).orElseThrow()))
                .isInstanceOf(IllegalArgumentException.class);
    }
}
