package io.referrals.rules.definition;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import io.referrals.core.error.FieldError;
import io.referrals.core.error.ValidationException;
import io.referrals.core.model.Money;
import io.referrals.core.model.ProgramId;
import io.referrals.core.model.Stage;
import java.math.BigDecimal;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

@DisplayName("Rules written in Java")
class RulesInJavaTest {
    private static final ProgramId CUSTOMERS = ProgramId.of("customers");
    private static final Instant START = Instant.parse("2026-03-02T09:00:00Z");

    private static List<FieldError> problems(RuleSet.Builder rules) {
        return catchThrowableOfType(ValidationException.class, rules::build).errors();
    }

    @Test
    void aYearlyMoneyCapPerAdvocateReadsInOneLine() {
        Limit cap = Limit.perAdvocate("yearly-cap").perYear().perAccount().maxValue(Money.of("10000", "USD")).build();

        assertThat(cap).isEqualTo(new Limit.PerAdvocate("yearly-cap", new Limit.Period.Calendar(Limit.Period.Unit.YEAR),
                0, new Limit.Value.InMoney(Money.of("10000", "USD")), true));
        assertThat(Limit.perAdvocate("monthly").perMonth().maxCount(5).build()).isEqualTo(new Limit.PerAdvocate(
                "monthly", new Limit.Period.Calendar(Limit.Period.Unit.MONTH), 5, new Limit.Value.None(), false));
    }

    @Test
    void amountsPercentagesAndMultipliersAreGivenAsNumbers() {
        assertThat(Amount.percentOfDeal(12.5)).isEqualTo(new Amount.PercentOfDeal(new BigDecimal("12.5")));
        assertThat(Amount.percentOfDeal(5)).isEqualTo(new Amount.PercentOfDeal(new BigDecimal("5")));
        assertThat(Amount.multiplierOf("milestone-points", 2)).isEqualTo(
                new Amount.MultiplierOf("milestone-points", BigDecimal.valueOf(2)));
        assertThat(Amount.money(50, "USD")).isEqualTo(new Amount.Fixed(Money.of("50.00", "USD")));
        assertThat(Amount.money(new BigDecimal("49.99"), "EUR")).isEqualTo(new Amount.Fixed(Money.of("49.99", "EUR")));
        assertThat(Give.percentDiscount(20, "WELCOME")).isEqualTo(new Give.Discount(new BigDecimal("20"), null,
                "WELCOME"));
        assertThat(Limit.pointsBudget("budget", 1000)).isEqualTo(new Limit.Budget("budget",
                new Limit.Value.InPoints(1000)));
        assertThatThrownBy(() -> Amount.percentOfDeal(Double.NaN)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void contestsAndCatalogueItemsNameTheirParts() {
        Contest contest = Contest.builder("power-hour").name("Power hour")
                .between(START, START.plus(Duration.ofHours(1))).metric(Contest.Metric.REFERRALS_SUBMITTED).topN(3)
                .prize(Give.points(5000)).build();
        CatalogueItem mug = CatalogueItem.builder("mug").name("A mug").cost(300).give(Give.perk("mug", "A mug"))
                .stock(50).build();

        assertThat(contest).isEqualTo(new Contest("power-hour", "Power hour",
                io.referrals.core.model.Schedule.between(START, START.plus(Duration.ofHours(1))),
                Contest.Metric.REFERRALS_SUBMITTED, Stage.SUBMITTED, 3, Give.points(5000)));
        assertThat(mug).isEqualTo(new CatalogueItem("mug", "A mug", 300, Give.perk("mug", "A mug"), 50));
        assertThat(Contest.builder("qualified-race").between(START, START.plus(Duration.ofDays(30)))
                .stageReached(Stage.QUALIFIED).topN(1).prize(Give.points(100)).build().stage())
                .isEqualTo(Stage.QUALIFIED);
    }

    @Test
    void aRuleSetReportsEveryProblemOfEveryRuleContestAndItemAtOnce() {
        List<FieldError> problems = problems(RuleSet.builder(CUSTOMERS, 1)
                .rule(Rule.builder("no-trigger").advocate(Give.points(10)))
                .rule(Rule.builder("no-grant").when(Trigger.submitted()))
                .rule(Rule.builder("both-sides").when(Trigger.stageReached(Stage.WON)).advocate(Give.points(5))
                        .referred(Give.points(5)).limit(Limit.perAdvocate("cap").maxCount(3)))
                .contest(Contest.builder("hour").topN(3))
                .item(CatalogueItem.builder("points-for-points").give(Give.points(5))));

        assertThat(problems).extracting(FieldError::field).containsExactly(
                "rules[0].when",
                "rules[1].grants",
                "rules[2].referred", "rules[2].limits[0].period",
                "contests[0].window", "contests[0].metric", "contests[0].prize",
                "catalogue[0].cost", "catalogue[0].give");
        assertThat(problems).extracting(FieldError::code).startsWith("required", "required", "invalid_value",
                "required");
    }

    @Test
    void theChecksAcrossARuleSetAreAllReportedNotOnlyTheFirst() {
        List<FieldError> problems = problems(RuleSet.builder(CUSTOMERS, 1)
                .rule(Rule.builder("won").when(Trigger.stageReached(Stage.WON)).advocate(Give.points(100)))
                .rule(Rule.builder("won").when(Trigger.stageReached(Stage.QUALIFIED)).advocate(Give.points(50)))
                .rule(Rule.builder("double").when(Trigger.stageReached(Stage.WON))
                        .advocate(Give.points(Amount.multiplierOf("missing", 2))))
                .rule(Rule.builder("gold").when(Trigger.stageReached(Stage.WON))
                        .only(Condition.tierAtLeast("gold")).advocate(Give.cash(Amount.points(10)))));

        assertThat(problems).extracting(FieldError::code).containsExactly("duplicate_id", "unknown_rule",
                "wrong_amount_kind", "unknown_tier");
        assertThat(problems).extracting(FieldError::field).containsExactly("rules[1].id",
                "rules[2].advocate.multiplierOf.rule", "rules[3].advocate", "rules[3].if.tierAtLeast");
    }

    @Test
    void aRuleBuiltAloneReportsAllItsProblemsAtOnce() {
        ValidationException e = catchThrowableOfType(ValidationException.class, () -> Rule.builder("lonely")
                .referred(Give.points(5)).referred(Give.perk("trial", "")).build());

        assertThat(e.errors()).extracting(FieldError::field).containsExactly("when", "referred", "referred");
    }

    @Test
    void aBadSingleValueIsRefusedAtOnce() {
        assertThatThrownBy(() -> Give.points(0)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> Rule.builder("Not A Name")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> Limit.perAdvocate("cap").maxCount(0)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> Rule.builder("r").holdFor(Duration.ofDays(-1)))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> Tiers.of(Stage.QUALIFIED, Tiers.level("gold", 10), Tiers.level("silver", 3),
                Tiers.level("gold", 20))).isInstanceOf(ValidationException.class)
                .satisfies(x -> assertThat(((ValidationException) x).errors()).hasSize(2));
    }

    @Test
    void tierAmountsAndConditionsUseTheDeclaredTiers() {
        RuleSet rules = RuleSet.builder(CUSTOMERS, 1)
                .tiers(Tiers.of(Stage.QUALIFIED, Tiers.level("silver", 3), Tiers.level("gold", 10)))
                .rule(Rule.builder("by-tier").when(Trigger.stageReached(Stage.WON))
                        .only(Condition.tierAtLeast("silver"))
                        .advocate(Give.points(Amount.byTier(Map.of("gold", Amount.points(500)), Amount.points(200)))))
                .build();

        assertThat(rules.rule("by-tier")).isPresent();
    }
}
