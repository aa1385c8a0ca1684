package io.referrals.core.insights;

import static org.assertj.core.api.Assertions.assertThat;

import io.referrals.core.model.AdvocateId;
import io.referrals.core.model.Money;
import io.referrals.core.model.Program;
import io.referrals.core.model.ProgramId;
import io.referrals.core.model.ProgramKind;
import io.referrals.core.model.RewardStatus;
import io.referrals.core.model.Stage;
import java.time.Duration;
import java.time.Instant;
import java.util.Currency;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

@DisplayName("Insights export")
class InsightsExportTest {
    static final AdvocateId ADA = AdvocateId.of("adv-1");
    static final String HOSTILE_NAME = "=HYPERLINK(\"x\"), \"Ada\"\nLovelace\\";

    final Program program = Program.builder(ProgramId.of("p1"), "Partners, \"EU\"", ProgramKind.PARTNER).build();
    final InsightsQuery query = InsightsQuery.builder(program.id(), Currency.getInstance("EUR")).build();
    final ProgramStats stats = new ProgramStats(10, 2, 4, 8, Map.of(Stage.WON, 2L, Stage.SUBMITTED, 6L),
            Map.of(Stage.SUBMITTED, 6L, Stage.WON, 2L),
            List.of(new ProgramStats.TransitionCount(Stage.SUBMITTED, Stage.WON, 2)), 2,
            DurationSummary.ofMillis(new long[] {Duration.ofDays(10).toMillis(), Duration.ofDays(20).toMillis()}),
            List.of(Money.of("1500.50", "EUR"), Money.of("99", "USD")), 0,
            Map.of(RewardStatus.FULFILLED, new ProgramStats.RewardTotals(2, 1000, List.of(Money.of("40", "EUR")), 0)),
            List.of(new ProgramStats.Breakdown("DIRECT_EMAIL", 8, 2)), List.of(),
            List.of(new ProgramStats.AdvocateTotals(ADA, 3, 2, Money.of("1500.50", "EUR"))),
            List.of(new ProgramStats.AdvocateTotals(ADA, 3, 2, Money.of("1500.50", "EUR"))));
    final ProgramReport report = ProgramReport.of(program, query, stats, Valuation.of(Money.of("0.01", "EUR")),
            Map.of(ADA, HOSTILE_NAME), Instant.parse("2026-03-01T12:00:00Z"));

    @Test
    void jsonCarriesTheFiguresWithExactMoneyAndEscapedText() {
        String json = InsightsExport.toJson(report);
        assertThat(json).startsWith("{\"programId\":\"p1\",\"programName\":\"Partners, \\\"EU\\\"\"");
        assertThat(json).contains("\"participation\":0.4000", "\"submitted\":8", "\"won\":2",
                "\"referralToWon\":0.2500", "\"medianMillis\":" + Duration.ofDays(15).toMillis(),
                "\"revenue\":{\"amount\":\"1500.50\",\"currency\":\"EUR\"}",
                "\"revenueInOtherCurrencies\":[{\"amount\":\"99\",\"currency\":\"USD\"}]",
                "\"issued\":{\"amount\":\"50.00\",\"currency\":\"EUR\"}", "\"channel\":null",
                "{\"from\":\"submitted\",\"to\":\"won\",\"count\":2}");
        assertThat(json).contains("\"displayName\":\"=HYPERLINK(\\\"x\\\"), \\\"Ada\\\"\\nLovelace\\\\\"");
        assertThat(json).doesNotContain("\n");
        assertThat(balanced(json)).isTrue();
    }

    @Test
    void jsonWritesUndefinedRatesAsNull() {
        ProgramReport empty = ProgramReport.of(program, query, ProgramStats.empty(),
                Valuation.of(Money.of("0.01", "EUR")), Map.of(), Instant.parse("2026-03-01T12:00:00Z"));
        String json = InsightsExport.toJson(empty);
        assertThat(json).contains("\"participation\":null", "\"value\":null", "\"topByWon\":[]");
        assertThat(balanced(json)).isTrue();
    }

    @Test
    void csvHasOneQuotedRowPerFigureAndDefusesFormulas() {
        String csv = InsightsExport.toCsv(report);
        List<String> lines = List.of(csv.split("\r\n(?=(?:[^\"]*\"[^\"]*\")*[^\"]*$)"));
        assertThat(lines.get(0)).isEqualTo("section,key,metric,value");
        assertThat(lines).contains("program,p1,name,\"Partners, \"\"EU\"\"\"", "advocates,,participation,0.4000",
                "funnel,won,reached,2", "funnel,submitted,from_previous,1.0000", "revenue,,amount_EUR,1500.50",
                "revenue_other_currency,,amount_USD,99", "incentive_cost,issued,amount_EUR,50.00",
                "roi,,value,29.0100", "transition,submitted>won,count,2", "channel,DIRECT_EMAIL,won,2");
        assertThat(lines).contains("top_by_won,adv-1,display_name,\"'=HYPERLINK(\"\"x\"\"), \"\"Ada\"\"\nLovelace\\\"");
        assertThat(csv).endsWith("\r\n");
    }

    @Test
    @DisplayName("CSV writes negative numbers as numbers and guards only text cells against formulas")
    void csvGuardsTextButNeverNumbers() {
        ProgramStats losing = new ProgramStats(10, 2, 4, 8, Map.of(Stage.WON, 2L), Map.of(Stage.WON, 2L), List.of(),
                2, DurationSummary.ofMillis(new long[0]), List.of(Money.of("20", "EUR")), 0,
                Map.of(RewardStatus.FULFILLED, new ProgramStats.RewardTotals(2, 1000, List.of(Money.of("40", "EUR")),
                        0)),
                List.of(new ProgramStats.Breakdown("-direct", 8, 2)), List.of(new ProgramStats.Breakdown("@vip", 1, 0)),
                List.of(new ProgramStats.AdvocateTotals(ADA, 3, 2, Money.of("20", "EUR"))), List.of());
        ProgramReport r = ProgramReport.of(program, query, losing, Valuation.of(Money.of("0.01", "EUR")),
                Map.of(ADA, "-1+2"), Instant.parse("2026-03-01T12:00:00Z"));
        assertThat(r.roi().value()).hasValueSatisfying(v -> assertThat(v.signum()).isNegative());

        List<String> lines = List.of(InsightsExport.toCsv(r).split("\r\n"));

        assertThat(lines).contains("roi,,value,-0.6000", "roi,net,amount_EUR,-30.00");
        assertThat(lines).contains("channel,'-direct,submitted,8", "segment,'@vip,won,0",
                "top_by_won,adv-1,display_name,'-1+2");
        assertThat(lines).filteredOn(l -> l.startsWith("roi,") || l.startsWith("advocates,")
                || l.startsWith("referrals,") || l.startsWith("funnel,")).noneMatch(l -> l.contains("'"));
    }

    /** Braces and brackets outside strings balance. */
    private static boolean balanced(String json) {
        int depth = 0;
        boolean inString = false;
        for (int i = 0; i < json.length(); i++) {
            char c = json.charAt(i);
            if (inString) {
                if (c == '\\') {
                    i++;
                } else if (c == '"') {
                    inString = false;
                }
            } else if (c == '"') {
                inString = true;
            } else if (c == '{' || c == '[') {
                depth++;
            } else if (c == '}' || c == ']') {
                depth--;
                if (depth < 0) {
                    return false;
                }
            }
        }
        return depth == 0 && !inString;
    }
}
