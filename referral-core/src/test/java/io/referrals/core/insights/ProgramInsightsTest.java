package io.referrals.core.insights;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.referrals.core.AdvocateRegistration;
import io.referrals.core.CaptureRequest;
import io.referrals.core.CaptureResult;
import io.referrals.core.ProgramInsights;
import io.referrals.core.ReferralEngine;
import io.referrals.core.TransitionRequest;
import io.referrals.core.error.NotFoundException;
import io.referrals.core.model.Advocate;
import io.referrals.core.model.AdvocateKind;
import io.referrals.core.model.Beneficiary;
import io.referrals.core.model.Channel;
import io.referrals.core.model.ConsentBasis;
import io.referrals.core.model.Incentive;
import io.referrals.core.model.LedgerEntry;
import io.referrals.core.model.Money;
import io.referrals.core.model.Outcome;
import io.referrals.core.model.Program;
import io.referrals.core.model.ProgramId;
import io.referrals.core.model.ProgramKind;
import io.referrals.core.model.ProgramStatus;
import io.referrals.core.model.Prospect;
import io.referrals.core.model.Referral;
import io.referrals.core.model.Reward;
import io.referrals.core.model.RewardId;
import io.referrals.core.model.RewardSource;
import io.referrals.core.model.RewardStatus;
import io.referrals.core.model.Stage;
import io.referrals.core.model.TransitionCause;
import io.referrals.core.storage.memory.InMemoryReferralStore;
import java.math.BigDecimal;
import java.time.Duration;
import java.time.Instant;
import java.util.Currency;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Collectors;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

/**
 * A hand-computed program: 5 enrolled advocates, 7 referrals (4 won, 1 lost, 1 rejected, 1 open), 7 rewards.
 * The expected figures are worked out in the comments next to each assertion.
 */
@DisplayName("Program insights")
class ProgramInsightsTest {
    static final Instant T0 = Instant.parse("2026-01-01T00:00:00Z");
    static final Currency EUR = Currency.getInstance("EUR");
    static final ProgramId PROGRAM = ProgramId.of("customers");
    static final Valuation CENT_PER_POINT = Valuation.of(Money.of("0.01", "EUR"));

    TestClock clock;
    InMemoryReferralStore store;
    ReferralEngine engine;
    ProgramInsights insights;
    Advocate jane;
    Advocate raj;
    Advocate li;
    Referral r1;
    Referral r2;
    Referral r3;
    Referral r4;
    Referral r5;
    Referral r6;
    Referral r7;
    final AtomicInteger prospects = new AtomicInteger();

    @BeforeEach
    void seed() {
        clock = new TestClock(T0);
        store = new InMemoryReferralStore();
        engine = ReferralEngine.builder().store(store).clock(clock).install(ProgramInsights.extension()).build();
        insights = engine.extension(ProgramInsights.extension());
        engine.defineProgram(Program.builder(PROGRAM, "Customer referrals", ProgramKind.CUSTOMER)
                .status(ProgramStatus.ACTIVE).build());
        jane = advocate("jane", "Jane Doe", AdvocateKind.CUSTOMER, Set.of("enterprise"));
        raj = advocate("raj", "Raj Patel", AdvocateKind.PARTNER, Set.of("smb"));
        li = advocate("li", "Li Wei", AdvocateKind.CUSTOMER, Set.of("enterprise", "smb"));
        advocate("zoe", "Zoe Never", AdvocateKind.CUSTOMER, Set.of());

        at(1);
        r1 = capture(jane, Channel.DIRECT_EMAIL);
        r2 = capture(jane, Channel.REFERRAL_FORM);
        at(2);
        r3 = capture(raj, Channel.SALES_REP);
        move(r3, 3, Stage.CONTACTED);
        move(r1, 2, Stage.CONTACTED);
        move(r1, 5, Stage.MEETING_HELD);
        move(r3, 4, Stage.LOST);
        at(3);
        r4 = capture(li, Channel.REFERRAL_FORM);
        r5 = capture(li, Channel.DIRECT_EMAIL);
        clock.advance(Duration.ofHours(1));
        engine.transition(TransitionRequest.of(r5.id(), Stage.REJECTED, TransitionCause.rep("rep-1")));
        move(r4, 4, Stage.QUALIFIED);
        at(4);
        r7 = capture(jane, Channel.DIRECT_EMAIL);
        move(r1, 11, Stage.WON);
        move(r2, 21, Stage.WON); // skips every stage
        move(r4, 33, Stage.WON);
        engine.recordDealValue(r1.id(), Money.of("10000", "EUR"));
        engine.recordDealValue(r2.id(), Money.of("5000", "EUR"));
        engine.recordDealValue(r4.id(), Money.of("2000", "USD"));
        advocate("late", "Late Comer", AdvocateKind.CUSTOMER, Set.of()); // enrolled at day 40
        at(40);
        advocate("late2", "Later Still", AdvocateKind.CUSTOMER, Set.of());
        move(r7, 44, Stage.WON); // no deal value
        at(50);
        r6 = capture(raj, Channel.SALES_REP);

        reward("w1", jane, RewardSource.referral(r1.id()), new Incentive.Points(500), RewardStatus.FULFILLED, 11);
        reward("w2", jane, RewardSource.referral(r1.id()), new Incentive.Cash(Money.of("100", "EUR"), false),
                RewardStatus.APPROVED, 11);
        reward("w3", jane, RewardSource.referral(r2.id()), new Incentive.GiftCard(Money.of("50", "EUR"), "Amazon"),
                RewardStatus.PENDING, 21);
        reward("w4", li, RewardSource.referral(r4.id()), new Incentive.Points(1000), RewardStatus.REVERSED, 33);
        reward("w5", raj, RewardSource.referral(r3.id()), new Incentive.Perk("training", "Admin training"),
                RewardStatus.FULFILLED, 3);
        reward("w6", jane, new RewardSource(RewardSource.Kind.CONTEST, "contest-1"),
                new Incentive.Cash(Money.of("200", "EUR"), false), RewardStatus.FULFILLED, 10);
        reward("w7", li, RewardSource.referral(r4.id()), new Incentive.Donation(Money.of("30", "USD"), "Oxfam"),
                RewardStatus.PENDING, 33);
    }

    /** Registers and enrols at the clock's time; "late" is registered and enrolled at day 40. */
    private Advocate advocate(String id, String name, AdvocateKind kind, Set<String> segments) {
        Advocate a = engine.registerAdvocate(AdvocateRegistration.of("crm-" + id, name, id + "@host.example", kind)
                .withSegments(segments));
        engine.enrol(a.id(), PROGRAM);
        return a;
    }

    private void at(int day) {
        clock.set(T0.plus(Duration.ofDays(day)));
    }

    private Referral capture(Advocate a, Channel channel) {
        int n = prospects.incrementAndGet();
        CaptureRequest.Builder b = CaptureRequest.builder().advocate(a.id()).program(PROGRAM)
                .prospect(Prospect.builder().fullName("Prospect " + n).email("p" + n + "@prospect" + n + ".example")
                        .company("Prospect " + n + " Ltd").build())
                .channel(channel).consent(ConsentBasis.PROSPECT_CONSENT);
        if (channel == Channel.SALES_REP) {
            b.salesRep("rep-1");
        }
        CaptureResult result = engine.capture(b.build());
        assertThat(result).isInstanceOf(CaptureResult.Accepted.class);
        return result.acceptedReferral();
    }

    /** Moves at day {@code day} and returns the clock where it was. */
    private void move(Referral r, int day, Stage to) {
        Instant before = clock.instant();
        at(day);
        engine.transition(TransitionRequest.of(r.id(), to, TransitionCause.crm("salesforce")));
        clock.set(before);
    }

    private void reward(String id, Advocate a, RewardSource source, Incentive incentive, RewardStatus status,
            int day) {
        Instant at = T0.plus(Duration.ofDays(day));
        Reward w = new Reward(RewardId.of(id), PROGRAM, a.id(), Beneficiary.ADVOCATE, source, "rule-" + id, 1,
                "stage:won", incentive, status, at, at, at, List.of(), 1);
        engine.transactions().inTransaction(u -> {
            u.store().rewards().insert(w);
            return null;
        });
    }

    private InsightsQuery.Builder query() {
        return InsightsQuery.builder(PROGRAM, EUR);
    }

    private ProgramReport report(InsightsQuery q) {
        return insights.report(q, CENT_PER_POINT);
    }

    @Nested
    @DisplayName("over all time")
    class AllTime {
        ProgramReport r;

        @BeforeEach
        void compute() {
            r = report(query().build());
        }

        @Test
        void countsEnrolledAndReferringAdvocatesAndTheirShare() {
            assertThat(r.advocatesEnrolled()).isEqualTo(6);
            assertThat(r.referringAdvocates()).isEqualTo(3); // jane, raj, li
            assertThat(r.participation().value()).contains(new BigDecimal("0.5000"));
            assertThat(r.participation().percent()).isEqualTo("50.0%");
        }

        @Test
        void funnelCountsAReferralThatSkippedStagesInEveryStageItPassed() {
            // furthest: r1 r2 r4 r7 won, r3 contacted, r5 r6 submitted
            assertThat(r.funnel()).extracting(ProgramReport.FunnelStep::stage).containsExactly(Stage.SUBMITTED,
                    Stage.CONTACTED, Stage.MEETING_HELD, Stage.QUALIFIED, Stage.OPPORTUNITY, Stage.WON);
            assertThat(r.funnel()).extracting(ProgramReport.FunnelStep::reached).containsExactly(7L, 5L, 4L, 4L, 4L,
                    4L);
            assertThat(r.funnel().get(1).fromPrevious().value()).contains(new BigDecimal("0.7143"));
            assertThat(r.funnel().get(2).fromPrevious().value()).contains(new BigDecimal("0.8000"));
            assertThat(r.funnel().get(5).fromSubmitted().value()).contains(new BigDecimal("0.5714"));
            assertThat(r.referralToWon()).isEqualTo(Rate.of(4, 7));
        }

        @Test
        void currentStagesCoverEveryPipelineStageInOrder() {
            Map<String, Long> current = r.currentStages().stream()
                    .collect(Collectors.toMap(s -> s.stage().name(), ProgramReport.StageCount::count));
            assertThat(current).containsEntry("won", 4L).containsEntry("lost", 1L).containsEntry("rejected", 1L)
                    .containsEntry("submitted", 1L).containsEntry("contacted", 0L);
            assertThat(r.currentStages()).hasSize(8);
        }

        @Test
        void countsStageToStageMovements() {
            assertThat(r.transitions()).contains(
                    new ProgramStats.TransitionCount(Stage.SUBMITTED, Stage.CONTACTED, 2),
                    new ProgramStats.TransitionCount(Stage.SUBMITTED, Stage.WON, 2),
                    new ProgramStats.TransitionCount(Stage.CONTACTED, Stage.LOST, 1),
                    new ProgramStats.TransitionCount(Stage.QUALIFIED, Stage.WON, 1));
        }

        @Test
        void timeToWonIsTheContinuousMedianAndP90OfSubmissionToWon() {
            // 10, 20, 30, 40 days: median 25 days; p90 at position 2.7 = 30 + 0.7 * 10 = 37 days
            assertThat(r.timeToWon().count()).isEqualTo(4);
            assertThat(r.timeToWon().median()).isEqualTo(Duration.ofDays(25));
            assertThat(r.timeToWon().p90()).isEqualTo(Duration.ofDays(37));
        }

        @Test
        void revenueSumsWonDealValuesAndKeepsOtherCurrenciesApart() {
            assertThat(r.revenue()).isEqualTo(Money.of("15000", "EUR"));
            assertThat(r.revenueInOtherCurrencies()).containsExactly(Money.of("2000", "USD"));
            assertThat(r.wonWithoutDealValue()).isEqualTo(1);
        }

        @Test
        void incentiveCostValuesPointsAndMoneyByStatus() {
            ProgramReport.IncentiveCost c = r.incentiveCost();
            assertThat(c.issued()).isEqualTo(Money.of("205", "EUR")); // 500 points * 0.01 + 200 contest cash
            assertThat(c.approved()).isEqualTo(Money.of("100", "EUR"));
            assertThat(c.pending()).isEqualTo(Money.of("50", "EUR")); // the USD donation is apart
            assertThat(c.reversed()).isEqualTo(Money.of("10", "EUR")); // 1000 points clawed back
            assertThat(c.committed()).isEqualTo(Money.of("355", "EUR"));
            assertThat(c.outstandingLiability()).isEqualTo(Money.of("150", "EUR"));
            assertThat(c.committedPoints()).isEqualTo(500);
            assertThat(c.unvalued()).isEqualTo(1); // the perk
            assertThat(c.otherCurrencies()).containsExactly(Money.of("30", "USD"));
        }

        @Test
        void incentiveCostSaysWhatItsFiguresLeaveOutForWantOfAMoneyValue() {
            ProgramReport.IncentiveCost c = r.incentiveCost();
            // the fulfilled perk has no money value; the pending USD donation is in another currency
            assertThat(c.committedWithoutValue()).isEqualTo(new ProgramReport.WithoutValue(0, 1,
                    List.of(Money.of("30", "USD"))));
            assertThat(c.liabilityWithoutValue()).isEqualTo(new ProgramReport.WithoutValue(0, 0,
                    List.of(Money.of("30", "USD"))));

            ProgramReport.IncentiveCost unvaluedPoints = insights.report(query().build(),
                    Valuation.pointsUnvalued(Currency.getInstance("EUR"))).incentiveCost();
            assertThat(unvaluedPoints.committedWithoutValue().points()).isEqualTo(500);
            assertThat(unvaluedPoints.liabilityWithoutValue().points()).isZero();
            assertThat(unvaluedPoints.issued()).isEqualTo(Money.of("200", "EUR"));
        }

        @Test
        void roiIsRevenueLessCostOverCost() {
            // (15000 - 355) / 355 = 41.25352...
            assertThat(r.roi().value()).contains(new BigDecimal("41.2535"));
            assertThat(r.roi().net()).isEqualTo(Money.of("14645", "EUR"));
        }

        @Test
        void topAdvocatesAreRankedByWonReferralsAndByRevenue() {
            assertThat(r.topByWon()).extracting(ProgramReport.TopAdvocate::displayName)
                    .containsExactly("Jane Doe", "Li Wei");
            assertThat(r.topByWon().get(0).won()).isEqualTo(3);
            assertThat(r.topByWon().get(0).submitted()).isEqualTo(3);
            assertThat(r.topByRevenue()).extracting(ProgramReport.TopAdvocate::displayName)
                    .containsExactly("Jane Doe"); // Li's revenue is in USD
            assertThat(r.topByRevenue().get(0).revenue()).isEqualTo(Money.of("15000", "EUR"));
        }

        @Test
        void breaksCountsDownByChannelAndSegment() {
            assertThat(r.byChannel()).containsExactly(new ProgramStats.Breakdown("DIRECT_EMAIL", 3, 2),
                    new ProgramStats.Breakdown("REFERRAL_FORM", 2, 2), new ProgramStats.Breakdown("SALES_REP", 2, 0));
            assertThat(r.bySegment()).containsExactly(new ProgramStats.Breakdown("enterprise", 5, 4),
                    new ProgramStats.Breakdown("smb", 4, 1));
        }
    }

    @Nested
    @DisplayName("with filters")
    class Filters {
        @Test
        void aPeriodSelectsTheReferralsSubmittedInItAndTheEnrolmentsBeforeItsEnd() {
            ProgramReport r = report(query().period(ReportPeriod.of(T0, T0.plus(Duration.ofDays(31)))).build());
            assertThat(r.submitted()).isEqualTo(6); // r6 came on day 50
            assertThat(r.advocatesEnrolled()).isEqualTo(5); // late2 enrolled on day 40
            assertThat(r.advocatesEnrolledInPeriod()).isEqualTo(5);
            assertThat(r.won()).isEqualTo(4); // won later, but submitted in the period
            assertThat(r.incentiveCost().issued()).isEqualTo(Money.of("205", "EUR")); // contest reward on day 10
        }

        @Test
        void aLaterPeriodCountsEnrolmentsInItApart() {
            ProgramReport r = report(query().period(ReportPeriod.of(T0.plus(Duration.ofDays(31)),
                    T0.plus(Duration.ofDays(60)))).build());
            assertThat(r.submitted()).isEqualTo(1);
            assertThat(r.advocatesEnrolled()).isEqualTo(6);
            assertThat(r.advocatesEnrolledInPeriod()).isEqualTo(1);
            assertThat(r.participation()).isEqualTo(Rate.of(1, 6));
            assertThat(r.incentiveCost().committed()).isEqualTo(Money.of("0", "EUR"));
            assertThat(r.roi().value()).isEmpty();
        }

        @Test
        void aChannelKeepsOnlyItsReferralsAndTheirRewards() {
            ProgramReport r = report(query().channel(Channel.SALES_REP).build());
            assertThat(r.submitted()).isEqualTo(2);
            assertThat(r.won()).isZero();
            assertThat(r.incentiveCost().unvalued()).isEqualTo(1); // the perk for r3
            assertThat(r.incentiveCost().issued()).isEqualTo(Money.of("0", "EUR")); // no contest reward
        }

        @Test
        void aSegmentKeepsOnlyItsAdvocates() {
            ProgramReport r = report(query().segment("enterprise").build());
            assertThat(r.advocatesEnrolled()).isEqualTo(2);
            assertThat(r.submitted()).isEqualTo(5);
            assertThat(r.referringAdvocates()).isEqualTo(2);
        }

        @Test
        void anAdvocateKindGivesTheShareOfCustomersWhoRefer() {
            ProgramReport r = report(query().advocateKind(AdvocateKind.CUSTOMER).build());
            assertThat(r.advocatesEnrolled()).isEqualTo(5);
            assertThat(r.referringAdvocates()).isEqualTo(2);
            assertThat(r.participation().percent()).isEqualTo("40.0%");
        }

        @Test
        void aTrendHasOneReportPerPeriodWithTheSameFilters() {
            List<ReportPeriod> months = List.of(ReportPeriod.of(T0, T0.plus(Duration.ofDays(31))),
                    ReportPeriod.of(T0.plus(Duration.ofDays(31)), T0.plus(Duration.ofDays(59))));
            List<ProgramReport> trend = insights.trend(query().channel(Channel.SALES_REP).build(), months,
                    CENT_PER_POINT);
            assertThat(trend).extracting(ProgramReport::submitted).containsExactly(1L, 1L);
            assertThat(trend).extracting(t -> t.query().period()).containsExactlyElementsOf(months);
            assertThat(trend).allSatisfy(t -> assertThat(t.query().channel()).contains(Channel.SALES_REP));
        }

        @Test
        void topListsHoldAtMostTheRequestedNumber() {
            ProgramReport r = report(query().topAdvocates(1).build());
            assertThat(r.topByWon()).hasSize(1);
        }
    }

    @Test
    void anUnknownProgramIsNotFound() {
        assertThatThrownBy(() -> insights.report(InsightsQuery.builder(ProgramId.of("nope"), EUR).build(),
                CENT_PER_POINT)).isInstanceOf(NotFoundException.class);
    }

    @Test
    void theValuationMustBeInTheQuerysCurrency() {
        assertThatThrownBy(() -> insights.report(query().build(), Valuation.of(Money.of("0.01", "USD"))))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void aProgramWithoutReferralsHasUndefinedRatesNotErrors() {
        engine.defineProgram(Program.builder(ProgramId.of("empty"), "Empty", ProgramKind.PARTNER).build());
        ProgramReport r = insights.report(InsightsQuery.builder(ProgramId.of("empty"), EUR).build(), CENT_PER_POINT);
        assertThat(r.submitted()).isZero();
        assertThat(r.participation().value()).isEmpty();
        assertThat(r.referralToWon().percent()).isEqualTo("n/a");
        assertThat(r.timeToWon().isEmpty()).isTrue();
        assertThat(r.funnel()).allSatisfy(s -> assertThat(s.reached()).isZero());
    }

    @Nested
    @DisplayName("backtest")
    class Backtest {
        /** 300 points to the advocate for every won referral. */
        final CandidateRules pointsPerWin = new CandidateRules() {
            @Override
            public String name() {
                return "won-300@v1";
            }

            @Override
            public Evaluation begin(Program program) {
                return h -> h.referral().outcome().orElse(null) == Outcome.WON
                        ? List.of(new ProjectedReward(h.advocate().id(), Beneficiary.ADVOCATE, "won-300",
                                "stage:won", new Incentive.Points(300)))
                        : List.of();
            }
        };

        @Test
        void reportsWhatTheCandidateWouldHavePaidBesideWhatWasPaid() {
            BacktestReport b = insights.backtest(PROGRAM, ReportPeriod.ALL_TIME, pointsPerWin, CENT_PER_POINT);
            assertThat(b.referralsEvaluated()).isEqualTo(7);
            assertThat(b.candidate()).isEqualTo("won-300@v1");
            // projected: 4 wins * 300 points = 1200 points = 12 EUR
            assertThat(b.projected()).isEqualTo(new BacktestReport.Totals(4, 1200, Money.of("12", "EUR"), 0));
            // actual, referral rewards that were not reversed: w1 5 + w2 100 + w3 50 EUR; w5 perk and w7 USD unvalued
            assertThat(b.actual()).isEqualTo(new BacktestReport.Totals(5, 500, Money.of("155", "EUR"), 2));
            assertThat(b.difference()).isEqualTo(Money.of("-143", "EUR"));
        }

        @Test
        void comparesPerAdvocate() {
            BacktestReport b = insights.backtest(PROGRAM, ReportPeriod.ALL_TIME, pointsPerWin, CENT_PER_POINT);
            Map<String, BacktestReport.AdvocateComparison> by = b.advocates().stream()
                    .collect(Collectors.toMap(c -> c.advocateId().value(), c -> c));
            assertThat(by.get(jane.id().value()).actual().value()).isEqualTo(Money.of("155", "EUR"));
            assertThat(by.get(jane.id().value()).projected().points()).isEqualTo(900);
            assertThat(by.get(li.id().value()).projected().points()).isEqualTo(300);
            assertThat(by.get(raj.id().value()).projected().rewards()).isZero();
            assertThat(by.get(raj.id().value()).actual().unvalued()).isEqualTo(1);
        }

        @Test
        void writesNothing() {
            int rewardsBefore = store.inTransaction(tx -> tx.rewards().ofAdvocate(jane.id()).size());
            insights.backtest(PROGRAM, ReportPeriod.ALL_TIME, pointsPerWin, CENT_PER_POINT);
            int rewardsAfter = store.inTransaction(tx -> tx.rewards().ofAdvocate(jane.id()).size());
            long balance = store.inTransaction(tx -> tx.ledger().balance(jane.id()));
            List<LedgerEntry> ledger = store.inTransaction(tx -> tx.ledger().entries(jane.id()));
            assertThat(rewardsAfter).isEqualTo(rewardsBefore);
            assertThat(balance).isZero();
            assertThat(ledger).isEmpty();
        }

        @Test
        void evaluatesOnlyReferralsSubmittedInThePeriod() {
            BacktestReport b = insights.backtest(PROGRAM,
                    ReportPeriod.of(T0.plus(Duration.ofDays(45)), T0.plus(Duration.ofDays(60))), pointsPerWin,
                    CENT_PER_POINT);
            assertThat(b.referralsEvaluated()).isEqualTo(1);
            assertThat(b.projected().rewards()).isZero();
        }
    }
}
