package io.referrals.benchmarks.rules;

import io.referrals.core.model.Advocate;
import io.referrals.core.model.AdvocateId;
import io.referrals.core.model.AdvocateKind;
import io.referrals.core.model.Beneficiary;
import io.referrals.core.model.Channel;
import io.referrals.core.model.ConsentBasis;
import io.referrals.core.model.Incentive;
import io.referrals.core.model.Money;
import io.referrals.core.model.Program;
import io.referrals.core.model.ProgramId;
import io.referrals.core.model.ProgramKind;
import io.referrals.core.model.Prospect;
import io.referrals.core.model.Reason;
import io.referrals.core.model.Referral;
import io.referrals.core.model.ReferralId;
import io.referrals.core.model.Seniority;
import io.referrals.core.model.Stage;
import io.referrals.rules.Amount;
import io.referrals.rules.Condition;
import io.referrals.rules.Give;
import io.referrals.rules.Rule;
import io.referrals.rules.RuleContext;
import io.referrals.rules.RuleDecision;
import io.referrals.rules.RuleSet;
import io.referrals.rules.RewardsEngine;
import io.referrals.rules.Trigger;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

/**
 * Twenty realistic rules evaluated against one stage change (a referral entering {@code won}): the rules engine's
 * {@link RewardsEngine#decide} beside the same twenty decisions hand-coded in plain Java, in the same run.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
public class RuleEvaluationBenchmark {
    private RewardsEngine engine;
    private RuleContext ctx;
    private Referral referral;
    private Advocate advocate;
    private final Reason trigger = Reason.of("trigger", "Your referral reached the stage 'won'.");
    private final Reason met = Reason.of("condition_met", "Met.");
    private final Reason notMet = Reason.of("condition_not_met", "Not met.");

    @Setup
    public void setUp() {
        ProgramId pid = ProgramId.of("customers");
        Program program = Program.builder(pid, "Customers", ProgramKind.CUSTOMER).build();
        RuleSet.Builder b = RuleSet.builder(pid, 1);
        for (int i = 0; i < 5; i++) {
            b.rule(Rule.builder("points-" + i).when(Trigger.stageReached(Stage.WON))
                    .only(Condition.seniorityAtLeast(Seniority.DIRECTOR).or(Condition.department("Customer Success")))
                    .advocate(Give.points(100 + i)).build());
            b.rule(Rule.builder("deal-" + i).when(Trigger.stageReached(Stage.WON))
                    .only(Condition.dealValueAtLeast(Money.of("10000", "USD")))
                    .advocate(Give.cash(Amount.percentOfDeal("5"))).build());
            b.rule(Rule.builder("segment-" + i).when(Trigger.stageReached(Stage.WON))
                    .only(Condition.all(Condition.advocateKind(AdvocateKind.CUSTOMER), Condition.segment("enterprise"),
                            Condition.not(Condition.channel(Channel.IMPORT))))
                    .advocate(Give.points(50)).referred(Give.percentDiscount("20", "WELCOME")).build());
            b.rule(Rule.builder("crm-" + i).when(Trigger.stageReached(Stage.WON))
                    .only(Condition.prospectAttribute("crm", "salesforce", "hubspot"))
                    .advocate(Give.points(Amount.multiplierOf("points-" + i, "2"))).build());
        }
        engine = RewardsEngine.builder().ruleSet(b.build()).build();
        advocate = new Advocate(AdvocateId.of("a-1"), "ext-1", "Ann", "ann@example.com", AdvocateKind.CUSTOMER, "acct",
                "Acme", "acme.com", Set.of("enterprise"), Map.of(), false, Instant.EPOCH, 1);
        referral = Referral.builder().id(ReferralId.of("r-1")).programId(pid).advocateId(advocate.id())
                .prospect(Prospect.builder().fullName("P").email("p@initech.com").company("Initech")
                        .seniority(Seniority.VP).department("Sales").attributes(Map.of("crm", "Salesforce")).build())
                .channel(Channel.REFERRAL_FORM).consent(ConsentBasis.ADVOCATE_INTRODUCTION).stage(Stage.WON)
                .dealValue(Money.of("25000.00", "USD")).submittedAt(Instant.EPOCH).updatedAt(Instant.EPOCH).build();
        ctx = RuleContext.of(program, advocate, referral, Instant.parse("2026-03-01T00:00:00Z"), "");
    }

    @Benchmark
    public List<RuleDecision> rulesEngine() {
        return engine.decide(ctx, Stage.WON);
    }

    @Benchmark
    public List<RuleDecision> handCoded() {
        List<RuleDecision> out = new ArrayList<>(20);
        Prospect p = referral.prospect();
        boolean icp = p.seniority().isAtLeast(Seniority.DIRECTOR) || "customer success".equals(p.department()
                .strip().toLowerCase(java.util.Locale.ROOT));
        Money deal = referral.dealValue().orElse(null);
        boolean bigDeal = deal != null && deal.currency().getCurrencyCode().equals("USD")
                && deal.amount().compareTo(BigDecimal.valueOf(10000)) >= 0;
        boolean segment = advocate.kind() == AdvocateKind.CUSTOMER && advocate.segments().contains("enterprise")
                && referral.channel() != Channel.IMPORT;
        String crm = p.attributes().get("crm");
        boolean crmOk = crm != null && (crm.strip().toLowerCase(java.util.Locale.ROOT).equals("salesforce")
                || crm.strip().toLowerCase(java.util.Locale.ROOT).equals("hubspot"));
        for (int i = 0; i < 5; i++) {
            out.add(decision("points-" + i, icp, icp ? List.of(new RuleDecision.Payout(Beneficiary.ADVOCATE,
                    new Incentive.Points(100 + i))) : List.of()));
            out.add(decision("deal-" + i, bigDeal, bigDeal ? List.of(new RuleDecision.Payout(Beneficiary.ADVOCATE,
                    new Incentive.Cash(new Money(deal.amount().multiply(BigDecimal.valueOf(5))
                            .divide(BigDecimal.valueOf(100)).setScale(2, RoundingMode.HALF_EVEN), deal.currency()),
                            false))) : List.of()));
            out.add(decision("segment-" + i, segment, segment ? List.of(
                    new RuleDecision.Payout(Beneficiary.ADVOCATE, new Incentive.Points(50)),
                    new RuleDecision.Payout(Beneficiary.REFERRED_PARTY,
                            new Incentive.Discount(BigDecimal.valueOf(20), null, ""))) : List.of()));
            out.add(decision("crm-" + i, crmOk, crmOk ? List.of(new RuleDecision.Payout(Beneficiary.ADVOCATE,
                    new Incentive.Points(2L * (100 + i)))) : List.of()));
        }
        return out;
    }

    private RuleDecision decision(String id, boolean matched, List<RuleDecision.Payout> payouts) {
        return new RuleDecision(id, 1, "stage:won", matched, payouts, List.of(trigger, matched ? met : notMet));
    }
}
