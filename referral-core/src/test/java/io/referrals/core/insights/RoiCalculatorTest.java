package io.referrals.core.insights;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.referrals.core.insights.RoiCalculator.Inputs;
import io.referrals.core.insights.RoiCalculator.Projection;
import io.referrals.core.insights.RoiCalculator.Trigger;
import io.referrals.core.model.Incentive;
import io.referrals.core.model.Money;
import java.math.BigDecimal;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

@DisplayName("ROI calculator")
class RoiCalculatorTest {
    static final Valuation CENT_PER_POINT = Valuation.of(Money.of("0.01", "EUR"));

    @Test
    @DisplayName("projects a dual-sided program by hand: 1000 customers, 15% refer twice, 35% convert, 12,000 deals")
    void projectsADualSidedProgram() {
        Inputs in = Inputs.of(1000, "0.15", "2", "0.35", Money.of("12000", "EUR"), CENT_PER_POINT)
                .withIncentive(Trigger.PER_REFERRAL, new Incentive.Points(500))          // 5.00 per referral
                .withIncentive(Trigger.PER_WIN, new Incentive.Cash(Money.of("1000", "EUR"), false))
                .withIncentive(Trigger.PER_WIN, new Incentive.Discount(new BigDecimal("10"), null, "")) // 1,200
                .withFixedCost(Money.of("5000", "EUR"));
        Projection p = RoiCalculator.project(in);
        // advocates 1000 * 0.15 = 150; referrals 150 * 2 = 300; wins 300 * 0.35 = 105
        assertThat(p.advocates()).isEqualByComparingTo("150");
        assertThat(p.referrals()).isEqualByComparingTo("300");
        assertThat(p.wins()).isEqualByComparingTo("105");
        // revenue 105 * 12,000 = 1,260,000
        assertThat(p.revenue()).isEqualTo(Money.of("1260000", "EUR"));
        assertThat(p.perReferralCost()).isEqualTo(Money.of("5", "EUR"));
        assertThat(p.perWinCost()).isEqualTo(Money.of("2200", "EUR"));
        // 300 * 5 = 1,500; 105 * 2,200 = 231,000; + 5,000 fixed = 237,500
        assertThat(p.referralIncentiveCost()).isEqualTo(Money.of("1500", "EUR"));
        assertThat(p.winIncentiveCost()).isEqualTo(Money.of("231000", "EUR"));
        assertThat(p.incentiveCost()).isEqualTo(Money.of("237500", "EUR"));
        // net 1,022,500; ROI 1,022,500 / 237,500 = 4.30526...
        assertThat(p.net()).isEqualTo(Money.of("1022500", "EUR"));
        assertThat(p.roi().value()).contains(new BigDecimal("4.3053"));
        assertThat(p.roi().percent()).isEqualTo("430.5%");
        // cost per win 237,500 / 105 = 2,261.904... -> 2,261.90
        assertThat(p.costPerWin()).contains(Money.of("2261.90", "EUR"));
        // break-even: (300 * 5 + 5,000) / (300 * (12,000 - 2,200)) = 6,500 / 2,940,000 = 0.0022108...
        assertThat(p.breakEvenConversionRate()).contains(new BigDecimal("0.002211"));
        assertThat(p.unvalued()).isEmpty();
    }

    @Test
    @DisplayName("rounds money to the currency's digits only at the end: fractional wins in yen")
    void roundsAtTheEnd() {
        Valuation yen = Valuation.of(Money.of("1", "JPY"));
        Projection p = RoiCalculator.project(Inputs.of(7, "0.3", "1.5", "0.25", Money.of("333333", "JPY"), yen)
                .withIncentive(Trigger.PER_WIN, new Incentive.Points(10000)));
        // advocates 2.1; referrals 3.15; wins 0.7875; revenue 262,499.7375 -> 262,500; cost 7,875
        assertThat(p.wins()).isEqualByComparingTo("0.7875");
        assertThat(p.revenue()).isEqualTo(Money.of("262500", "JPY"));
        assertThat(p.incentiveCost()).isEqualTo(Money.of("7875", "JPY"));
        // (262,500 - 7,875) / 7,875 = 32.33333 -> 32.3333
        assertThat(p.roi().value()).contains(new BigDecimal("32.3333"));
    }

    @Test
    @DisplayName("has no ROI when nothing costs anything, and lists incentives it cannot value")
    void noCostNoRoi() {
        Projection p = RoiCalculator.project(Inputs.of(100, "0.5", "1", "0.5", Money.of("1000", "EUR"),
                Valuation.pointsUnvalued(java.util.Currency.getInstance("EUR")))
                .withIncentive(Trigger.PER_WIN, new Incentive.Perk("upgrade", "Free upgrade"))
                .withIncentive(Trigger.PER_REFERRAL, new Incentive.Points(100)));
        assertThat(p.revenue()).isEqualTo(Money.of("25000", "EUR"));
        assertThat(p.incentiveCost()).isEqualTo(Money.of("0", "EUR"));
        assertThat(p.roi().value()).isEmpty();
        assertThat(p.roi().percent()).isEqualTo("n/a");
        assertThat(p.unvalued()).extracting(RoiCalculator.PlannedIncentive::trigger).containsExactly(Trigger.PER_WIN);
        assertThat(p.breakEvenConversionRate()).contains(new BigDecimal("0.000000"));
    }

    @Test
    @DisplayName("has no break-even rate when a win costs more than it brings, and no cost per win without wins")
    void noBreakEven() {
        Projection p = RoiCalculator.project(Inputs.of(10, "0", "1", "0.5", Money.of("100", "EUR"), CENT_PER_POINT)
                .withIncentive(Trigger.PER_WIN, new Incentive.Cash(Money.of("150", "EUR"), false)));
        assertThat(p.breakEvenConversionRate()).isEmpty();
        assertThat(p.costPerWin()).isEmpty();
        assertThat(p.roi().value()).isEmpty();
    }

    @Test
    @DisplayName("a losing program has a negative ROI")
    void negativeRoi() {
        Projection p = RoiCalculator.project(Inputs.of(10, "1", "1", "0.1", Money.of("100", "EUR"), CENT_PER_POINT)
                .withIncentive(Trigger.PER_REFERRAL, new Incentive.Cash(Money.of("20", "EUR"), false)));
        // revenue 1 * 100 = 100; cost 10 * 20 = 200; ROI (100 - 200) / 200 = -0.5
        assertThat(p.roi().value()).contains(new BigDecimal("-0.5000"));
    }

    @Test
    @DisplayName("refuses rates outside 0..1, negative counts and money in another currency")
    void refusesBadInputs() {
        Money deal = Money.of("100", "EUR");
        assertThatThrownBy(() -> Inputs.of(10, "1.2", "1", "0.1", deal, CENT_PER_POINT))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("participationRate");
        assertThatThrownBy(() -> Inputs.of(10, "0.2", "-1", "0.1", deal, CENT_PER_POINT))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("referralsPerAdvocate");
        assertThatThrownBy(() -> Inputs.of(-1, "0.2", "1", "0.1", deal, CENT_PER_POINT))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("customers");
        assertThatThrownBy(() -> Inputs.of(10, "0.2", "1", "0.1", Money.of("100", "USD"), CENT_PER_POINT))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("averageDealSize");
        Inputs usdIncentive = Inputs.of(10, "0.2", "1", "0.1", deal, CENT_PER_POINT)
                .withIncentive(Trigger.PER_WIN, new Incentive.Cash(Money.of("5", "USD"), false));
        assertThatThrownBy(() -> RoiCalculator.project(usdIncentive)).isInstanceOf(IllegalArgumentException.class);
    }
}
