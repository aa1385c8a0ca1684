package io.referrals.examples.report;

import static org.assertj.core.api.Assertions.assertThat;

import io.referrals.core.AdvocateRegistration;
import io.referrals.core.CaptureRequest;
import io.referrals.core.ProgramInsights;
import io.referrals.core.ReferralEngine;
import io.referrals.core.TransitionRequest;
import io.referrals.core.insights.InsightsQuery;
import io.referrals.core.insights.ProgramReport;
import io.referrals.core.insights.ReportPeriod;
import io.referrals.core.insights.Valuation;
import io.referrals.core.model.Advocate;
import io.referrals.core.model.AdvocateKind;
import io.referrals.core.model.Beneficiary;
import io.referrals.core.model.Channel;
import io.referrals.core.model.ConsentBasis;
import io.referrals.core.model.Incentive;
import io.referrals.core.model.Outcome;
import io.referrals.core.model.Program;
import io.referrals.core.model.ProgramId;
import io.referrals.core.model.ProgramKind;
import io.referrals.core.model.ProgramStatus;
import io.referrals.core.model.Prospect;
import io.referrals.core.model.Referral;
import io.referrals.core.model.Reward;
import io.referrals.core.model.RewardId;
import io.referrals.core.model.RewardSource;
import io.referrals.core.model.RewardStatus;
import io.referrals.core.model.Stage;
import io.referrals.core.model.StagePipeline;
import io.referrals.core.model.TransitionCause;
import io.referrals.core.storage.ReferralQuery;
import java.awt.Font;
import java.awt.font.FontRenderContext;
import java.awt.font.TextLayout;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Currency;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ProgramReportPageTest {

    @Test
    void writesASelfContainedPageWithAnSvgFunnelAndPrintsASummary(@TempDir Path dir) throws Exception {
        ReferralEngine engine = ProgramReportExample.seeded();
        ByteArrayOutputStream console = new ByteArrayOutputStream();
        Path file = dir.resolve("reports/program.html");
        ProgramReport report = ProgramReportPage.write(engine, ProgramReportExample.PROGRAM, file,
                new PrintStream(console, true, StandardCharsets.UTF_8));

        assertThat(report.submitted()).isEqualTo(12);
        assertThat(report.won()).isEqualTo(3);
        assertThat(report.timeToWon().median()).isPositive();
        String html = Files.readString(file);
        assertThat(html).startsWith("<!DOCTYPE html>").contains("<svg", "</svg>", "Customer referrals",
                "Top advocates by won referrals");
        // six funnel bars, no external assets, no scripts
        assertThat(html.split("<rect ", -1)).hasSize(7);
        assertThat(html).doesNotContain("<script", "<link", "src=", "url(", "@import");
        assertThat(html.replace("xmlns=\"http://www.w3.org/2000/svg\"", "")).doesNotContain("http://", "https://");
        // names are escaped
        assertThat(html).doesNotContain("Ana <Admin>");
        String out = console.toString(StandardCharsets.UTF_8);
        assertThat(out).contains("== Program report: Customer referrals", "referrals 12, won 3", "ROI");
    }

    private static final Currency EUR = Currency.getInstance("EUR");

    private static ProgramReport report(ReferralEngine engine, ProgramId program, InsightsQuery.Builder query,
            Valuation valuation) {
        return engine.extension(ProgramInsights.extension()).report(query.build(), valuation);
    }

    private static ProgramReport report(InsightsQuery.Builder query) {
        return report(ProgramReportExample.seeded(), ProgramReportExample.PROGRAM, query,
                ProgramReportPage.DEFAULT_VALUATION);
    }

    /** A program whose stages have long names (as CRMs name them), with three referrals in its funnel. */
    static ProgramReport longStageNames() {
        ReferralEngine engine = ReferralEngine.builder().install(ProgramInsights.extension()).build();
        ProgramId id = ProgramId.of("enterprise");
        engine.defineProgram(Program.builder(id, "Enterprise", ProgramKind.PARTNER).status(ProgramStatus.ACTIVE)
                .pipeline(StagePipeline.builder().stage("submitted").stage("identify_decision_makers")
                        .stage("perception_analysis_with_the_buying_team").stage("qualification")
                        .terminal("closed_won", Outcome.WON).terminal("closed_lost", Outcome.LOST)
                        .transition("submitted", "identify_decision_makers", "closed_lost")
                        .transition("identify_decision_makers", "perception_analysis_with_the_buying_team",
                                "closed_lost")
                        .transition("perception_analysis_with_the_buying_team", "qualification", "closed_lost")
                        .transition("qualification", "closed_won", "closed_lost").build())
                .build());
        Advocate a = engine.registerAdvocate(AdvocateRegistration.of("x-1", "Ann", "", AdvocateKind.PARTNER));
        engine.enrol(a.id(), id);
        for (int i = 0; i < 3; i++) {
            Referral r = engine.capture(CaptureRequest.builder().advocate(a.id()).program(id)
                    .prospect(Prospect.builder().fullName("P").email("p" + i + "@c" + i + ".example")
                            .company("C" + i).build())
                    .channel(Channel.PARTNER_PORTAL).consent(ConsentBasis.PROSPECT_CONSENT).build())
                    .acceptedReferral();
            if (i > 0) {
                engine.transition(TransitionRequest.of(r.id(), Stage.of("identify_decision_makers"),
                        TransitionCause.rep("rep")));
                engine.transition(TransitionRequest.of(r.id(), Stage.of("perception_analysis_with_the_buying_team"),
                        TransitionCause.rep("rep")));
            }
        }
        return report(engine, id, InsightsQuery.builder(id, EUR), ProgramReportPage.DEFAULT_VALUATION);
    }

    @Test
    @DisplayName("an unbounded period reads 'all time' or 'since', never 1970 or 9999")
    void periodInWords() {
        String allTime = ProgramReportPage.html(report(InsightsQuery.builder(ProgramReportExample.PROGRAM, EUR)));
        assertThat(allTime).contains("All referrals, all time, amounts in EUR").doesNotContain("1970", "9999");
        assertThat(ProgramReportPage.consoleSummary(report(InsightsQuery.builder(ProgramReportExample.PROGRAM, EUR))))
                .contains("All referrals, all time").doesNotContain("1970", "9999");

        ReportPeriod since = ReportPeriod.of(Instant.parse("2026-01-10T00:00:00Z"), ReportPeriod.ALL_TIME.to());
        assertThat(ProgramReportPage.html(report(InsightsQuery.builder(ProgramReportExample.PROGRAM, EUR)
                .period(since)))).contains("Referrals submitted since 2026-01-10").doesNotContain("9999");
        ReportPeriod quarter = ReportPeriod.of(Instant.parse("2026-01-01T00:00:00Z"),
                Instant.parse("2026-04-01T00:00:00Z"));
        assertThat(ProgramReportPage.html(report(InsightsQuery.builder(ProgramReportExample.PROGRAM, EUR)
                .period(quarter)))).contains("Referrals submitted from 2026-01-01 to 2026-03-31");
    }

    @Test
    @DisplayName("the funnel makes room for long stage names and conversion texts: no label runs off the chart")
    void funnelLabelsFit() {
        String svg = ProgramReportPage.funnelSvg(longStageNames());

        Matcher size = Pattern.compile("<svg [^>]*width=\"(\\d+)\"[^>]*viewBox=\"0 0 (\\d+) ").matcher(svg);
        assertThat(size.find()).isTrue();
        int width = Integer.parseInt(size.group(1));
        assertThat(size.group(2)).isEqualTo(size.group(1));
        Matcher labels = Pattern.compile("<text x=\"(\\d+)\" y=\"\\d+\" text-anchor=\"end\">([^<]+)</text>")
                .matcher(svg);
        List<String> seen = new ArrayList<>();
        while (labels.find()) {
            int end = Integer.parseInt(labels.group(1));
            String label = labels.group(2);
            seen.add(label);
            assertThat(end - ProgramReportPage.textWidth(label)).as("left edge of '%s'", label)
                    .isGreaterThanOrEqualTo(0);
        }
        assertThat(seen).contains("perception analysis with the buying team", "identify decision makers");
        Matcher notes = Pattern.compile("<text x=\"(\\d+)\" y=\"\\d+\" fill=\"#616e7c\">([^<]+)</text>")
                .matcher(svg);
        int count = 0;
        while (notes.find()) {
            count++;
            assertThat(Integer.parseInt(notes.group(1)) + ProgramReportPage.textWidth(notes.group(2)))
                    .as("right edge of '%s'", notes.group(2)).isLessThanOrEqualTo(width);
        }
        assertThat(count).isEqualTo(seen.size());
        assertThat(svg).contains("max-width:100%");
    }

    @Test
    @DisplayName("text widths are measured generously: never narrower than the installed sans-serif font")
    void textWidthsAreGenerous() {
        Font sans;
        FontRenderContext frc = new FontRenderContext(null, true, true);
        try {
            sans = new Font(Font.SANS_SERIF, Font.PLAIN, ProgramReportPage.FONT_SIZE);
            new TextLayout("x", sans, frc);
        } catch (RuntimeException | Error e) {
            Assumptions.abort("no font to measure with: " + e);
            return;
        }
        for (String text : List.of("perception analysis with the buying team", "meeting held", "submitted",
                "100.0% of previous", "mmmmwwww", "illicit lily", "opportunity 0123456789")) {
            assertThat(ProgramReportPage.textWidth(text)).as(text)
                    .isGreaterThanOrEqualTo(new TextLayout(text, sans, frc).getAdvance());
        }
    }

    @Test
    @DisplayName("two top lists that agree are shown as one table, not the same table twice")
    void noDuplicateTable() {
        ProgramReport r = report(InsightsQuery.builder(ProgramReportExample.PROGRAM, EUR));
        assertThat(ProgramReportPage.sameAdvocates(r.topByWon(), r.topByRevenue())).isTrue();

        String html = ProgramReportPage.html(r);

        assertThat(html).contains("<h2>Top advocates by won referrals and by revenue</h2>")
                .doesNotContain("<h2>Top advocates by won referrals</h2>", "<h2>Top advocates by revenue</h2>");
        assertThat(html.split("<th>Advocate</th>", -1)).hasSize(2);
    }

    @Test
    @DisplayName("rewards without a money value are stated, not silently left out of cost and liability")
    void rewardsWithoutMoneyValueAreStated() {
        ReferralEngine engine = ProgramReportExample.seeded();
        engine.transactions().inTransaction(w -> {
            Referral any = w.store().referrals().find(ReferralQuery.builder().program(ProgramReportExample.PROGRAM)
                    .limit(1).build()).get(0);
            int n = 0;
            for (Incentive incentive : List.of(new Incentive.Perk("training", "Admin training"),
                    new Incentive.Discount(new BigDecimal("20"), null, ""))) {
                w.store().rewards().insert(new Reward(RewardId.of("in-kind-" + n), ProgramReportExample.PROGRAM,
                        any.advocateId(), Beneficiary.ADVOCATE, RewardSource.referral(any.id()), "gift-" + n++, 1,
                        "stage:won", incentive, RewardStatus.APPROVED, w.now(), w.now(), w.now(), List.of(), 1));
            }
            return null;
        });

        ProgramReport valued = report(engine, ProgramReportExample.PROGRAM,
                InsightsQuery.builder(ProgramReportExample.PROGRAM, EUR), ProgramReportPage.DEFAULT_VALUATION);
        String html = ProgramReportPage.html(valued);
        assertThat(html).contains("Not in these amounts: cost plus rewards without a money value in EUR: 2 in kind"
                + " (perks, percentage discounts, custom); liability plus rewards without a money value in EUR: 2 in"
                + " kind (perks, percentage discounts, custom).");
        assertThat(html).contains("plus rewards without a money value (below)");

        ProgramReport pointsUnvalued = report(engine, ProgramReportExample.PROGRAM,
                InsightsQuery.builder(ProgramReportExample.PROGRAM, EUR), Valuation.pointsUnvalued(EUR));
        assertThat(ProgramReportPage.consoleSummary(pointsUnvalued)).contains("   incentive cost plus rewards "
                + "without a money value in EUR: 6,000 points, 2 in kind (perks, percentage discounts, custom)");
        assertThat(ProgramReportPage.html(report(InsightsQuery.builder(ProgramReportExample.PROGRAM, EUR))))
                .doesNotContain("without a money value");
    }
}
