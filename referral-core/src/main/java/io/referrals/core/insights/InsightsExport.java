package io.referrals.core.insights;

import io.referrals.core.json.JsonWriter;
import io.referrals.core.model.Money;
import java.math.BigDecimal;
import java.util.List;
import java.util.Objects;

/**
 * Writes a {@link ProgramReport} as JSON or CSV, by hand (the core has no JSON library). Pure and thread-safe.
 *
 * <p>JSON: one object whose fields follow the report's components; money is {@code {"amount": "12.50",
 * "currency": "EUR"}} with the amount as a string (exact decimals), rates are numbers with 4 decimals or
 * {@code null} when undefined, durations are milliseconds, instants ISO-8601 strings.
 *
 * <p>CSV (RFC 4180, {@code \r\n} line ends): a header {@code section,key,metric,value} and one row per figure, so
 * that every figure is addressable and the file loads into a spreadsheet or a warehouse as is. Numbers (counts,
 * rates, ROI, money amounts) are written as plain decimals, negative ones with their minus sign, so that they load as
 * numbers. Text cells (names, keys, ids, times) that start with {@code = + - @}, a tab or a carriage return are
 * prefixed with {@code '} so a spreadsheet does not run them as a formula; number cells never are.
 */
public final class InsightsExport {
    private InsightsExport() {
    }

    /** The report as a JSON object. */
    public static String toJson(ProgramReport r) {
        Objects.requireNonNull(r, "report");
        JsonWriter j = new JsonWriter();
        j.open('{');
        j.field("programId").string(r.programId().value());
        j.field("programName").string(r.programName());
        j.field("generatedAt").string(r.generatedAt().toString());
        j.field("query").open('{');
        j.field("from").string(r.query().period().from().toString());
        j.field("to").string(r.query().period().to().toString());
        j.field("channel").string(r.query().channel().map(Enum::name).orElse(null));
        j.field("segment").string(r.query().segment().orElse(null));
        j.field("advocateKind").string(r.query().advocateKind().map(Enum::name).orElse(null));
        j.field("currency").string(r.query().currency().getCurrencyCode());
        j.close('}');
        j.field("advocatesEnrolled").number(r.advocatesEnrolled());
        j.field("advocatesEnrolledInPeriod").number(r.advocatesEnrolledInPeriod());
        j.field("referringAdvocates").number(r.referringAdvocates());
        j.field("participation").decimal(r.participation().value().orElse(null));
        j.field("submitted").number(r.submitted());
        j.field("won").number(r.won());
        j.field("referralToWon").decimal(r.referralToWon().value().orElse(null));
        j.field("wonWithoutDealValue").number(r.wonWithoutDealValue());
        j.field("timeToWon").open('{');
        j.field("count").number(r.timeToWon().count());
        j.field("medianMillis").number(r.timeToWon().median().toMillis());
        j.field("p90Millis").number(r.timeToWon().p90().toMillis());
        j.close('}');
        j.field("funnel").open('[');
        for (ProgramReport.FunnelStep s : r.funnel()) {
            j.element().open('{');
            j.field("stage").string(s.stage().name());
            j.field("reached").number(s.reached());
            j.field("fromPrevious").decimal(s.fromPrevious().value().orElse(null));
            j.field("fromSubmitted").decimal(s.fromSubmitted().value().orElse(null));
            j.close('}');
        }
        j.close(']');
        j.field("currentStages").open('[');
        for (ProgramReport.StageCount s : r.currentStages()) {
            j.element().open('{');
            j.field("stage").string(s.stage().name());
            j.field("count").number(s.count());
            j.close('}');
        }
        j.close(']');
        j.field("transitions").open('[');
        for (ProgramStats.TransitionCount t : r.transitions()) {
            j.element().open('{');
            j.field("from").string(t.from().name());
            j.field("to").string(t.to().name());
            j.field("count").number(t.count());
            j.close('}');
        }
        j.close(']');
        money(j.field("revenue"), r.revenue());
        moneys(j.field("revenueInOtherCurrencies"), r.revenueInOtherCurrencies());
        ProgramReport.IncentiveCost c = r.incentiveCost();
        j.field("incentiveCost").open('{');
        money(j.field("pending"), c.pending());
        money(j.field("approved"), c.approved());
        money(j.field("issued"), c.issued());
        money(j.field("reversed"), c.reversed());
        money(j.field("committed"), c.committed());
        money(j.field("outstandingLiability"), c.outstandingLiability());
        j.field("committedPoints").number(c.committedPoints());
        j.field("unvalued").number(c.unvalued());
        moneys(j.field("otherCurrencies"), c.otherCurrencies());
        j.close('}');
        j.field("roi").open('{');
        j.field("value").decimal(r.roi().value().orElse(null));
        money(j.field("net"), r.roi().net());
        j.close('}');
        breakdown(j, "byChannel", r.byChannel());
        breakdown(j, "bySegment", r.bySegment());
        top(j, "topByWon", r.topByWon());
        top(j, "topByRevenue", r.topByRevenue());
        j.close('}');
        return j.toString();
    }

    private static void breakdown(JsonWriter j, String name, List<ProgramStats.Breakdown> rows) {
        j.field(name).open('[');
        for (ProgramStats.Breakdown b : rows) {
            j.element().open('{');
            j.field("key").string(b.key());
            j.field("submitted").number(b.submitted());
            j.field("won").number(b.won());
            j.close('}');
        }
        j.close(']');
    }

    private static void top(JsonWriter j, String name, List<ProgramReport.TopAdvocate> rows) {
        j.field(name).open('[');
        for (ProgramReport.TopAdvocate a : rows) {
            j.element().open('{');
            j.field("advocateId").string(a.advocateId().value());
            j.field("displayName").string(a.displayName());
            j.field("submitted").number(a.submitted());
            j.field("won").number(a.won());
            money(j.field("revenue"), a.revenue());
            j.close('}');
        }
        j.close(']');
    }

    /** The report as CSV rows {@code section,key,metric,value}. */
    public static String toCsv(ProgramReport r) {
        Objects.requireNonNull(r, "report");
        Csv c = new Csv();
        c.row("section", "key", "metric", "value");
        c.row("program", r.programId().value(), "name", r.programName());
        c.row("program", r.programId().value(), "generated_at", r.generatedAt().toString());
        c.row("query", "", "from", r.query().period().from().toString());
        c.row("query", "", "to", r.query().period().to().toString());
        c.row("query", "", "channel", r.query().channel().map(Enum::name).orElse(""));
        c.row("query", "", "segment", r.query().segment().orElse(""));
        c.row("query", "", "advocate_kind", r.query().advocateKind().map(Enum::name).orElse(""));
        c.row("query", "", "currency", r.query().currency().getCurrencyCode());
        c.row("advocates", "", "enrolled", r.advocatesEnrolled());
        c.row("advocates", "", "enrolled_in_period", r.advocatesEnrolledInPeriod());
        c.row("advocates", "", "referring", r.referringAdvocates());
        c.number("advocates", "", "participation", r.participation().value().orElse(null));
        c.row("referrals", "", "submitted", r.submitted());
        c.row("referrals", "", "won", r.won());
        c.number("referrals", "", "referral_to_won", r.referralToWon().value().orElse(null));
        c.row("referrals", "", "won_without_deal_value", r.wonWithoutDealValue());
        c.row("time_to_won", "", "count", r.timeToWon().count());
        c.row("time_to_won", "", "median_millis", r.timeToWon().median().toMillis());
        c.row("time_to_won", "", "p90_millis", r.timeToWon().p90().toMillis());
        for (ProgramReport.FunnelStep s : r.funnel()) {
            c.row("funnel", s.stage().name(), "reached", s.reached());
            c.number("funnel", s.stage().name(), "from_previous", s.fromPrevious().value().orElse(null));
            c.number("funnel", s.stage().name(), "from_submitted", s.fromSubmitted().value().orElse(null));
        }
        for (ProgramReport.StageCount s : r.currentStages()) {
            c.row("current_stage", s.stage().name(), "count", s.count());
        }
        for (ProgramStats.TransitionCount t : r.transitions()) {
            c.row("transition", t.from().name() + ">" + t.to().name(), "count", t.count());
        }
        c.money("revenue", "", r.revenue());
        for (Money m : r.revenueInOtherCurrencies()) {
            c.money("revenue_other_currency", "", m);
        }
        ProgramReport.IncentiveCost ic = r.incentiveCost();
        c.money("incentive_cost", "pending", ic.pending());
        c.money("incentive_cost", "approved", ic.approved());
        c.money("incentive_cost", "issued", ic.issued());
        c.money("incentive_cost", "reversed", ic.reversed());
        c.money("incentive_cost", "committed", ic.committed());
        c.money("incentive_cost", "outstanding_liability", ic.outstandingLiability());
        c.row("incentive_cost", "", "committed_points", ic.committedPoints());
        c.row("incentive_cost", "", "unvalued", ic.unvalued());
        for (Money m : ic.otherCurrencies()) {
            c.money("incentive_cost_other_currency", "", m);
        }
        c.number("roi", "", "value", r.roi().value().orElse(null));
        c.money("roi", "net", r.roi().net());
        for (ProgramStats.Breakdown b : r.byChannel()) {
            c.row("channel", b.key(), "submitted", b.submitted());
            c.row("channel", b.key(), "won", b.won());
        }
        for (ProgramStats.Breakdown b : r.bySegment()) {
            c.row("segment", b.key(), "submitted", b.submitted());
            c.row("segment", b.key(), "won", b.won());
        }
        top(c, "top_by_won", r.topByWon());
        top(c, "top_by_revenue", r.topByRevenue());
        return c.toString();
    }

    private static void top(Csv c, String section, List<ProgramReport.TopAdvocate> rows) {
        for (ProgramReport.TopAdvocate a : rows) {
            String key = a.advocateId().value();
            c.row(section, key, "display_name", a.displayName());
            c.row(section, key, "submitted", a.submitted());
            c.row(section, key, "won", a.won());
            c.money(section, key, a.revenue());
        }
    }

    private static void money(JsonWriter j, Money m) {
        j.open('{');
        j.field("amount").string(m.amount().toPlainString());
        j.field("currency").string(m.currency().getCurrencyCode());
        j.close('}');
    }

    private static void moneys(JsonWriter j, List<Money> list) {
        j.open('[');
        for (Money m : list) {
            money(j.element(), m);
        }
        j.close(']');
    }

    /** A minimal RFC 4180 writer. */
    private static final class Csv {
        private final StringBuilder sb = new StringBuilder();

        /** A text cell: quoted as needed and guarded against formula injection. */
        void row(String section, String key, String metric, String value) {
            sb.append(text(section)).append(',').append(text(key)).append(',').append(text(metric)).append(',')
                    .append(text(value)).append("\r\n");
        }

        void row(String section, String key, String metric, long value) {
            sb.append(text(section)).append(',').append(text(key)).append(',').append(text(metric)).append(',')
                    .append(value).append("\r\n");
        }

        /**
         * A decimal cell, empty for {@code null} (undefined): written as a plain decimal and never guarded, since a
         * leading minus is the number's sign, not a formula.
         */
        void number(String section, String key, String metric, BigDecimal value) {
            sb.append(text(section)).append(',').append(text(key)).append(',').append(text(metric)).append(',')
                    .append(value == null ? "" : value.toPlainString()).append("\r\n");
        }

        void money(String section, String key, Money m) {
            sb.append(text(section)).append(',').append(text(key)).append(',')
                    .append(text("amount_" + m.currency().getCurrencyCode())).append(',')
                    .append(m.amount().toPlainString()).append("\r\n");
        }

        private static String text(String s) {
            String v = s;
            if (!v.isEmpty() && "=+-@\t\r".indexOf(v.charAt(0)) >= 0) {
                v = "'" + v;
            }
            if (v.indexOf(',') >= 0 || v.indexOf('"') >= 0 || v.indexOf('\n') >= 0 || v.indexOf('\r') >= 0) {
                return '"' + v.replace("\"", "\"\"") + '"';
            }
            return v;
        }

        @Override
        public String toString() {
            return sb.toString();
        }
    }
}
