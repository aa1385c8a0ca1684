package io.referrals.rules;

import static org.assertj.core.api.Assertions.assertThat;

import io.referrals.core.AdvocateViews;
import io.referrals.core.TransitionRequest;
import io.referrals.core.extension.Extension;
import io.referrals.core.model.Advocate;
import io.referrals.core.model.AdvocateKind;
import io.referrals.core.model.Referral;
import io.referrals.core.model.Reward;
import io.referrals.core.model.RewardStatus;
import io.referrals.core.model.Stage;
import io.referrals.core.model.TransitionCause;
import io.referrals.core.storage.memory.InMemoryReferralStore;
import io.referrals.core.view.PendingReason;
import io.referrals.core.view.ProgramCard;
import io.referrals.core.view.Progress;
import io.referrals.core.view.RewardLine;
import io.referrals.rules.definition.Contest;
import io.referrals.rules.definition.Give;
import io.referrals.rules.definition.Rule;
import io.referrals.rules.definition.RuleSet;
import io.referrals.rules.definition.Tiers;
import io.referrals.rules.definition.Trigger;
import io.referrals.rules.spi.RewardApprover;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

@DisplayName("The rules engine in the advocate's view")
class AdvocateProgressTest {
    private static final RuleSet RULES = RuleSet.builder(Fixture.CUSTOMERS, 1).effectiveFrom(Fixture.START.minus(
            Duration.ofDays(60)))
            .rule(Rule.builder("third-win").name("Bonus for three customers")
                    .when(Trigger.nthReferral(Stage.WON, 3)).advocate(Give.points(1000)))
            .rule(Rule.builder("submitted").name("Points for a referral").when(Trigger.submitted())
                    .advocate(Give.points(10)))
            .tiers(Tiers.of(Stage.WON, Tiers.level("silver", 2), Tiers.level("gold", 5)))
            .contest(Contest.builder("spring").name("Spring sprint").between(Fixture.START,
                    Fixture.START.plus(Duration.ofDays(7))).metric(Contest.Metric.REFERRALS_SUBMITTED).topN(3)
                    .prize(Give.points(5000)))
            .build();

    private final Extension<AdvocateViews> views = AdvocateViews.builder().build();

    @Test
    @DisplayName("shows progress to the Nth-referral reward, to the next tier and the rank in a running contest")
    void progress() {
        Fixture f = new Fixture(new InMemoryReferralStore(), b -> { }, b -> b.install(views), RULES);
        Advocate jane = f.advocate("jane", AdvocateKind.CUSTOMER, Fixture.CUSTOMERS);
        Advocate bob = f.advocate("bob", AdvocateKind.CUSTOMER, Fixture.CUSTOMERS);
        Referral won = f.refer(jane, Fixture.CUSTOMERS);
        f.refer(jane, Fixture.CUSTOMERS);
        f.refer(bob, Fixture.CUSTOMERS);
        f.engine.transition(TransitionRequest.of(won.id(), Stage.WON, TransitionCause.rep("rep-1")));

        ProgramCard card = f.engine.extension(views).view(jane.id(), Locale.ENGLISH, 10).programs().get(0);

        assertThat(card.progress()).extracting(Progress::kind, Progress::title, Progress::current, Progress::target)
                .containsExactly(
                        org.assertj.core.groups.Tuple.tuple(Progress.Kind.NEXT_REWARD, "Bonus for three customers",
                                1L, 3L),
                        org.assertj.core.groups.Tuple.tuple(Progress.Kind.TIER, "silver", 1L, 2L),
                        org.assertj.core.groups.Tuple.tuple(Progress.Kind.CONTEST_RANK, "Spring sprint", 1L, 3L));
        assertThat(card.progress().get(0).text())
                .isEqualTo("1 of 3 referrals at stage \"won\" for \"Bonus for three customers\".");
        assertThat(card.progress().get(2).text()).isEqualTo("Number 1 in \"Spring sprint\"; the top 3 win a prize.");

        ProgramCard de = f.engine.extension(views).view(bob.id(), Locale.GERMAN, 10).programs().get(0);
        assertThat(de.progress()).extracting(Progress::text).containsExactly(
                "0 von 3 Empfehlungen in der Phase „won“ für „Bonus for three customers“.",
                "0 von 2 Empfehlungen in der Phase „won“ in diesem Jahr bis silver.",
                "Platz 2 in „Spring sprint“; die besten 3 gewinnen einen Preis.");
    }

    @Test
    @DisplayName("an approver that defers a reward with a reason makes the view say why, once")
    void deferWithReason() {
        Fixture f = new Fixture(new InMemoryReferralStore(), b -> b.approver(r -> RewardApprover.Verdict.defer(
                PendingReason.WAITING_FOR_DEAL_CODE, "Paid once the deal closes.")), b -> b.install(views), RULES);
        Advocate jane = f.advocate("jane", AdvocateKind.CUSTOMER, Fixture.CUSTOMERS);
        f.refer(jane, Fixture.CUSTOMERS);

        f.rewards.processDue();
        f.clock.advance(Duration.ofHours(2));
        f.rewards.processDue();

        List<RewardLine> lines = f.engine.extension(views).view(jane.id(), Locale.ENGLISH, 10).rewards().items();
        assertThat(lines).singleElement().satisfies(l -> {
            assertThat(l.status()).isEqualTo(RewardStatus.PENDING);
            assertThat(l.pending()).map(PendingReason::kind).contains(PendingReason.Kind.WAITING_FOR_DEAL);
            assertThat(l.pending()).map(PendingReason::text).contains("Paid once the deal closes.");
        });
        Reward stored = f.rewards.rewardsOf(jane.id()).get(0);
        assertThat(stored.explanation()).filteredOn(r -> r.code().equals(PendingReason.WAITING_FOR_DEAL_CODE))
                .hasSize(1);
    }
}
