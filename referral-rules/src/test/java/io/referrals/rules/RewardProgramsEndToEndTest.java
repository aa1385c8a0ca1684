package io.referrals.rules;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

import io.referrals.core.AdvocateRegistration;
import io.referrals.core.CaptureRequest;
import io.referrals.core.CaptureResult;
import io.referrals.core.eligibility.Signals;
import io.referrals.core.event.ContestEnded;
import io.referrals.core.model.Advocate;
import io.referrals.core.model.AdvocateKind;
import io.referrals.core.model.Beneficiary;
import io.referrals.core.model.Channel;
import io.referrals.core.model.ConsentBasis;
import io.referrals.core.model.Incentive;
import io.referrals.core.model.LedgerEntry;
import io.referrals.core.model.Money;
import io.referrals.core.model.Prospect;
import io.referrals.core.model.Reason;
import io.referrals.core.model.Referral;
import io.referrals.core.model.ReviewStatus;
import io.referrals.core.model.Reward;
import io.referrals.core.model.RewardStatus;
import io.referrals.core.model.Seniority;
import io.referrals.core.model.Stage;
import io.referrals.rules.definition.Give;
import io.referrals.rules.definition.Rule;
import io.referrals.rules.definition.RuleSet;
import io.referrals.rules.definition.Trigger;
import io.referrals.rules.internal.Replays;
import io.referrals.rules.result.ContestResult;
import io.referrals.rules.result.ProcessReport;
import io.referrals.rules.result.RedemptionResult;
import io.referrals.rules.result.RuleOutcome;
import io.referrals.rules.result.Standing;
import io.referrals.rules.spi.RewardApprover;
import io.referrals.rules.spi.RewardFulfiller;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

@DisplayName("Reward programs from rule files, end to end")
class RewardProgramsEndToEndTest {

    private static long points(List<Reward> rewards, String ruleId) {
        return rewards.stream().filter(r -> r.ruleId().equals(ruleId))
                .mapToLong(r -> ((Incentive.Points) r.incentive()).points()).sum();
    }

    @Nested
    @DisplayName("points per milestone, twice when won, and an ideal-customer-profile bonus")
    class Milestones {
        final Fixture f = new Fixture(Fixture.load("milestones.yaml"));

        @Test
        void aDirectorLevelReferralEarnsTheBonusAndPointsAtEveryMilestoneAndDoubleWhenWon() {
            Advocate a = f.advocate("ann", AdvocateKind.CUSTOMER, Fixture.CUSTOMERS);
            Referral r = f.refer(a, Fixture.CUSTOMERS, f.prospect(Seniority.DIRECTOR, "Finance", Map.of()));
            f.move(r, "contacted", "meeting_held", "qualified", "opportunity", "won");

            List<Reward> rewards = f.rewards.rewardsOf(r.id());
            assertThat(points(rewards, "icp-bonus")).isEqualTo(500);
            assertThat(points(rewards, "milestone-points")).isEqualTo(400);
            assertThat(points(rewards, "customer-double")).isEqualTo(200);
            assertThat(rewards).allMatch(x -> x.status() == RewardStatus.FULFILLED);
            assertThat(f.rewards.balance(a.id())).isEqualTo(1100);
            Reward doubled = rewards.stream().filter(x -> x.ruleId().equals("customer-double")).findFirst()
                    .orElseThrow();
            assertThat(doubled.explanation()).extracting(Reason::code).contains("trigger", "multiplier");
            assertThat(doubled.ruleVersion()).isEqualTo(1);
        }

        @Test
        void customerSuccessOrSalesforceProspectsEarnTheBonusToo() {
            Advocate a = f.advocate("bob", AdvocateKind.CUSTOMER, Fixture.CUSTOMERS);
            Referral cs = f.refer(a, Fixture.CUSTOMERS, f.prospect(Seniority.MANAGER, "customer success", Map.of()));
            Referral sf = f.refer(a, Fixture.CUSTOMERS, f.prospect(Seniority.MANAGER, "IT",
                    Map.of("crm", "Salesforce")));
            assertThat(points(f.rewards.rewardsOf(cs.id()), "icp-bonus")).isEqualTo(500);
            assertThat(points(f.rewards.rewardsOf(sf.id()), "icp-bonus")).isEqualTo(500);
        }

        @Test
        void aReferralOutsideTheProfileEarnsNoBonusAndTheExplanationSaysWhich() {
            Advocate a = f.advocate("cid", AdvocateKind.CUSTOMER, Fixture.CUSTOMERS);
            Referral r = f.refer(a, Fixture.CUSTOMERS);
            assertThat(f.rewards.rewardsOf(r.id())).isEmpty();

            List<RuleOutcome> why = f.rewards.explain(r.id());
            RuleOutcome bonus = why.stream().filter(o -> o.ruleId().equals("icp-bonus")).findFirst().orElseThrow();
            assertThat(bonus.status()).isEqualTo(RuleOutcome.Status.CONDITION_FAILED);
            assertThat(bonus.reasons()).extracting(Reason::code).contains("condition_not_met");
            assertThat(bonus.reasons()).allMatch(x -> !x.text().contains("Prospect 1"));
            assertThat(why.stream().filter(o -> o.ruleId().equals("customer-double")).findFirst().orElseThrow()
                    .status()).isEqualTo(RuleOutcome.Status.NOT_REACHED);
        }

        @Test
        void replayingAMilestoneNeverPaysItTwice() {
            Advocate a = f.advocate("dee", AdvocateKind.CUSTOMER, Fixture.CUSTOMERS);
            Referral r = f.refer(a, Fixture.CUSTOMERS);
            f.move(r, "contacted");
            Referral current = f.engine.referral(r.id()).orElseThrow();
            List<RuleOutcome> replays = f.engine.transactions().inTransaction(w -> List.of(Replays.replayStage(
                    f.rewardsEngine.book(), w, f.engine.program(Fixture.CUSTOMERS).orElseThrow(), a, current,
                    "milestone-points", Stage.of("contacted"))));
            assertThat(replays.get(0).status()).isEqualTo(RuleOutcome.Status.DUPLICATE);
            assertThat(f.rewards.balance(a.id())).isEqualTo(100);
        }
    }

    @Nested
    @DisplayName("a one-hour contest with a top-three prize and a limited challenge")
    class OneHourContest {
        final Fixture f = new Fixture(Fixture.load("contest.yaml"));

        @Test
        void theTopThreeGetFiveThousandPointsOnceWithTiesGoingToTheEarlierAchiever() {
            Advocate ann = f.advocate("ann", AdvocateKind.CUSTOMER, Fixture.CUSTOMERS);
            Advocate bob = f.advocate("bob", AdvocateKind.CUSTOMER, Fixture.CUSTOMERS);
            Advocate cid = f.advocate("cid", AdvocateKind.CUSTOMER, Fixture.CUSTOMERS);
            Advocate dee = f.advocate("dee", AdvocateKind.CUSTOMER, Fixture.CUSTOMERS);
            f.refer(bob, Fixture.CUSTOMERS);
            f.clock.advance(Duration.ofMinutes(5));
            f.refer(bob, Fixture.CUSTOMERS);
            f.refer(ann, Fixture.CUSTOMERS);
            f.clock.advance(Duration.ofMinutes(5));
            f.refer(ann, Fixture.CUSTOMERS);
            f.refer(ann, Fixture.CUSTOMERS);
            f.refer(dee, Fixture.CUSTOMERS);
            f.clock.advance(Duration.ofMinutes(5));
            f.refer(cid, Fixture.CUSTOMERS);
            f.clock.advance(Duration.ofMinutes(50));
            f.refer(cid, Fixture.CUSTOMERS); // after the contest: not counted

            assertThat(f.rewards.endContest(Fixture.CUSTOMERS, "power-hour")).isInstanceOf(ContestResult.Ended.class);
            ContestResult again = f.rewards.endContest(Fixture.CUSTOMERS, "power-hour");

            assertThat(f.rewards.balance(ann.id())).isEqualTo(5000);
            assertThat(f.rewards.balance(bob.id())).isEqualTo(5000);
            assertThat(f.rewards.balance(dee.id())).isEqualTo(5000);
            assertThat(f.rewards.balance(cid.id())).isZero();
            assertThat(again).isInstanceOf(ContestResult.AlreadyEnded.class);
            assertThat(((ContestResult.AlreadyEnded) again).prizes()).extracting(Reward::advocateId)
                    .containsExactly(ann.id(), bob.id(), dee.id());
            assertThat(f.events.stream().filter(e -> e instanceof ContestEnded)).hasSize(1);
        }

        @Test
        @DisplayName("referrals the eligibility checks rejected, denied in review or still waiting for review do "
                + "not count, so a self-referrer does not win")
        void rejectedDeniedAndUnreviewedReferralsDoNotCount() {
            Advocate cheat = f.advocate("cheat", AdvocateKind.CUSTOMER, Fixture.CUSTOMERS);
            Advocate ann = f.advocate("ann", AdvocateKind.CUSTOMER, Fixture.CUSTOMERS);
            for (int i = 1; i <= 4; i++) {
                // the advocate's own address: a self-referral, rejected at capture
                CaptureResult own = f.engine.capture(CaptureRequest.builder().advocate(cheat.id())
                        .program(Fixture.CUSTOMERS).prospect(Prospect.builder().fullName("Me " + i)
                                .email("cheat+" + i + "@example.com").company("Example Inc").build())
                        .channel(Channel.REFERRAL_FORM).consent(ConsentBasis.ADVOCATE_INTRODUCTION).build());
                assertThat(own).isInstanceOf(CaptureResult.Rejected.class);
            }
            Signals shared = Signals.ip("203.0.113.7");
            List<Referral> flagged = new ArrayList<>();
            for (int i = 0; i < 3; i++) {
                // the prospect submitted from the advocate's own machine: flagged for review
                CaptureResult r = f.engine.capture(CaptureRequest.builder().advocate(cheat.id())
                        .program(Fixture.CUSTOMERS).prospect(f.prospect(Seniority.MANAGER, "IT", Map.of()))
                        .channel(Channel.REFERRAL_FORM).consent(ConsentBasis.ADVOCATE_INTRODUCTION)
                        .signals(shared).advocateSignals(shared).build());
                assertThat(r.acceptedReferral().review()).isEqualTo(ReviewStatus.FLAGGED);
                flagged.add(r.acceptedReferral());
            }
            f.engine.denyReferral(flagged.get(0).id(), "reviewer-1", "same household");
            f.engine.denyReferral(flagged.get(1).id(), "reviewer-1", "same household");
            f.clock.advance(Duration.ofMinutes(5));
            f.refer(ann, Fixture.CUSTOMERS);
            f.refer(ann, Fixture.CUSTOMERS);

            assertThat(f.rewards.leaderboard(Fixture.CUSTOMERS, "power-hour"))
                    .extracting(Standing::advocateId, Standing::score).containsExactly(tuple(ann.id(), 2L));
            f.clock.advance(Duration.ofHours(1));
            ContestResult result = f.rewards.endContest(Fixture.CUSTOMERS, "power-hour");

            assertThat(((ContestResult.Ended) result).prizes()).extracting(Reward::advocateId)
                    .containsExactly(ann.id());
            assertThat(f.rewards.balance(cheat.id())).isZero();
            assertThat(f.rewards.balance(ann.id())).isEqualTo(5000);
        }

        @Test
        void aContestCannotEndBeforeItsTime() {
            assertThat(f.rewards.endContest(Fixture.CUSTOMERS, "power-hour"))
                    .isEqualTo(new ContestResult.NotOver(Instant.parse("2026-03-02T10:00:00Z")));
        }

        @Test
        void onlyTheFirstTwoAdvocatesCompleteTheChallengeAndEachOnlyOnce() {
            Advocate ann = f.advocate("ann", AdvocateKind.CUSTOMER, Fixture.CUSTOMERS);
            Advocate bob = f.advocate("bob", AdvocateKind.CUSTOMER, Fixture.CUSTOMERS);
            Advocate cid = f.advocate("cid", AdvocateKind.CUSTOMER, Fixture.CUSTOMERS);
            assertThat(f.rewards.recordEvent(ann.id(), Fixture.CUSTOMERS, "quiz_completed", "e1").get(0).status())
                    .isEqualTo(RuleOutcome.Status.PAID);
            assertThat(f.rewards.recordEvent(ann.id(), Fixture.CUSTOMERS, "quiz_completed", "e2").get(0).status())
                    .isEqualTo(RuleOutcome.Status.DUPLICATE);
            assertThat(f.rewards.recordEvent(bob.id(), Fixture.CUSTOMERS, "quiz_completed", "e3").get(0).status())
                    .isEqualTo(RuleOutcome.Status.PAID);
            RuleOutcome late = f.rewards.recordEvent(cid.id(), Fixture.CUSTOMERS, "quiz_completed", "e4").get(0);
            assertThat(late.status()).isEqualTo(RuleOutcome.Status.CAP_REACHED);
            assertThat(late.reasons()).extracting(Reason::code).contains("cap_reached");
            assertThat(f.rewards.balance(cid.id())).isZero();
        }
    }

    @Nested
    @DisplayName("a dual-sided incentive: points for the advocate, a discount code or trial for the referred party")
    class DualSided {
        final AtomicInteger calls = new AtomicInteger();
        final Fixture f = new Fixture(b -> b.fulfiller(req -> calls.incrementAndGet() == 1
                ? RewardFulfiller.Result.failed("billing unavailable")
                : new RewardFulfiller.Result.Fulfilled(req.discountPool().isEmpty() ? "" : req.discountPool()
                        + "-" + req.reward().id().value().substring(0, 6))), Fixture.load("dual-sided.json"));

        @Test
        void bothSidesGetTheirIncentiveAndTheCodeIsIssuedThroughTheFulfillerWithRetry() {
            Advocate a = f.advocate("ann", AdvocateKind.CUSTOMER, Fixture.CUSTOMERS);
            Referral r = f.refer(a, Fixture.CUSTOMERS);
            f.move(r, "qualified", "won");
            List<Reward> rewards = f.rewards.rewardsOf(r.id());
            assertThat(rewards).filteredOn(x -> x.beneficiary() == Beneficiary.REFERRED_PARTY)
                    .extracting(Reward::status).containsOnly(RewardStatus.APPROVED);
            assertThat(f.rewards.balance(a.id())).isEqualTo(1050);

            ProcessReport first = f.rewards.processDue();
            ProcessReport atOnce = f.rewards.processDue();
            f.clock.advance(Duration.ofHours(1));
            ProcessReport second = f.rewards.processDue();

            assertThat(first.failed()).isEqualTo(1);
            assertThat(atOnce.fulfilled() + atOnce.failed()).as("a failed attempt is retried after a backoff")
                    .isZero();
            assertThat(first.fulfilled() + second.fulfilled()).isEqualTo(2);
            Reward discount = f.rewards.rewardsOf(r.id()).stream()
                    .filter(x -> x.incentive() instanceof Incentive.Discount).findFirst().orElseThrow();
            assertThat(discount.status()).isEqualTo(RewardStatus.FULFILLED);
            assertThat(((Incentive.Discount) discount.incentive()).code()).startsWith("WELCOME-");
            assertThat(f.rewards.rewardsOf(r.id())).filteredOn(x -> x.incentive() instanceof Incentive.Perk)
                    .extracting(Reward::status).containsExactly(RewardStatus.FULFILLED);
        }
    }

    @Nested
    @DisplayName("a partner program paying a percentage of deal value with a yearly cap per partner")
    class PartnerCommission {
        final Fixture f = new Fixture(Fixture.load("partners.yaml"));

        Advocate partner(String id) {
            return f.advocate(AdvocateRegistration.of(id, "Partner " + id, id + "@reseller.example",
                    AdvocateKind.PARTNER).withAccount("reseller-1", "Reseller", "reseller.example"), Fixture.PARTNERS);
        }

        @Test
        void commissionsStopAtTheYearlyCapOfThePartnerAccount() {
            Advocate one = partner("p1");
            Advocate two = partner("p2");
            Referral a = f.refer(one, Fixture.PARTNERS);
            f.dealValue(a, "60000.00", "USD");
            f.move(a, "won");
            Referral b = f.refer(two, Fixture.PARTNERS);
            f.dealValue(b, "80000.00", "USD");
            f.move(b, "won");
            Referral c = f.refer(one, Fixture.PARTNERS);
            f.dealValue(c, "5000.00", "USD");
            f.move(c, "won");

            assertThat(f.rewards.rewardsOf(a.id())).extracting(Reward::incentive)
                    .containsExactly(new Incentive.Cash(Money.of("6000.00", "USD"), false));
            Reward trimmed = f.rewards.rewardsOf(b.id()).get(0);
            assertThat(trimmed.incentive()).isEqualTo(new Incentive.Cash(Money.of("4000.00", "USD"), false));
            assertThat(trimmed.explanation()).extracting(Reason::code).contains("cap_partially_applied");
            assertThat(f.rewards.rewardsOf(c.id())).isEmpty();
            assertThat(f.rewards.explain(c.id()).get(0).status()).isEqualTo(RuleOutcome.Status.CAP_REACHED);
        }

        @Test
        void withoutADealValueNothingIsPaidAndTheExplanationSaysSo() {
            Advocate one = partner("p3");
            Referral a = f.refer(one, Fixture.PARTNERS);
            f.move(a, "won");
            assertThat(f.rewards.rewardsOf(a.id())).isEmpty();
            assertThat(f.rewards.explain(a.id()).get(0).reasons()).extracting(Reason::code)
                    .contains("deal_value_missing");
        }
    }

    @Nested
    @DisplayName("a reward held 30 days and clawed back on refund")
    class HoldAndClawback {
        final Fixture f = new Fixture(Fixture.load("refund-hold.yaml"));
        final Reason refunded = Reason.of("refunded", "The deal was refunded.");

        @Test
        void aRefundDuringTheHoldReversesTheRewardBeforeAnyPointIsCredited() {
            Advocate a = f.advocate("ann", AdvocateKind.CUSTOMER, Fixture.CUSTOMERS);
            Referral r = f.refer(a, Fixture.CUSTOMERS);
            f.move(r, "won");
            Reward held = f.rewards.rewardsOf(r.id()).get(0);
            assertThat(held.status()).isEqualTo(RewardStatus.PENDING);
            assertThat(held.holdUntil()).isEqualTo(held.createdAt().plus(Duration.ofDays(30)));
            assertThat(f.rewards.explain(r.id()).get(0).status()).isEqualTo(RuleOutcome.Status.HELD);
            f.clock.advance(Duration.ofDays(10));
            assertThat(f.rewards.processDue().approved()).isZero();

            assertThat(f.rewards.reverse(r.id(), refunded)).hasSize(1);
            f.clock.advance(Duration.ofDays(30));
            f.rewards.processDue();

            assertThat(f.rewards.rewardsOf(r.id()).get(0).status()).isEqualTo(RewardStatus.REVERSED);
            assertThat(f.rewards.balance(a.id())).isZero();
            assertThat(f.rewards.ledger(a.id())).isEmpty();
        }

        @Test
        void aRefundAfterApprovalIsTakenBackByACompensatingEntryNeverBelowZero() {
            Advocate a = f.advocate("bob", AdvocateKind.CUSTOMER, Fixture.CUSTOMERS);
            Referral r = f.refer(a, Fixture.CUSTOMERS);
            f.move(r, "won");
            f.clock.advance(Duration.ofDays(31));
            assertThat(f.rewards.processDue().approved()).isEqualTo(1);
            assertThat(f.rewards.balance(a.id())).isEqualTo(2000);
            f.clock.advance(Duration.ofHours(1));
            assertThat(f.rewards.redeem(a.id(), Fixture.CUSTOMERS, "gift-card-50", "r-1"))
                    .isInstanceOf(RedemptionResult.Redeemed.class);
            assertThat(f.rewards.redeem(a.id(), Fixture.CUSTOMERS, "gift-card-50", "r-1"))
                    .matches(x -> ((RedemptionResult.Redeemed) x).replayed());

            f.clock.advance(Duration.ofDays(9));
            List<Reward> reversed = f.rewards.reverse(r.id(), refunded);

            assertThat(reversed).hasSize(1);
            assertThat(reversed.get(0).explanation()).extracting(Reason::code).contains("refunded",
                    "clawback_partial");
            assertThat(f.rewards.ledger(a.id())).extracting(LedgerEntry::kind, LedgerEntry::points).containsExactly(
                    org.assertj.core.groups.Tuple.tuple(LedgerEntry.Kind.EARNED, 2000L),
                    org.assertj.core.groups.Tuple.tuple(LedgerEntry.Kind.REDEEMED, -1500L),
                    org.assertj.core.groups.Tuple.tuple(LedgerEntry.Kind.REVERSED, -500L));
            assertThat(f.rewards.balance(a.id())).isZero();
            assertThat(f.rewards.reverse(r.id(), refunded)).isEmpty();
        }

        @Test
        void aHostVetoRejectsTheRewardWhenTheHoldEnds() {
            Fixture vetoing = new Fixture(b -> b.approver(rw -> RewardApprover.Verdict.reject("fraud_review",
                    "Your reward did not pass review.")), Fixture.load("refund-hold.yaml"));
            Advocate a = vetoing.advocate("cid", AdvocateKind.CUSTOMER, Fixture.CUSTOMERS);
            Referral r = vetoing.refer(a, Fixture.CUSTOMERS);
            vetoing.move(r, "won");
            vetoing.clock.advance(Duration.ofDays(31));
            assertThat(vetoing.rewards.processDue().rejected()).isEqualTo(1);
            assertThat(vetoing.rewards.explain(r.id()).get(0).status()).isEqualTo(RuleOutcome.Status.REJECTED);
        }
    }

    @Nested
    @DisplayName("rule versions are pinned per referral at submission")
    class Versions {
        RuleSet version(int v, String effectiveFrom, long points, boolean migrates) {
            RuleSet.Builder b = RuleSet.builder(Fixture.CUSTOMERS, v).effectiveFrom(Instant.parse(effectiveFrom))
                    .rule(Rule.builder("won").when(Trigger.stageReached(Stage.WON))
                            .advocate(Give.points(points)).build());
            if (migrates) {
                b.migratesInFlight();
            }
            return b.build();
        }

        @Test
        void aReferralKeepsTheVersionInForceWhenSubmittedUnlessALaterVersionMigratesIt() {
            Fixture f = new Fixture(version(1, "2026-01-01T00:00:00Z", 100, false),
                    version(2, "2026-03-10T00:00:00Z", 300, false), version(3, "2026-04-01T00:00:00Z", 700, true));
            Advocate a = f.advocate("ann", AdvocateKind.CUSTOMER, Fixture.CUSTOMERS);
            Referral early = f.refer(a, Fixture.CUSTOMERS);
            f.clock.set(Instant.parse("2026-03-15T00:00:00Z"));
            Referral later = f.refer(a, Fixture.CUSTOMERS);
            Referral inFlight = f.refer(a, Fixture.CUSTOMERS);
            f.move(early, "won");
            f.move(later, "won");
            f.clock.set(Instant.parse("2026-04-02T00:00:00Z"));
            f.move(inFlight, "won");

            assertThat(f.rewards.rewardsOf(early.id()).get(0)).extracting(Reward::ruleVersion).isEqualTo(1);
            assertThat(points(f.rewards.rewardsOf(early.id()), "won")).isEqualTo(100);
            assertThat(points(f.rewards.rewardsOf(later.id()), "won")).isEqualTo(300);
            assertThat(points(f.rewards.rewardsOf(inFlight.id()), "won")).isEqualTo(700);
        }
    }
}
