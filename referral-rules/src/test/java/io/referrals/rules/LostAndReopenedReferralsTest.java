package io.referrals.rules;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;
import static org.assertj.core.api.Assertions.tuple;

import io.referrals.core.TransitionRequest;
import io.referrals.core.event.RewardEarned;

import io.referrals.core.model.Advocate;
import io.referrals.core.model.AdvocateKind;
import io.referrals.core.model.CrmStageMapping;
import io.referrals.core.model.Incentive;
import io.referrals.core.model.LedgerEntry;
import io.referrals.core.model.Program;
import io.referrals.core.model.ProgramKind;
import io.referrals.core.model.ProgramStatus;
import io.referrals.core.model.Reason;
import io.referrals.core.model.Referral;
import io.referrals.core.model.Reward;
import io.referrals.core.model.RewardStatus;
import io.referrals.core.model.Stage;
import io.referrals.core.model.StagePipeline;
import io.referrals.core.model.TransitionCause;
import io.referrals.rules.definition.Rule;
import io.referrals.rules.file.RuleFileException;
import io.referrals.rules.file.RuleFiles;
import io.referrals.rules.result.RuleOutcome;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

@DisplayName("Lost and reopened referrals")
class LostAndReopenedReferralsTest {

    /** The customer program with a pipeline that lets a lost referral come back to qualified or opportunity. */
    static Program reopenableCustomers() {
        return Program.builder(Fixture.CUSTOMERS, "Customer referrals", ProgramKind.CUSTOMER)
                .status(ProgramStatus.ACTIVE).crmMapping(CrmStageMapping.standard())
                .pipeline(StagePipeline.b2bDefault().toBuilder().reopen("lost", "qualified", "opportunity").build())
                .build();
    }

    private static RuleOutcome outcome(List<RuleOutcome> outcomes, String ruleId) {
        return outcomes.stream().filter(o -> o.ruleId().equals(ruleId)).findFirst().orElseThrow();
    }

    private static String last(RuleOutcome o) {
        return o.reasons().get(o.reasons().size() - 1).text();
    }

    @Nested
    @DisplayName("explaining a lost referral")
    class Explaining {

        @Test
        @DisplayName("a milestone it will not reach says it was lost, at which stage and when, and that the program "
                + "pays nothing for it, never that it has not reached the stage yet")
        void lostNotYet() {
            Fixture f = new Fixture(Fixture.load("milestones.yaml"));
            Advocate a = f.advocate("ann", AdvocateKind.CUSTOMER, Fixture.CUSTOMERS);
            Referral r = f.refer(a, Fixture.CUSTOMERS);
            f.move(r, "contacted", "meeting_held");
            f.clock.advance(Duration.ofDays(3));
            f.move(r, "lost");

            RuleOutcome won = outcome(f.rewards.explain(r.id()), "customer-double");

            assertThat(won.status()).isEqualTo(RuleOutcome.Status.NOT_REACHED);
            assertThat(won.reasons()).extracting(Reason::code).containsExactly("referral_lost");
            assertThat(last(won)).isEqualTo("Your referral was lost at 'meeting_held' on 2026-03-05, before "
                    + "reaching 'won': the program pays nothing for it.");
            assertThat(last(won)).doesNotContain("yet");
            // the milestones it did reach still show what they paid
            assertThat(outcome(f.rewards.explain(r.id()), "milestone-points").status())
                    .isEqualTo(RuleOutcome.Status.PAID);
        }

        @Test
        @DisplayName("where the pipeline lets a lost referral be reopened, it adds: unless it is reopened")
        void lostUnlessReopened() {
            Fixture f = new Fixture(Fixture.load("milestones.yaml"));
            f.engine.defineProgram(reopenableCustomers());
            Advocate a = f.advocate("ann", AdvocateKind.CUSTOMER, Fixture.CUSTOMERS);
            Referral r = f.refer(a, Fixture.CUSTOMERS);
            f.move(r, "qualified", "lost");

            assertThat(last(outcome(f.rewards.explain(r.id()), "customer-double"))).isEqualTo("Your referral was "
                    + "lost at 'qualified' on 2026-03-02, before reaching 'won': the program pays nothing for it "
                    + "unless it is reopened.");
        }

        @Test
        @DisplayName("an open referral is still told it has not reached the stage yet")
        void openNotYet() {
            Fixture f = new Fixture(Fixture.load("milestones.yaml"));
            Advocate a = f.advocate("ann", AdvocateKind.CUSTOMER, Fixture.CUSTOMERS);
            Referral r = f.refer(a, Fixture.CUSTOMERS);

            RuleOutcome won = outcome(f.rewards.explain(r.id()), "customer-double");

            assertThat(won.reasons()).extracting(Reason::code).containsExactly("not_reached");
            assertThat(last(won)).isEqualTo("Your referral has not reached 'won' yet.");
        }
    }

    @Nested
    @DisplayName("reopening a lost referral")
    class Reopening {
        private static final Reason LOST = Reason.of("deal_lost", "The deal was lost.");
        final Fixture f = new Fixture(Fixture.load("reopened.yaml"));
        Advocate ann;
        Referral r;

        @BeforeEach
        void qualifiedThenLostAndClawedBack() {
            f.engine.defineProgram(reopenableCustomers());
            ann = f.advocate("ann", AdvocateKind.CUSTOMER, Fixture.CUSTOMERS);
            r = f.refer(ann, Fixture.CUSTOMERS);
            f.move(r, "meeting_held", "qualified");
            assertThat(f.rewards.balance(ann.id())).isEqualTo(300);
        }

        private void loseAndClawBack() {
            f.clock.advance(Duration.ofDays(20));
            f.move(r, "lost");
            f.rewards.reverse(r.id(), LOST);
        }

        private void reopen(String stage) {
            f.clock.advance(Duration.ofDays(40));
            f.engine.transition(new TransitionRequest(r.id(), Stage.of(stage), TransitionCause.rep("rep-sam"),
                    "The prospect came back", ""));
        }

        private List<Reward> of(String ruleId) {
            return f.rewards.rewardsOf(r.id()).stream().filter(x -> x.ruleId().equals(ruleId)).toList();
        }

        private List<Reward> live(String ruleId) {
            return of(ruleId).stream().filter(x -> x.status() != RewardStatus.REVERSED).toList();
        }

        @Test
        @DisplayName("what was reversed at the loss is paid again once where the rule says so, never twice: "
                + "reopened twice, lost again and reopened again, one reward stays live")
        void paidAgainExactlyOnce() {
            loseAndClawBack();
            assertThat(f.rewards.balance(ann.id())).isZero();
            assertThat(live("qualified-points")).isEmpty();

            reopen("opportunity");

            assertThat(live("qualified-points")).singleElement().satisfies(x -> {
                assertThat(x.milestone()).isEqualTo("reopened:1:stage:qualified");
                assertThat(x.incentive()).isEqualTo(new Incentive.Points(300));
                assertThat(x.status()).isEqualTo(RewardStatus.FULFILLED);
                assertThat(x.explanation()).extracting(Reason::code).first().isEqualTo("paid_again");
            });
            assertThat(f.rewards.balance(ann.id())).isEqualTo(300);
            assertThat(live("demo-gift")).as("the gift's rule keeps it reversed").isEmpty();
            assertThat(f.events).filteredOn(e -> e instanceof RewardEarned earned
                    && earned.reward().milestone().startsWith("reopened:")).hasSize(1);

            reopen("opportunity");
            assertThat(of("qualified-points")).hasSize(2);
            assertThat(f.rewards.balance(ann.id())).isEqualTo(300);

            loseAndClawBack();
            assertThat(f.rewards.balance(ann.id())).isZero();
            reopen("qualified");

            assertThat(of("qualified-points")).extracting(Reward::milestone, Reward::status).containsExactly(
                    tuple("stage:qualified", RewardStatus.REVERSED),
                    tuple("reopened:1:stage:qualified", RewardStatus.REVERSED),
                    tuple("reopened:2:stage:qualified", RewardStatus.FULFILLED));
            assertThat(f.rewards.balance(ann.id())).isEqualTo(300);

            f.clock.advance(Duration.ofDays(1));
            f.move(r, "won");
            assertThat(f.rewards.balance(ann.id())).isEqualTo(1300);
            assertThat(f.rewards.ledger(ann.id())).extracting(LedgerEntry::points)
                    .containsExactly(300L, -300L, 300L, -300L, 300L, 1000L);
        }

        @Test
        @DisplayName("what the loss did not reverse is not paid again: the reward stayed live")
        void nothingReversedNothingPaidAgain() {
            f.move(r, "lost");
            reopen("opportunity");

            assertThat(of("qualified-points")).singleElement().extracting(Reward::status)
                    .isEqualTo(RewardStatus.FULFILLED);
            assertThat(f.rewards.balance(ann.id())).isEqualTo(300);
        }

        @Test
        @DisplayName("points spent before the clawback are not paid again: only what the reversal took back is")
        void onlyWhatWasTakenBack() {
            assertThat(f.rewards.redeem(ann.id(), Fixture.CUSTOMERS, "voucher", "v-1"))
                    .isInstanceOf(io.referrals.rules.result.RedemptionResult.Redeemed.class);
            loseAndClawBack();
            assertThat(f.rewards.balance(ann.id())).isZero();

            reopen("opportunity");

            assertThat(live("qualified-points")).singleElement().extracting(Reward::incentive)
                    .isEqualTo(new Incentive.Points(100));
            assertThat(f.rewards.balance(ann.id())).isEqualTo(100);
        }

        @Test
        @DisplayName("explain says which rewards a reopening pays again and which not, and why")
        void explained() {
            loseAndClawBack();
            List<RuleOutcome> whileLost = f.rewards.explain(r.id());
            assertThat(outcome(whileLost, "qualified-points").status()).isEqualTo(RuleOutcome.Status.REVERSED);
            assertThat(outcome(whileLost, "qualified-points").reasons()).extracting(Reason::code)
                    .endsWith("referral_lost", "if_reopened");
            assertThat(last(outcome(whileLost, "qualified-points")))
                    .isEqualTo("If it is reopened, 'Points for a qualified referral' pays this reward again.");
            assertThat(last(outcome(whileLost, "demo-gift")))
                    .isEqualTo("If it is reopened, 'A gift card for the demo' does not pay this reward again.");

            reopen("opportunity");
            List<RuleOutcome> reopened = f.rewards.explain(r.id());

            RuleOutcome points = outcome(reopened, "qualified-points");
            assertThat(points.status()).isEqualTo(RuleOutcome.Status.PAID);
            assertThat(points.milestone()).isEqualTo("stage:qualified");
            assertThat(points.rewards()).extracting(Reward::status)
                    .containsExactly(RewardStatus.REVERSED, RewardStatus.FULFILLED);
            assertThat(points.reasons().get(0)).isEqualTo(Reason.of("paid_again", "Paid again: your referral was "
                    + "reopened on 2026-05-01, and 'Points for a qualified referral' pays again what was taken back "
                    + "when it was lost."));
            RuleOutcome gift = outcome(reopened, "demo-gift");
            assertThat(gift.status()).isEqualTo(RuleOutcome.Status.REVERSED);
            assertThat(gift.reasons()).extracting(Reason::code).contains("deal_lost").endsWith("not_paid_again");
            assertThat(last(gift)).isEqualTo("Not paid again: your referral was reopened on 2026-05-01, but "
                    + "'A gift card for the demo' does not pay again what was taken back when it was lost.");
            assertThat(outcome(reopened, "won-points").reasons()).extracting(Reason::code)
                    .containsExactly("not_reached");
        }

        @Test
        @DisplayName("a rule file names the choice with whenReopened, keep_reversed by default, and refuses others")
        void ruleFileSyntax() {
            assertThat(Fixture.load("reopened.yaml").rules()).extracting(Rule::id, Rule::whenReopened)
                    .containsExactly(tuple("qualified-points", Rule.WhenReopened.PAY_AGAIN),
                            tuple("demo-gift", Rule.WhenReopened.KEEP_REVERSED),
                            tuple("won-points", Rule.WhenReopened.KEEP_REVERSED));
            RuleFileException e = catchThrowableOfType(RuleFileException.class, () -> RuleFiles
                    .forPrograms(Fixture.programs()).readYaml("bad.yaml", String.join("\n",
                            "program: customers", "version: 1", "effectiveFrom: \"2026-01-01T00:00:00Z\"", "rules:",
                            "  - id: r", "    when: {stageReached: won}", "    advocate: {points: 1}",
                            "    whenReopened: sometimes")));
            assertThat(e.problems()).extracting(RuleFileException.Problem::path)
                    .containsExactly("rules[0].whenReopened");
        }
    }
}
