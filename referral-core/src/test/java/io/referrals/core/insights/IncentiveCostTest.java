package io.referrals.core.insights;

import static org.assertj.core.api.Assertions.assertThat;

import io.referrals.core.model.Money;
import io.referrals.core.model.RewardStatus;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

@DisplayName("Incentive cost by reward status")
class IncentiveCostTest {

    @Test
    @DisplayName("a reward whose fulfilment failed for good is still owed: it counts as approved, not issued")
    void failedRewardsCountAsApproved() {
        Map<RewardStatus, ProgramStats.RewardTotals> totals = Map.of(
                RewardStatus.APPROVED, new ProgramStats.RewardTotals(1, 0, List.of(Money.of("100", "EUR")), 0),
                RewardStatus.FAILED, new ProgramStats.RewardTotals(2, 1000, List.of(Money.of("40", "EUR"),
                        Money.of("5", "USD")), 1),
                RewardStatus.FULFILLED, new ProgramStats.RewardTotals(1, 0, List.of(Money.of("20", "EUR")), 0));

        ProgramReport.IncentiveCost c = ProgramReport.IncentiveCost.of(totals,
                Valuation.of(Money.of("0.01", "EUR")));

        assertThat(c.approved()).isEqualTo(Money.of("150", "EUR")); // 100 + 40 + 1000 points * 0.01
        assertThat(c.issued()).isEqualTo(Money.of("20", "EUR"));
        assertThat(c.committedPoints()).isEqualTo(1000);
        assertThat(c.otherCurrencies()).containsExactly(Money.of("5", "USD"));
        assertThat(c.unvalued()).isEqualTo(1);
    }
}
