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
import io.referrals.rules.RewardsEngine;
import io.referrals.rules.RuleContext;
import io.referrals.rules.definition.Amount;
import io.referrals.rules.definition.Condition;
import io.referrals.rules.definition.Give;
import io.referrals.rules.definition.Rule;
import io.referrals.rules.definition.RuleSet;
import io.referrals.rules.definition.Trigger;
import io.referrals.rules.result.RuleDecision;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Currency;
import java.util.List;
import java.util.Locale;
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
 *
 * <p>The hand-coded baseline is what a careful engineer would write for these rules: the reasons, ids and fixed
 * incentives are constants, each condition is evaluated once per event, and the amounts that depend on the deal are
 * computed per rule. It produces exactly the engine's decisions (same amounts, same trace reasons): {@link #setUp}
 * checks both outputs are equal before anything is measured.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
public class RuleEvaluationBenchmark {
    private static final int COPIES = 5;
    private static final BigDecimal TEN_THOUSAND = new BigDecimal("10000");
    private static final BigDecimal FIVE = BigDecimal.valueOf(5);
    private static final BigDecimal HUNDRED = BigDecimal.valueOf(100);
    private static final Currency USD = Currency.getInstance("USD");
    private static final String MILESTONE = "stage:won";

    private static final Reason TRIGGER = Reason.of("trigger", "Your referral reached the stage 'won'.");
    private static final Reason SENIORITY_MET = met("the contact is Director level or above");
    private static final Reason DEPARTMENT_MET = met("the contact works in customer success");
    private static final Reason ICP_NOT_MET = notMet(
            "the contact is Director level or above or the contact works in customer success");
    private static final Reason DEAL_MET = met("the deal is worth at least 10000 USD");
    private static final Reason DEAL_NOT_MET = notMet("the deal is worth at least 10000 USD");
    private static final Reason FIVE_PERCENT = Reason.of("percent_of_deal", "5% of the deal value.");
    private static final Reason KIND_MET = met("you are a Customer");
    private static final Reason KIND_NOT_MET = notMet("you are a Customer");
    private static final Reason SEGMENT_MET = met("you are in the enterprise segment");
    private static final Reason SEGMENT_NOT_MET = notMet("you are in the enterprise segment");
    private static final Reason NOT_IMPORT_MET = met("not (the referral came in by Import)");
    private static final Reason NOT_IMPORT_NOT_MET = notMet("not (the referral came in by Import)");
    private static final Reason CRM_MET = met("the prospect's crm is hubspot or salesforce");
    private static final Reason CRM_NOT_MET = notMet("the prospect's crm is hubspot or salesforce");

    private static final List<Reason> ICP_BY_SENIORITY = List.of(TRIGGER, SENIORITY_MET);
    private static final List<Reason> ICP_BY_DEPARTMENT = List.of(TRIGGER, DEPARTMENT_MET);
    private static final List<Reason> NOT_ICP = List.of(TRIGGER, ICP_NOT_MET);
    private static final List<Reason> BIG_DEAL = List.of(TRIGGER, DEAL_MET, FIVE_PERCENT);
    private static final List<Reason> SMALL_DEAL = List.of(TRIGGER, DEAL_NOT_MET);
    private static final List<Reason> SEGMENT_OK = List.of(TRIGGER, KIND_MET, SEGMENT_MET, NOT_IMPORT_MET);
    private static final List<Reason> WRONG_KIND = List.of(TRIGGER, KIND_NOT_MET);
    private static final List<Reason> WRONG_SEGMENT = List.of(TRIGGER, KIND_MET, SEGMENT_NOT_MET);
    private static final List<Reason> IMPORTED = List.of(TRIGGER, KIND_MET, SEGMENT_MET, NOT_IMPORT_NOT_MET);
    private static final List<Reason> NO_CRM = List.of(TRIGGER, CRM_NOT_MET);

    private static final String[] POINTS_IDS = ids("points-");
    private static final String[] DEAL_IDS = ids("deal-");
    private static final String[] SEGMENT_IDS = ids("segment-");
    private static final String[] CRM_IDS = ids("crm-");
    private static final List<List<RuleDecision.Payout>> POINTS_PAYOUTS = payouts(1);
    private static final List<List<RuleDecision.Payout>> CRM_PAYOUTS = payouts(2);
    private static final List<List<Reason>> CRM_OK = crmTraces();
    private static final List<RuleDecision.Payout> SEGMENT_PAYOUTS = List.of(
            new RuleDecision.Payout(Beneficiary.ADVOCATE, new Incentive.Points(50)),
            new RuleDecision.Payout(Beneficiary.REFERRED_PARTY,
                    new Incentive.Discount(BigDecimal.valueOf(20), null, "")));

    private RewardsEngine engine;
    private RuleContext ctx;
    private Referral referral;
    private Advocate advocate;

    @Setup
    public void setUp() {
        ProgramId pid = ProgramId.of("customers");
        Program program = Program.builder(pid, "Customers", ProgramKind.CUSTOMER).build();
        RuleSet.Builder b = RuleSet.builder(pid, 1);
        for (int i = 0; i < COPIES; i++) {
            b.rule(Rule.builder("points-" + i).when(Trigger.stageReached(Stage.WON))
                    .only(Condition.seniorityAtLeast(Seniority.DIRECTOR).or(Condition.department("Customer Success")))
                    .advocate(Give.points(100 + i)).build());
            b.rule(Rule.builder("deal-" + i).when(Trigger.stageReached(Stage.WON))
                    .only(Condition.dealValueAtLeast(Money.of("10000", "USD")))
                    .advocate(Give.cash(Amount.percentOfDeal(5))).build());
            b.rule(Rule.builder("segment-" + i).when(Trigger.stageReached(Stage.WON))
                    .only(Condition.all(Condition.advocateKind(AdvocateKind.CUSTOMER), Condition.segment("enterprise"),
                            Condition.not(Condition.channel(Channel.IMPORT))))
                    .advocate(Give.points(50)).referred(Give.percentDiscount(20, "WELCOME")).build());
            b.rule(Rule.builder("crm-" + i).when(Trigger.stageReached(Stage.WON))
                    .only(Condition.prospectAttribute("crm", "salesforce", "hubspot"))
                    .advocate(Give.points(Amount.multiplierOf("points-" + i, 2))).build());
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
        List<RuleDecision> byEngine = rulesEngine();
        List<RuleDecision> byHand = handCoded();
        if (!byEngine.equals(byHand)) {
            throw new IllegalStateException("the baseline does not decide as the engine does:\n engine: " + byEngine
                    + "\n   hand: " + byHand);
        }
    }

    @Benchmark
    public List<RuleDecision> rulesEngine() {
        return engine.decide(ctx, Stage.WON);
    }

    @Benchmark
    public List<RuleDecision> handCoded() {
        List<RuleDecision> out = new ArrayList<>(4 * COPIES);
        Prospect p = referral.prospect();
        List<Reason> icp = p.seniority().isAtLeast(Seniority.DIRECTOR) ? ICP_BY_SENIORITY
                : !p.department().isEmpty() && "customer success".equals(p.department().strip()
                        .toLowerCase(Locale.ROOT)) ? ICP_BY_DEPARTMENT : NOT_ICP;
        Money deal = referral.dealValue().orElse(null);
        boolean bigDeal = deal != null && deal.currency().equals(USD) && deal.amount().compareTo(TEN_THOUSAND) >= 0;
        List<Reason> segment = advocate.kind() != AdvocateKind.CUSTOMER ? WRONG_KIND
                : !advocate.segments().contains("enterprise") ? WRONG_SEGMENT
                : referral.channel() == Channel.IMPORT ? IMPORTED : SEGMENT_OK;
        String crm = p.attributes().get("crm");
        String crmValue = crm == null ? "" : crm.strip().toLowerCase(Locale.ROOT);
        boolean crmOk = crmValue.equals("salesforce") || crmValue.equals("hubspot");
        for (int i = 0; i < COPIES; i++) {
            out.add(icp == NOT_ICP ? new RuleDecision(POINTS_IDS[i], 1, MILESTONE, false, List.of(), NOT_ICP)
                    : new RuleDecision(POINTS_IDS[i], 1, MILESTONE, true, POINTS_PAYOUTS.get(i), icp));
            if (bigDeal) {
                Money commission = new Money(deal.amount().multiply(FIVE).divide(HUNDRED)
                        .setScale(deal.currency().getDefaultFractionDigits(), RoundingMode.HALF_EVEN), deal.currency());
                out.add(new RuleDecision(DEAL_IDS[i], 1, MILESTONE, true,
                        List.of(new RuleDecision.Payout(Beneficiary.ADVOCATE, new Incentive.Cash(commission, false))),
                        BIG_DEAL));
            } else {
                out.add(new RuleDecision(DEAL_IDS[i], 1, MILESTONE, false, List.of(), SMALL_DEAL));
            }
            out.add(segment == SEGMENT_OK
                    ? new RuleDecision(SEGMENT_IDS[i], 1, MILESTONE, true, SEGMENT_PAYOUTS, SEGMENT_OK)
                    : new RuleDecision(SEGMENT_IDS[i], 1, MILESTONE, false, List.of(), segment));
            out.add(crmOk ? new RuleDecision(CRM_IDS[i], 1, MILESTONE, true, CRM_PAYOUTS.get(i), CRM_OK.get(i))
                    : new RuleDecision(CRM_IDS[i], 1, MILESTONE, false, List.of(), NO_CRM));
        }
        return out;
    }

    private static Reason met(String what) {
        return Reason.of("condition_met", "Met: " + what + ".");
    }

    private static Reason notMet(String what) {
        return Reason.of("condition_not_met", "Not met: " + what + ".");
    }

    private static String[] ids(String prefix) {
        String[] ids = new String[COPIES];
        for (int i = 0; i < COPIES; i++) {
            ids[i] = prefix + i;
        }
        return ids;
    }

    private static List<List<RuleDecision.Payout>> payouts(int factor) {
        List<List<RuleDecision.Payout>> payouts = new ArrayList<>();
        for (int i = 0; i < COPIES; i++) {
            payouts.add(List.of(new RuleDecision.Payout(Beneficiary.ADVOCATE,
                    new Incentive.Points(factor * (100L + i)))));
        }
        return List.copyOf(payouts);
    }

    private static List<List<Reason>> crmTraces() {
        List<List<Reason>> traces = new ArrayList<>();
        for (int i = 0; i < COPIES; i++) {
            traces.add(List.of(TRIGGER, CRM_MET, Reason.of("multiplier", "2x the reward of 'points-" + i + "'.")));
        }
        return List.copyOf(traces);
    }
}
