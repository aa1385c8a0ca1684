package io.referrals.rules;

import static org.assertj.core.api.Assertions.assertThat;

import io.referrals.core.CaptureRequest;
import io.referrals.core.CaptureResult;
import io.referrals.core.eligibility.Signals;
import io.referrals.core.event.RewardRejected;
import io.referrals.core.model.Advocate;
import io.referrals.core.model.AdvocateKind;
import io.referrals.core.model.Channel;
import io.referrals.core.model.ConsentBasis;
import io.referrals.core.model.Prospect;
import io.referrals.core.model.Reason;
import io.referrals.core.model.Referral;
import io.referrals.core.model.ReviewStatus;
import io.referrals.core.model.Reward;
import io.referrals.core.model.RewardStatus;
import io.referrals.core.model.Seniority;
import io.referrals.rules.result.ProcessReport;
import io.referrals.rules.result.RuleOutcome;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

@DisplayName("Rewards of a referral flagged for review are held until the review")
class ReviewHoldsEndToEndTest {
    private static final Signals SHARED = Signals.ip("203.0.113.7");

    private final Fixture f = new Fixture(b -> { }, Fixture.load("review-holds.yaml"));
    private final Advocate ann = f.advocate("ann", AdvocateKind.CUSTOMER, Fixture.CUSTOMERS);

    private Referral flagged() {
        CaptureResult r = f.engine.capture(request(f.prospect(Seniority.MANAGER, "IT", Map.of()))
                .signals(SHARED).advocateSignals(SHARED).build());
        Referral referral = r.acceptedReferral();
        assertThat(referral.review()).isEqualTo(ReviewStatus.FLAGGED);
        return referral;
    }

    private CaptureRequest.Builder request(Prospect prospect) {
        return CaptureRequest.builder().advocate(ann.id()).program(Fixture.CUSTOMERS).prospect(prospect)
                .channel(Channel.REFERRAL_FORM).consent(ConsentBasis.ADVOCATE_INTRODUCTION);
    }

    private static List<String> codes(Reward r) {
        return r.explanation().stream().map(Reason::code).toList();
    }

    @Test
    void rewardsEarnedAtCaptureAndAtMilestonesWhileFlaggedStayPendingAndUncredited() {
        Referral r = flagged();
        f.move(r, "contacted", "qualified");

        List<Reward> rewards = f.rewards.rewardsOf(r.id());
        assertThat(rewards).hasSize(3).allMatch(x -> x.status() == RewardStatus.PENDING)
                .allMatch(x -> codes(x).contains("review_pending"));
        f.clock.advance(Duration.ofDays(40));
        ProcessReport report = f.rewards.processDue();

        assertThat(report.approved()).isZero();
        assertThat(report.deferred()).isEqualTo(3);
        assertThat(f.rewards.rewardsOf(r.id())).allMatch(x -> x.status() == RewardStatus.PENDING);
        assertThat(f.rewards.balance(ann.id())).isZero();
        assertThat(f.rewards.explain(r.id())).filteredOn(o -> !o.rewards().isEmpty())
                .allMatch(o -> o.status() == RuleOutcome.Status.HELD)
                .allMatch(o -> o.reasons().stream().anyMatch(x -> x.code().equals("review_pending")));
    }

    @Test
    void approvingTheReferralPaysWhatWasHeldAndLaterMilestonesAsUsual() {
        Referral r = flagged();
        f.move(r, "contacted");

        f.engine.approveReferral(r.id(), "reviewer-1", "");

        assertThat(f.rewards.rewardsOf(r.id())).allMatch(x -> x.status() == RewardStatus.FULFILLED)
                .allMatch(x -> codes(x).contains("review_cleared"));
        assertThat(f.rewards.balance(ann.id())).isEqualTo(300);
        f.move(r, "qualified");
        assertThat(f.rewards.balance(ann.id())).isEqualTo(500);
    }

    @Test
    void approvalRespectsTheHoldingPeriodCountedFromWhenTheRewardWasEarned() {
        Referral r = flagged();
        f.move(r, "contacted", "qualified", "won");
        f.clock.advance(Duration.ofDays(10));
        f.rewards.processDue();

        f.engine.approveReferral(r.id(), "reviewer-1", "looks fine");
        assertThat(f.rewards.balance(ann.id())).isEqualTo(500);
        Reward customer = f.rewards.rewardsOf(r.id()).stream().filter(x -> x.ruleId().equals("customer-reward"))
                .findFirst().orElseThrow();
        assertThat(customer.status()).isEqualTo(RewardStatus.PENDING);
        assertThat(customer.holdUntil()).isEqualTo(customer.createdAt().plus(Duration.ofDays(30)));

        f.clock.advance(Duration.ofDays(19));
        assertThat(f.rewards.processDue().approved()).isZero();
        f.clock.advance(Duration.ofDays(1));
        assertThat(f.rewards.processDue().approved()).isEqualTo(1);
        assertThat(f.rewards.balance(ann.id())).isEqualTo(1500);
    }

    @Test
    void denyingTheReferralRejectsWhatWasHeldReleasesTheLimitsAndLeavesTheBalanceUnchanged() {
        Referral r = flagged();
        f.move(r, "contacted", "qualified", "won");
        // the monthly limit of one 'welcome' reward is taken by the held reward
        Referral second = f.refer(ann, Fixture.CUSTOMERS);
        assertThat(f.rewards.rewardsOf(second.id())).isEmpty();

        f.engine.denyReferral(r.id(), "reviewer-1", "same household");

        assertThat(f.rewards.rewardsOf(r.id())).hasSize(4).allMatch(x -> x.status() == RewardStatus.REJECTED)
                .allMatch(x -> codes(x).contains("referral_denied"));
        assertThat(f.events).filteredOn(e -> e instanceof RewardRejected).hasSize(4);
        assertThat(f.rewards.balance(ann.id())).isZero();
        f.clock.advance(Duration.ofDays(40));
        assertThat(f.rewards.processDue().approved()).isZero();
        assertThat(f.rewards.balance(ann.id())).isZero();
        Referral third = f.refer(ann, Fixture.CUSTOMERS);
        assertThat(f.rewards.rewardsOf(third.id())).extracting(Reward::ruleId).containsExactly("welcome");
        assertThat(f.rewards.explain(r.id())).allMatch(o -> o.status() == RuleOutcome.Status.REJECTED)
                .allMatch(o -> o.reasons().stream().anyMatch(x -> x.code().equals("referral_denied")
                        || x.code().equals("referral_rejected")));
    }

    @Test
    void aReferralRejectedAtCaptureEarnsNothingAndTheExplanationSaysWhy() {
        CaptureResult result = f.engine.capture(request(Prospect.builder().fullName("Ann Again").company("Example Inc")
                .email("ann+again@example.com").build()).build());

        assertThat(result).isInstanceOf(CaptureResult.Rejected.class);
        Referral r = ((CaptureResult.Rejected) result).referral();
        assertThat(f.rewards.rewardsOf(r.id())).isEmpty();
        List<RuleOutcome> why = f.rewards.explain(r.id());
        RuleOutcome welcome = why.stream().filter(o -> o.ruleId().equals("welcome")).findFirst().orElseThrow();
        assertThat(welcome.status()).isEqualTo(RuleOutcome.Status.REJECTED);
        assertThat(welcome.reasons()).extracting(Reason::code).containsExactly("referral_rejected");
        assertThat(welcome.reasons().get(0).text()).doesNotContain("ann+again");
        assertThat(why).allMatch(o -> o.reasons().get(0).code().equals("referral_rejected"));
    }

    @Test
    void aReferralFlaggedAfterItsRewardsWereEarnedHasThemHeldByTheScheduledRun() {
        Referral r = f.refer(ann, Fixture.CUSTOMERS);
        f.move(r, "contacted", "qualified", "won");
        // what the engine does when a later referral takes over the prospect: the earlier referral is flagged
        f.engine.transactions().inTransaction(w -> {
            Referral current = w.store().referrals().get(r.id()).orElseThrow();
            return w.store().referrals().update(current.toBuilder().review(ReviewStatus.FLAGGED)
                    .version(current.version() + 1).build());
        });
        f.clock.advance(Duration.ofDays(31));

        ProcessReport report = f.rewards.processDue();

        assertThat(report.approved()).isZero();
        assertThat(report.deferred()).isEqualTo(1);
        Reward customer = f.rewards.rewardsOf(r.id()).stream().filter(x -> x.ruleId().equals("customer-reward"))
                .findFirst().orElseThrow();
        assertThat(customer.status()).isEqualTo(RewardStatus.PENDING);
        assertThat(codes(customer)).contains("review_pending");
        f.engine.approveReferral(r.id(), "reviewer-1", "");
        assertThat(f.rewards.balance(ann.id())).isEqualTo(1500);
    }
}
