package io.referrals.core.insights;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.referrals.core.model.Incentive;
import io.referrals.core.model.Money;
import io.referrals.core.model.Outcome;
import io.referrals.core.model.Stage;
import io.referrals.core.model.StagePipeline;
import java.math.BigDecimal;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.LongRange;
import net.jqwik.api.constraints.Size;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

@DisplayName("Insights values")
class ValuesTest {

    @Test
    void percentilesInterpolateLikePercentileCont() {
        DurationSummary s = DurationSummary.ofMillis(new long[] {4, 1, 3, 2});
        // sorted 1 2 3 4: median at 1.5 -> 2.5 -> rounds half up to 3; p90 at 2.7 -> 3.7 -> 4
        assertThat(s.count()).isEqualTo(4);
        assertThat(s.median()).isEqualTo(Duration.ofMillis(3));
        assertThat(s.p90()).isEqualTo(Duration.ofMillis(4));
        long[] tens = {10, 20, 30, 40, 50, 60, 70, 80, 90, 100};
        assertThat(DurationSummary.percentile(tens, 0.9)).isEqualTo(91); // position 8.1
        assertThat(DurationSummary.percentile(tens, 0.5)).isEqualTo(55);
        assertThat(DurationSummary.ofMillis(new long[] {7}).p90()).isEqualTo(Duration.ofMillis(7));
        assertThat(DurationSummary.ofMillis(new long[0])).isEqualTo(DurationSummary.EMPTY);
    }

    @Property
    void percentilesLieBetweenTheSmallestAndLargestValue(
            @ForAll @Size(min = 1, max = 50) long[] values, @ForAll("ps") double p) {
        long[] sorted = values.clone();
        Arrays.sort(sorted);
        long v = DurationSummary.percentile(sorted, p);
        assertThat(v).isBetween(sorted[0], sorted[sorted.length - 1]);
    }

    @Property
    void theMedianIsNeverAboveTheP90(@ForAll @Size(min = 1, max = 50) long[] millis) {
        for (int i = 0; i < millis.length; i++) {
            millis[i] = Math.floorMod(millis[i], 1_000_000_000L);
        }
        DurationSummary s = DurationSummary.ofMillis(millis);
        assertThat(s.median()).isLessThanOrEqualTo(s.p90());
    }

    @net.jqwik.api.Provide
    net.jqwik.api.Arbitrary<Double> ps() {
        return net.jqwik.api.Arbitraries.doubles().between(0, 1);
    }

    @Property
    void aRateIsItsCountsDividedAndUndefinedOverZero(@ForAll @LongRange(max = 1_000_000) long n,
            @ForAll @LongRange(max = 1_000_000) long d) {
        Rate r = Rate.of(n, d);
        if (d == 0) {
            assertThat(r.value()).isEmpty();
            assertThat(r.percent()).isEqualTo("n/a");
        } else {
            assertThat(r.value().orElseThrow())
                    .isCloseTo(BigDecimal.valueOf((double) n / d), org.assertj.core.data.Offset.offset(
                            new BigDecimal("0.00005")));
        }
    }

    @Test
    void theFunnelIsTheOpenStagesThenTheWonStages() {
        StagePipeline p = StagePipeline.builder().stage("new").stage("demo")
                .terminal("signed", Outcome.WON).terminal("dropped", Outcome.LOST)
                .transition("new", "demo", "dropped").transition("demo", "signed", "dropped").build();
        assertThat(Funnel.stages(p)).containsExactly(Stage.of("new"), Stage.of("demo"), Stage.of("signed"));
        assertThat(Funnel.stages(StagePipeline.b2bDefault())).endsWith(Stage.OPPORTUNITY, Stage.WON);
    }

    @Test
    void aValuationPricesPointsAndMoneyButNotPerksOrPercentages() {
        Valuation v = Valuation.of(Money.of("0.02", "EUR"));
        assertThat(v.value(new Incentive.Points(250))).contains(Money.of("5", "EUR"));
        assertThat(v.value(new Incentive.GiftCard(Money.of("25", "USD"), ""))).contains(Money.of("25", "USD"));
        assertThat(v.value(new Incentive.Discount(null, Money.of("30", "EUR"), ""))).contains(Money.of("30", "EUR"));
        assertThat(v.value(new Incentive.Discount(BigDecimal.TEN, null, ""))).isEmpty();
        assertThat(v.value(new Incentive.Perk("training", ""))).isEmpty();
        assertThat(v.value(new Incentive.Custom("swag", java.util.Map.of()))).isEmpty();
    }

    @Test
    void periodsAreHalfOpen() {
        Instant a = Instant.parse("2026-01-01T00:00:00Z");
        Instant b = Instant.parse("2026-02-01T00:00:00Z");
        ReportPeriod p = ReportPeriod.of(a, b);
        assertThat(p.contains(a)).isTrue();
        assertThat(p.contains(b)).isFalse();
        assertThatThrownBy(() -> ReportPeriod.of(b, a)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> ReportPeriod.of(a, a)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void aPeriodIsDescribedInWordsNeverWithTheStandInBoundsOfAllTime() {
        Instant jan = Instant.parse("2026-01-01T00:00:00Z");
        Instant apr = Instant.parse("2026-04-01T00:00:00Z");
        assertThat(ReportPeriod.ALL_TIME.describe()).isEqualTo("all time");
        assertThat(ReportPeriod.ALL_TIME.hasStart()).isFalse();
        assertThat(ReportPeriod.ALL_TIME.hasEnd()).isFalse();
        assertThat(ReportPeriod.of(jan, ReportPeriod.ALL_TIME.to()).describe()).isEqualTo("since 2026-01-01");
        assertThat(ReportPeriod.of(Instant.EPOCH, apr).describe()).isEqualTo("before 2026-04-01");
        assertThat(ReportPeriod.of(jan, apr).describe()).isEqualTo("2026-01-01 to 2026-03-31");
        assertThat(ReportPeriod.of(jan, jan.plusSeconds(86_400)).describe()).isEqualTo("2026-01-01");
        assertThat(ReportPeriod.of(jan.plusSeconds(3_600), apr.plusSeconds(60)).describe())
                .isEqualTo("2026-01-01T01:00:00Z to 2026-04-01T00:01:00Z");
        for (ReportPeriod p : List.of(ReportPeriod.ALL_TIME, ReportPeriod.of(jan, ReportPeriod.ALL_TIME.to()),
                ReportPeriod.of(Instant.EPOCH, apr))) {
            assertThat(p.describe()).doesNotContain("1970", "9999");
        }
    }

    @Test
    void roiIsUndefinedWithoutCostAndRefusesMixedCurrencies() {
        assertThat(new Roi(Money.of("10", "EUR"), Money.of("0", "EUR")).value()).isEmpty();
        assertThat(new Roi(Money.of("30", "EUR"), Money.of("10", "EUR")).value()).contains(new BigDecimal("2.0000"));
        assertThatThrownBy(() -> new Roi(Money.of("10", "EUR"), Money.of("1", "USD")))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void queriesValidateTheirBounds() {
        InsightsQuery.Builder b = InsightsQuery.builder(io.referrals.core.model.ProgramId.of("p"),
                java.util.Currency.getInstance("EUR"));
        assertThatThrownBy(() -> b.topAdvocates(0)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> b.topAdvocates(101)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> b.segment(" ")).isInstanceOf(IllegalArgumentException.class);
        assertThat(b.build().period()).isEqualTo(ReportPeriod.ALL_TIME);
        assertThat(b.build()).isEqualTo(b.build());
    }
}
