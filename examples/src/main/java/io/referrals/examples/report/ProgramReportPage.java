package io.referrals.examples.report;

import io.referrals.core.ProgramInsights;
import io.referrals.core.ReferralEngine;
import io.referrals.core.insights.InsightsQuery;
import io.referrals.core.insights.ProgramReport;
import io.referrals.core.insights.ProgramStats;
import io.referrals.core.insights.Rate;
import io.referrals.core.insights.ReportPeriod;
import io.referrals.core.insights.Valuation;
import io.referrals.core.model.Money;
import io.referrals.core.model.ProgramId;
import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.math.RoundingMode;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Currency;
import java.util.List;
import java.util.Locale;
import java.util.Objects;

/**
 * Renders a {@link ProgramReport} as a self-contained HTML page with an inline SVG funnel chart, and as a console
 * summary. Every piece of text from the data (program and advocate names) is HTML-escaped.
 *
 * <p>The demo calls {@link #write(ReferralEngine, ProgramId, Path, PrintStream)}.
 */
public final class ProgramReportPage {
    /** The demo's valuation: euros, one cent per point. */
    public static final Valuation DEFAULT_VALUATION = Valuation.of(Money.of("0.01", "EUR"));

    private static final int ROW_HEIGHT = 46;
    /** The funnel's font size, in SVG user units (pixels). */
    static final int FONT_SIZE = 13;
    /** Space between a text and the edge of the chart or the bars. */
    static final int GAP = 10;
    private static final int MIN_LABEL_COLUMN = 150;
    private static final int BAR_SPACE = 380;
    private static final int MIN_RIGHT_COLUMN = 110;
    /**
     * Characters by advance width in DejaVu Sans, the widest common sans-serif a browser falls back on: text measured
     * with {@link #textWidth} takes at least as much room in Arial, Helvetica, Roboto or Segoe UI.
     */
    private static final String NARROW = "ijl'";
    private static final String SLIM = "frt()[]/-.,:;|! ";
    private static final String WIDE = "mw%MW";

    private ProgramReportPage() {
    }

    /**
     * Computes the program's all-time report in euros (a point is worth a cent), writes it as HTML to
     * {@code htmlFile} (creating its directory), prints the console summary to {@code console}, and returns the report.
     */
    public static ProgramReport write(ReferralEngine engine, ProgramId programId, Path htmlFile,
            PrintStream console) {
        Objects.requireNonNull(engine, "engine");
        ProgramReport report = engine.extension(ProgramInsights.extension()).report(
                InsightsQuery.builder(programId, Currency.getInstance("EUR")).build(), DEFAULT_VALUATION);
        try {
            Path dir = htmlFile.toAbsolutePath().getParent();
            if (dir != null) {
                Files.createDirectories(dir);
            }
            Files.writeString(htmlFile, html(report), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException("could not write the program report to " + htmlFile, e);
        }
        console.print(consoleSummary(report));
        console.println("   Program report written to " + htmlFile.toAbsolutePath());
        return report;
    }

    /** The console summary: KPIs, the funnel as text bars, and the top advocates. */
    public static String consoleSummary(ProgramReport r) {
        StringBuilder sb = new StringBuilder();
        sb.append("== Program report: ").append(r.programName()).append('\n');
        sb.append("   ").append(period(r)).append('\n');
        sb.append(String.format(Locale.ROOT, "   advocates enrolled %d, referring %d (%s participation)%n",
                r.advocatesEnrolled(), r.referringAdvocates(), r.participation().percent()));
        sb.append(String.format(Locale.ROOT, "   referrals %d, won %d (%s), median time to won %s, p90 %s%n",
                r.submitted(), r.won(), r.referralToWon().percent(), days(r.timeToWon().median(), r),
                days(r.timeToWon().p90(), r)));
        sb.append(String.format(Locale.ROOT, "   revenue %s, incentive cost %s (liability %s), ROI %s%n",
                money(r.revenue()), money(r.incentiveCost().committed()),
                money(r.incentiveCost().outstandingLiability()), r.roi().percent()));
        ProgramReport.IncentiveCost cost = r.incentiveCost();
        if (!cost.committedWithoutValue().isEmpty()) {
            sb.append("   incentive cost ").append(withoutValue(cost.committedWithoutValue(), r)).append('\n');
        }
        if (!cost.liabilityWithoutValue().isEmpty()) {
            sb.append("   liability ").append(withoutValue(cost.liabilityWithoutValue(), r)).append('\n');
        }
        long top = Math.max(1, r.submitted());
        for (ProgramReport.FunnelStep s : r.funnel()) {
            int bar = (int) Math.round(30.0 * s.reached() / top);
            sb.append(String.format(Locale.ROOT, "   %-14s %-30s %4d  %s%n", s.stage().name(), "#".repeat(bar),
                    s.reached(), s.fromPrevious().percent()));
        }
        for (ProgramReport.TopAdvocate a : r.topByWon()) {
            sb.append(String.format(Locale.ROOT, "   top advocate: %s, %d won of %d, %s%n", a.displayName(), a.won(),
                    a.submitted(), money(a.revenue())));
        }
        return sb.toString();
    }

    /** The HTML page: self-contained, no external assets. */
    public static String html(ProgramReport r) {
        StringBuilder h = new StringBuilder(8192);
        h.append("<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n")
                .append("<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n")
                .append("<title>Referral program report: ").append(esc(r.programName())).append("</title>\n")
                .append("<style>\n")
                .append("body{font-family:system-ui,-apple-system,'Segoe UI',Roboto,sans-serif;margin:2rem auto;")
                .append("max-width:60rem;color:#1f2933;padding:0 1rem}\n")
                .append("h1{font-size:1.6rem;margin-bottom:.2rem}h2{font-size:1.15rem;margin-top:2rem}\n")
                .append(".muted{color:#616e7c;font-size:.9rem}\n")
                .append(".kpis{display:grid;grid-template-columns:repeat(auto-fill,minmax(11rem,1fr));gap:.8rem}\n")
                .append(".kpi{border:1px solid #e4e7eb;border-radius:.5rem;padding:.8rem}\n")
                .append(".kpi b{display:block;font-size:1.4rem;color:#0b6e4f}\n")
                .append("table{border-collapse:collapse;width:100%}th,td{text-align:left;padding:.35rem .5rem;")
                .append("border-bottom:1px solid #e4e7eb}td.n,th.n{text-align:right}\n")
                .append("</style>\n</head>\n<body>\n");
        h.append("<h1>").append(esc(r.programName())).append("</h1>\n");
        h.append("<p class=\"muted\">").append(esc(period(r))).append(", amounts in ")
                .append(esc(r.query().currency().getCurrencyCode())).append(". Generated ")
                .append(esc(r.generatedAt().toString())).append(".</p>\n");

        h.append("<h2>Key figures</h2>\n<div class=\"kpis\">\n");
        kpi(h, "Advocates who referred", r.participation().percent(),
                r.referringAdvocates() + " of " + r.advocatesEnrolled() + " enrolled");
        kpi(h, "Referrals", Long.toString(r.submitted()), r.won() + " won");
        kpi(h, "Referral to won", r.referralToWon().percent(), "conversion");
        kpi(h, "Time to won", days(r.timeToWon().median(), r), "median; p90 " + days(r.timeToWon().p90(), r));
        kpi(h, "Revenue", money(r.revenue()), r.wonWithoutDealValue() + " won without a deal value");
        ProgramReport.IncentiveCost cost = r.incentiveCost();
        kpi(h, "Incentive cost", money(cost.committed()), "liability " + money(cost.outstandingLiability())
                + (cost.committedWithoutValue().isEmpty() ? "" : ", plus rewards without a money value (below)"));
        kpi(h, "ROI", r.roi().percent(), "(revenue - cost) / cost");
        h.append("</div>\n");

        h.append("<h2>Funnel</h2>\n").append(funnelSvg(r)).append('\n');

        h.append("<h2>Incentive cost</h2>\n<table>\n<tr><th>Status</th><th class=\"n\">Value</th></tr>\n");
        row(h, "Issued (fulfilled)", money(r.incentiveCost().issued()));
        row(h, "Approved, not yet fulfilled", money(r.incentiveCost().approved()));
        row(h, "Pending", money(r.incentiveCost().pending()));
        row(h, "Reversed (clawed back)", money(r.incentiveCost().reversed()));
        row(h, "Outstanding liability", money(r.incentiveCost().outstandingLiability()));
        h.append("</table>\n");
        if (!cost.committedWithoutValue().isEmpty() || !cost.liabilityWithoutValue().isEmpty()) {
            h.append("<p class=\"muted\">Not in these amounts: ");
            if (!cost.committedWithoutValue().isEmpty()) {
                h.append("cost ").append(esc(withoutValue(cost.committedWithoutValue(), r)));
            }
            if (!cost.liabilityWithoutValue().isEmpty()) {
                h.append(cost.committedWithoutValue().isEmpty() ? "" : "; ").append("liability ")
                        .append(esc(withoutValue(cost.liabilityWithoutValue(), r)));
            }
            h.append(".</p>\n");
        }

        if (sameAdvocates(r.topByWon(), r.topByRevenue())) {
            // the two rankings agree: one table says both
            topTable(h, "Top advocates by won referrals and by revenue", r.topByWon());
        } else {
            topTable(h, "Top advocates by won referrals", r.topByWon());
            topTable(h, "Top advocates by revenue", r.topByRevenue());
        }

        h.append("<h2>By channel</h2>\n<table>\n<tr><th>Channel</th><th class=\"n\">Referrals</th>")
                .append("<th class=\"n\">Won</th><th class=\"n\">Conversion</th></tr>\n");
        for (ProgramStats.Breakdown b : r.byChannel()) {
            h.append("<tr><td>").append(esc(b.key().toLowerCase(Locale.ROOT).replace('_', ' ')))
                    .append("</td><td class=\"n\">").append(b.submitted()).append("</td><td class=\"n\">")
                    .append(b.won()).append("</td><td class=\"n\">")
                    .append(esc(Rate.of(b.won(), b.submitted()).percent())).append("</td></tr>\n");
        }
        h.append("</table>\n</body>\n</html>\n");
        return h.toString();
    }

    /** The funnel as horizontal bars centred on one axis, widest at the top, with counts and step conversions. */
    static String funnelSvg(ProgramReport r) {
        List<ProgramReport.FunnelStep> steps = r.funnel();
        int height = Math.max(1, steps.size()) * ROW_HEIGHT + 10;
        // the columns grow with the longest label and the longest conversion text: nothing is clipped
        double longestLabel = 0;
        double longestNote = 0;
        for (int i = 0; i < steps.size(); i++) {
            longestLabel = Math.max(longestLabel, textWidth(label(steps.get(i))));
            longestNote = Math.max(longestNote, textWidth(note(steps.get(i), i)));
        }
        int labelColumn = Math.max(MIN_LABEL_COLUMN, (int) Math.ceil(longestLabel) + 2 * GAP);
        int barSpace = BAR_SPACE;
        int chartWidth = labelColumn + barSpace + Math.max(MIN_RIGHT_COLUMN, (int) Math.ceil(longestNote) + 2 * GAP);
        long max = Math.max(1, steps.isEmpty() ? 1 : steps.get(0).reached());
        StringBuilder s = new StringBuilder();
        s.append("<svg xmlns=\"http://www.w3.org/2000/svg\" role=\"img\" width=\"").append(chartWidth)
                .append("\" height=\"").append(height).append("\" viewBox=\"0 0 ").append(chartWidth).append(' ')
                .append(height).append("\" style=\"max-width:100%;height:auto\"")
                .append(" font-family=\"system-ui,sans-serif\" font-size=\"").append(FONT_SIZE).append("\">\n");
        s.append("<title>Referral funnel of ").append(esc(r.programName())).append("</title>\n");
        for (int i = 0; i < steps.size(); i++) {
            ProgramReport.FunnelStep step = steps.get(i);
            int y = 5 + i * ROW_HEIGHT;
            double width = Math.max(2.0, barSpace * (double) step.reached() / max);
            double x = labelColumn + (barSpace - width) / 2;
            String shade = i == steps.size() - 1 ? "#0b6e4f" : "#3e8ed0";
            s.append(String.format(Locale.ROOT, "<text x=\"%d\" y=\"%d\" text-anchor=\"end\">%s</text>%n",
                    labelColumn - GAP, y + 24, esc(label(step))));
            s.append(String.format(Locale.ROOT,
                    "<rect x=\"%.1f\" y=\"%d\" width=\"%.1f\" height=\"%d\" rx=\"4\" fill=\"%s\">"
                            + "<title>%s: %d</title></rect>%n",
                    x, y, width, ROW_HEIGHT - 12, shade, esc(step.stage().name()), step.reached()));
            s.append(String.format(Locale.ROOT,
                    "<text x=\"%d\" y=\"%d\" text-anchor=\"middle\" fill=\"#1f2933\" font-weight=\"bold\">%d</text>%n",
                    labelColumn + barSpace / 2, y + 24, step.reached()));
            s.append(String.format(Locale.ROOT, "<text x=\"%d\" y=\"%d\" fill=\"#616e7c\">%s</text>%n",
                    labelColumn + barSpace + GAP, y + 24, esc(note(step, i))));
        }
        s.append("</svg>");
        return s.toString();
    }

    /** Which referrals the report covers, in words: never the stand-in bounds 1970 and 9999 of "all time". */
    static String period(ProgramReport r) {
        ReportPeriod period = r.query().period();
        String words = period.describe();
        if (!period.hasStart() && !period.hasEnd()) {
            return "All referrals, all time";
        }
        if (!period.hasStart() || !period.hasEnd()) {
            return "Referrals submitted " + words;
        }
        return "Referrals submitted " + (words.contains(" to ") ? "from " : "on ") + words;
    }

    /**
     * What a money figure leaves out, in words: {@code plus rewards without a money value in EUR: 1,200 points,
     * 2 in kind (perks, percentage discounts, custom), 30.00 USD (not converted)}.
     */
    static String withoutValue(ProgramReport.WithoutValue w, ProgramReport r) {
        List<String> parts = new ArrayList<>();
        if (w.points() > 0) {
            parts.add(String.format(Locale.ROOT, "%,d points", w.points()));
        }
        if (w.inKind() > 0) {
            parts.add(w.inKind() + " in kind (perks, percentage discounts, custom)");
        }
        for (Money m : w.otherCurrencies()) {
            parts.add(money(m) + " (not converted)");
        }
        return "plus rewards without a money value in " + r.query().currency().getCurrencyCode() + ": "
                + String.join(", ", parts);
    }

    /** True when both top lists name the same advocates in the same order. */
    static boolean sameAdvocates(List<ProgramReport.TopAdvocate> a, List<ProgramReport.TopAdvocate> b) {
        return a.stream().map(ProgramReport.TopAdvocate::advocateId).toList()
                .equals(b.stream().map(ProgramReport.TopAdvocate::advocateId).toList());
    }

    /** A funnel step's label: its stage name in words. */
    static String label(ProgramReport.FunnelStep step) {
        return step.stage().name().replace('_', ' ');
    }

    /** The text right of a funnel bar. */
    static String note(ProgramReport.FunnelStep step, int index) {
        return index == 0 ? "submitted" : step.fromPrevious().percent() + " of previous";
    }

    /**
     * How wide lower-case {@code text} (stage names, percentages) is at {@link #FONT_SIZE}, at most: DejaVu Sans
     * advance widths rounded up (0.28 em for i, j, l; 0.42 em for f, r, t, punctuation and spaces; 1 em for m, w and
     * %; 0.7 em otherwise).
     */
    static double textWidth(String text) {
        double em = 0;
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            em += NARROW.indexOf(c) >= 0 ? 0.28 : SLIM.indexOf(c) >= 0 ? 0.42 : WIDE.indexOf(c) >= 0 ? 1.0 : 0.7;
        }
        return em * FONT_SIZE;
    }

    private static void kpi(StringBuilder h, String label, String value, String note) {
        h.append("<div class=\"kpi\">").append(esc(label)).append("<b>").append(esc(value)).append("</b>")
                .append("<span class=\"muted\">").append(esc(note)).append("</span></div>\n");
    }

    private static void row(StringBuilder h, String label, String value) {
        h.append("<tr><td>").append(esc(label)).append("</td><td class=\"n\">").append(esc(value))
                .append("</td></tr>\n");
    }

    private static void topTable(StringBuilder h, String title, List<ProgramReport.TopAdvocate> top) {
        h.append("<h2>").append(esc(title)).append("</h2>\n");
        if (top.isEmpty()) {
            h.append("<p class=\"muted\">No advocate yet.</p>\n");
            return;
        }
        h.append("<table>\n<tr><th>Advocate</th><th class=\"n\">Referrals</th><th class=\"n\">Won</th>")
                .append("<th class=\"n\">Revenue</th></tr>\n");
        for (ProgramReport.TopAdvocate a : top) {
            h.append("<tr><td>").append(esc(a.displayName())).append("</td><td class=\"n\">").append(a.submitted())
                    .append("</td><td class=\"n\">").append(a.won()).append("</td><td class=\"n\">")
                    .append(esc(money(a.revenue()))).append("</td></tr>\n");
        }
        h.append("</table>\n");
    }

    private static String days(Duration d, ProgramReport r) {
        if (r.timeToWon().isEmpty()) {
            return "n/a";
        }
        return String.format(Locale.ROOT, "%.1f days", d.toMillis() / 86_400_000.0);
    }

    private static String money(Money m) {
        int digits = Math.max(0, m.currency().getDefaultFractionDigits());
        return String.format(Locale.ROOT, "%,." + digits + "f %s", m.amount().setScale(digits, RoundingMode.HALF_EVEN),
                m.currency().getCurrencyCode());
    }

    /** Escapes text for HTML element content and attribute values. */
    static String esc(String s) {
        StringBuilder sb = new StringBuilder(s.length());
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            switch (c) {
                case '<' -> sb.append("&lt;");
                case '>' -> sb.append("&gt;");
                case '&' -> sb.append("&amp;");
                case '"' -> sb.append("&quot;");
                case '\'' -> sb.append("&#39;");
                default -> sb.append(c);
            }
        }
        return sb.toString();
    }
}
