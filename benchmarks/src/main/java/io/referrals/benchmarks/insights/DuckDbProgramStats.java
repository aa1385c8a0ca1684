package io.referrals.benchmarks.insights;

import io.referrals.core.insights.DurationSummary;
import io.referrals.core.insights.Funnel;
import io.referrals.core.insights.InsightsQuery;
import io.referrals.core.insights.ProgramStats;
import io.referrals.core.model.AdvocateId;
import io.referrals.core.model.Money;
import io.referrals.core.model.Outcome;
import io.referrals.core.model.RewardStatus;
import io.referrals.core.model.Stage;
import io.referrals.core.model.StagePipeline;
import java.io.IOException;
import java.io.Writer;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Currency;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.postgresql.PGConnection;

/**
 * The questions of {@code ProgramStats} answered by DuckDB (in process, in memory) over the program's rows exported
 * from PostgreSQL: what an analyst would do with the same data. The export is PostgreSQL {@code COPY ... TO STDOUT}
 * into CSV files, read by DuckDB's {@code read_csv} into its own tables (timestamps as epoch microseconds). The
 * queries are those of the JDBC store's aggregation, for a query without channel, segment or kind filters, and the
 * result is assembled the same way, so that it can be checked equal to PostgreSQL's.
 */
final class DuckDbProgramStats {
    private static final String WON = "'" + Outcome.WON.name() + "'";

    private final Connection duck;

    private DuckDbProgramStats(Connection duck) {
        this.duck = duck;
    }

    /**
     * Exports the referral, timeline, reward, enrolment, advocate and segment rows of the store with table prefix
     * {@code prefix} into DuckDB.
     */
    static DuckDbProgramStats export(Connection pg, String prefix, Connection duck, Path dir)
            throws SQLException, IOException {
        String micros = "(EXTRACT(EPOCH FROM %s) * 1000000)::BIGINT";
        copy(pg, duck, dir, "referral", "SELECT id, program_id, advocate_id, stage, channel, "
                + String.format(micros, "submitted_at") + ", outcome, deal_amount, deal_currency FROM " + prefix
                + "referral", "id VARCHAR, program_id VARCHAR, advocate_id VARCHAR, stage VARCHAR, channel VARCHAR,"
                + " submitted_at BIGINT, outcome VARCHAR, deal_amount DECIMAL(38, 12), deal_currency VARCHAR");
        copy(pg, duck, dir, "timeline", "SELECT referral_id, seq, from_stage, to_stage, "
                + String.format(micros, "moved_at") + " FROM " + prefix + "timeline",
                "referral_id VARCHAR, seq INTEGER, from_stage VARCHAR, to_stage VARCHAR, moved_at BIGINT");
        copy(pg, duck, dir, "reward", "SELECT id, program_id, advocate_id, source_kind, source_id, status, "
                + String.format(micros, "created_at") + ", points, amount, currency FROM " + prefix + "reward",
                "id VARCHAR, program_id VARCHAR, advocate_id VARCHAR, source_kind VARCHAR, source_id VARCHAR,"
                        + " status VARCHAR, created_at BIGINT, points BIGINT, amount DECIMAL(38, 12), currency VARCHAR");
        copy(pg, duck, dir, "enrolment", "SELECT advocate_id, program_id, " + String.format(micros, "enrolled_at")
                + " FROM " + prefix + "enrolment", "advocate_id VARCHAR, program_id VARCHAR, enrolled_at BIGINT");
        copy(pg, duck, dir, "advocate_segment", "SELECT advocate_id, segment FROM " + prefix + "advocate_segment",
                "advocate_id VARCHAR, segment VARCHAR");
        return new DuckDbProgramStats(duck);
    }

    private static void copy(Connection pg, Connection duck, Path dir, String table, String select, String columns)
            throws SQLException, IOException {
        Path file = dir.resolve(table + ".csv");
        try (Writer w = Files.newBufferedWriter(file, StandardCharsets.UTF_8)) {
            pg.unwrap(PGConnection.class).getCopyAPI().copyOut("COPY (" + select + ") TO STDOUT WITH (FORMAT csv)", w);
        }
        StringBuilder spec = new StringBuilder();
        for (String c : columns.split(",(?![^(]*\\))")) {
            String[] parts = c.trim().split(" ", 2);
            spec.append(spec.length() == 0 ? "" : ", ").append('\'').append(parts[0]).append("': '")
                    .append(parts[1]).append('\'');
        }
        try (Statement st = duck.createStatement()) {
            st.execute("CREATE TABLE " + table + " AS SELECT * FROM read_csv('" + file + "', header = false,"
                    + " columns = {" + spec + "})");
        }
        Files.delete(file);
    }

    private static long micros(Instant i) {
        return Math.addExact(Math.multiplyExact(i.getEpochSecond(), 1_000_000L), i.getNano() / 1000);
    }

    private interface Row {
        void accept(ResultSet rs) throws SQLException;
    }

    private void query(String sql, List<Object> params, Row row) throws SQLException {
        try (PreparedStatement ps = duck.prepareStatement(sql)) {
            for (int i = 0; i < params.size(); i++) {
                ps.setObject(i + 1, params.get(i));
            }
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    row.accept(rs);
                }
            }
        }
    }

    /** The same statistics as the JDBC store's {@code programStats}, for a query without filters. */
    ProgramStats programStats(InsightsQuery q, StagePipeline pipeline) throws SQLException {
        if (q.channel().isPresent() || q.segment().isPresent() || q.advocateKind().isPresent()) {
            throw new IllegalArgumentException("only the program and period are supported here");
        }
        long from = micros(q.period().from());
        long to = micros(q.period().to());
        String program = q.programId().value();
        String cohort = " r.program_id = ? AND r.submitted_at >= ? AND r.submitted_at < ?";
        List<Object> cp = List.of(program, from, to);
        List<Stage> funnel = Funnel.stages(pipeline);
        List<String> wonStages = new ArrayList<>();
        for (Stage s : pipeline.stages()) {
            if (pipeline.outcome(s).orElse(null) == Outcome.WON) {
                wonStages.add("'" + s.name() + "'");
            }
        }

        long[] enrolled = new long[2];
        query("SELECT COALESCE(SUM(CASE WHEN enrolled_at < ? THEN 1 ELSE 0 END), 0), COALESCE(SUM(CASE WHEN"
                + " enrolled_at >= ? AND enrolled_at < ? THEN 1 ELSE 0 END), 0) FROM enrolment WHERE program_id = ?",
                List.of(to, from, to, program), rs -> {
                    enrolled[0] = rs.getLong(1);
                    enrolled[1] = rs.getLong(2);
                });

        Map<Stage, Long> current = new HashMap<>();
        Map<String, long[]> byChannel = new TreeMap<>();
        Map<String, BigDecimal> revenue = new TreeMap<>();
        long[] totals = new long[3];
        query("SELECT r.stage, r.channel, r.outcome, r.deal_currency, COUNT(*), COUNT(r.deal_amount),"
                + " SUM(r.deal_amount) FROM referral r WHERE" + cohort
                + " GROUP BY r.stage, r.channel, r.outcome, r.deal_currency", cp, rs -> {
                    long n = rs.getLong(5);
                    boolean won = Outcome.WON.name().equals(rs.getString(3));
                    current.merge(Stage.of(rs.getString(1)), n, Long::sum);
                    long[] ch = byChannel.computeIfAbsent(rs.getString(2), k -> new long[2]);
                    ch[0] += n;
                    totals[0] += n;
                    if (won) {
                        ch[1] += n;
                        totals[1] += n;
                        totals[2] += n - rs.getLong(6);
                        String currency = rs.getString(4);
                        if (currency != null) {
                            revenue.merge(currency, rs.getBigDecimal(7), BigDecimal::add);
                        }
                    }
                });

        long[] referring = new long[1];
        query("SELECT COUNT(DISTINCT r.advocate_id) FROM referral r WHERE" + cohort, cp,
                rs -> referring[0] = rs.getLong(1));

        Map<Stage, Long> furthest = new HashMap<>();
        if (!funnel.isEmpty()) {
            String reached = "COALESCE(MAX(" + rank("t.to_stage", funnel) + "), 0)";
            String cur = rank("r.stage", funnel);
            query("SELECT x.f, COUNT(*) FROM (SELECT CASE WHEN " + reached + " > " + cur + " THEN " + reached
                    + " ELSE " + cur + " END AS f FROM referral r LEFT JOIN timeline t ON t.referral_id = r.id WHERE"
                    + cohort + " GROUP BY r.id, r.stage) x GROUP BY x.f", cp,
                    rs -> furthest.put(funnel.get(rs.getInt(1)), rs.getLong(2)));
        }

        List<ProgramStats.TransitionCount> transitions = new ArrayList<>();
        query("SELECT t.from_stage, t.to_stage, COUNT(*) FROM timeline t JOIN referral r ON r.id = t.referral_id"
                + " WHERE" + cohort + " GROUP BY t.from_stage, t.to_stage", cp,
                rs -> transitions.add(new ProgramStats.TransitionCount(Stage.of(rs.getString(1)),
                        Stage.of(rs.getString(2)), rs.getLong(3))));
        transitions.sort(Comparator.comparing((ProgramStats.TransitionCount c) -> c.from().name())
                .thenComparing(c -> c.to().name()));

        DurationSummary[] timeToWon = {DurationSummary.EMPTY};
        if (!wonStages.isEmpty()) {
            String in = String.join(", ", wonStages);
            query("SELECT COUNT(*), quantile_cont(x.d, 0.5), quantile_cont(x.d, 0.9) FROM (SELECT"
                    + " CAST(FLOOR((t.moved_at - r.submitted_at) / 1000.0) AS DOUBLE) AS d FROM referral r JOIN"
                    + " (SELECT referral_id, arg_min(moved_at, seq) AS moved_at FROM timeline WHERE to_stage IN (" + in
                    + ") GROUP BY referral_id) t ON t.referral_id = r.id WHERE r.outcome = " + WON + " AND" + cohort
                    + ") x", cp, rs -> {
                        long n = rs.getLong(1);
                        if (n > 0) {
                            timeToWon[0] = new DurationSummary(n, Duration.ofMillis(Math.round(rs.getDouble(2))),
                                    Duration.ofMillis(Math.round(rs.getDouble(3))));
                        }
                    });
        }

        Map<String, long[]> bySegment = new TreeMap<>();
        query("SELECT s.segment, COUNT(*), SUM(CASE WHEN r.outcome = " + WON + " THEN 1 ELSE 0 END) FROM referral r"
                + " JOIN advocate_segment s ON s.advocate_id = r.advocate_id WHERE" + cohort + " GROUP BY s.segment",
                cp, rs -> bySegment.put(rs.getString(1), new long[] {rs.getLong(2), rs.getLong(3)}));

        Map<RewardStatus, long[]> counts = new EnumMap<>(RewardStatus.class);
        Map<RewardStatus, Map<String, BigDecimal>> money = new EnumMap<>(RewardStatus.class);
        query("SELECT w.status, w.currency, COUNT(*), COALESCE(SUM(w.points), 0), SUM(w.amount), SUM(CASE WHEN"
                + " w.points IS NULL AND w.amount IS NULL THEN 1 ELSE 0 END) FROM reward w WHERE w.program_id = ?"
                + " AND ((w.source_kind = 'REFERRAL' AND EXISTS (SELECT 1 FROM referral r WHERE r.id = w.source_id"
                + " AND" + cohort + ")) OR (w.source_kind <> 'REFERRAL' AND w.created_at >= ? AND w.created_at < ?))"
                + " GROUP BY w.status, w.currency", List.of(program, program, from, to, from, to), rs -> {
                    RewardStatus status = RewardStatus.valueOf(rs.getString(1));
                    long[] c = counts.computeIfAbsent(status, k -> new long[3]);
                    c[0] += rs.getLong(3);
                    c[1] += rs.getLong(4);
                    c[2] += rs.getLong(6);
                    String currency = rs.getString(2);
                    if (currency != null) {
                        money.computeIfAbsent(status, k -> new TreeMap<>()).merge(currency, rs.getBigDecimal(5),
                                BigDecimal::add);
                    }
                });
        Map<RewardStatus, ProgramStats.RewardTotals> rewards = new EnumMap<>(RewardStatus.class);
        counts.forEach((s, c) -> {
            List<Money> sums = new ArrayList<>();
            money.getOrDefault(s, Map.of()).forEach((cur, v) -> sums.add(money(v, Currency.getInstance(cur))));
            rewards.put(s, new ProgramStats.RewardTotals(c[0], c[1], sums, c[2]));
        });

        List<Money> revenueList = new ArrayList<>();
        revenue.forEach((c, v) -> revenueList.add(money(v, Currency.getInstance(c))));
        return new ProgramStats(enrolled[0], enrolled[1], referring[0], totals[0], current, furthest, transitions,
                totals[1], timeToWon[0], revenueList, totals[2], rewards, breakdown(byChannel), breakdown(bySegment),
                top(q, cohort, cp, true), top(q, cohort, cp, false));
    }

    private List<ProgramStats.AdvocateTotals> top(InsightsQuery q, String cohort, List<Object> cp, boolean byWon)
            throws SQLException {
        String won = "SUM(CASE WHEN r.outcome = " + WON + " THEN 1 ELSE 0 END)";
        String revenue = "SUM(CASE WHEN r.outcome = " + WON + " AND r.deal_currency = ? THEN r.deal_amount ELSE 0"
                + " END)";
        String currency = q.currency().getCurrencyCode();
        List<Object> params = new ArrayList<>();
        params.add(currency);
        params.addAll(cp);
        String sql = "SELECT r.advocate_id, COUNT(*), " + won + " AS won, " + revenue + " AS revenue FROM referral r"
                + " WHERE" + cohort + " GROUP BY r.advocate_id";
        if (byWon) {
            sql += " HAVING " + won + " > 0 ORDER BY won DESC, revenue DESC, r.advocate_id LIMIT ?";
        } else {
            sql += " HAVING " + revenue + " > 0 ORDER BY revenue DESC, won DESC, r.advocate_id LIMIT ?";
            params.add(currency);
        }
        params.add(q.topAdvocates());
        List<ProgramStats.AdvocateTotals> out = new ArrayList<>();
        query(sql, params, rs -> out.add(new ProgramStats.AdvocateTotals(AdvocateId.of(rs.getString(1)),
                rs.getLong(2), rs.getLong(3), money(rs.getBigDecimal(4), q.currency()))));
        out.sort(byWon ? ProgramStats.BY_WON : ProgramStats.BY_REVENUE);
        return out;
    }

    private static String rank(String column, List<Stage> funnel) {
        StringBuilder sb = new StringBuilder("CASE ").append(column);
        for (int i = 1; i < funnel.size(); i++) {
            sb.append(" WHEN '").append(funnel.get(i).name()).append("' THEN ").append(i);
        }
        return sb.append(" ELSE 0 END").toString();
    }

    private static List<ProgramStats.Breakdown> breakdown(Map<String, long[]> counts) {
        List<ProgramStats.Breakdown> out = new ArrayList<>();
        counts.forEach((k, n) -> out.add(new ProgramStats.Breakdown(k, n[0], n[1])));
        return out;
    }

    private static Money money(BigDecimal v, Currency currency) {
        BigDecimal amount = v == null ? BigDecimal.ZERO : v.stripTrailingZeros();
        int scale = Math.max(amount.scale(), Math.max(currency.getDefaultFractionDigits(), 0));
        return new Money(amount.setScale(scale), currency);
    }
}
