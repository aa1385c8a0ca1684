package io.referrals.storage.jdbc.internal;

import io.referrals.core.insights.DurationSummary;
import io.referrals.core.insights.Funnel;
import io.referrals.core.insights.InsightsQuery;
import io.referrals.core.insights.ProgramStats;
import io.referrals.core.insights.ReportPeriod;
import io.referrals.core.model.Advocate;
import io.referrals.core.model.AdvocateId;
import io.referrals.core.model.Incentive;
import io.referrals.core.model.Money;
import io.referrals.core.model.Outcome;
import io.referrals.core.model.Program;
import io.referrals.core.model.ProgramId;
import io.referrals.core.model.Referral;
import io.referrals.core.model.ReferralId;
import io.referrals.core.model.Reward;
import io.referrals.core.model.RewardStatus;
import io.referrals.core.model.Stage;
import io.referrals.core.model.StagePipeline;
import io.referrals.core.moments.Ask;
import io.referrals.core.moments.AskId;
import io.referrals.core.moments.AskStatus;
import io.referrals.core.moments.Moment;
import io.referrals.core.moments.MomentId;
import io.referrals.core.moments.MomentKind;
import io.referrals.core.storage.DuplicateKeyException;
import io.referrals.core.storage.UniqueKey;
import io.referrals.storage.jdbc.Dialect;
import java.math.BigDecimal;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Types;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Currency;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * Program insights and moments of delight for {@link JdbcTransaction}: {@code programStats} as a handful of
 * {@code GROUP BY} queries that return counts and sums (never one row per referral, except the won durations on
 * H2 and MariaDB, fetched as two timestamps each), and the moment and ask tables. Also binds the columns the
 * aggregation reads (a referral's outcome and deal value, a reward's program and value, an advocate's kind, opt-out
 * and segments), which {@link JdbcTransaction} writes with every insert and update.
 */
final class JdbcInsights {
    private static final String WON = "'" + Outcome.WON.name() + "'";

    private final Connection connection;
    private final Sql sql;
    private final Dialect dialect;

    JdbcInsights(Connection connection, Sql sql) {
        this.connection = connection;
        this.sql = sql;
        this.dialect = sql.dialect;
    }

    // ---- columns written with referrals, rewards and advocates ------------------------------------------------------

    /** Binds a referral's {@code outcome, deal_amount, deal_currency} from {@code from}. */
    static void bindReferral(PreparedStatement ps, int from, Referral r) throws SQLException {
        ps.setString(from, r.outcome().map(Outcome::name).orElse(null));
        Optional<Money> deal = r.dealValue();
        if (deal.isPresent()) {
            ps.setBigDecimal(from + 1, deal.get().amount());
            ps.setString(from + 2, deal.get().currency().getCurrencyCode());
        } else {
            ps.setNull(from + 1, Types.DECIMAL);
            ps.setNull(from + 2, Types.CHAR);
        }
    }

    /** Binds a reward's {@code program_id, incentive, points, amount, currency} from {@code from}. */
    static void bindReward(PreparedStatement ps, int from, Reward w) throws SQLException {
        ps.setString(from, w.programId().value());
        Incentive i = w.incentive();
        Money amount = null;
        long points = 0;
        String kind;
        if (i instanceof Incentive.Points p) {
            kind = "POINTS";
            points = p.points();
        } else if (i instanceof Incentive.Cash c) {
            kind = "CASH";
            amount = c.amount();
        } else if (i instanceof Incentive.GiftCard g) {
            kind = "GIFT_CARD";
            amount = g.amount();
        } else if (i instanceof Incentive.Donation d) {
            kind = "DONATION";
            amount = d.amount();
        } else if (i instanceof Incentive.Discount d) {
            kind = "DISCOUNT";
            amount = d.amountOff();
        } else if (i instanceof Incentive.Perk) {
            kind = "PERK";
        } else {
            kind = "CUSTOM";
        }
        ps.setString(from + 1, kind);
        if (points > 0) {
            ps.setLong(from + 2, points);
        } else {
            ps.setNull(from + 2, Types.BIGINT);
        }
        if (amount != null) {
            ps.setBigDecimal(from + 3, amount.amount());
            ps.setString(from + 4, amount.currency().getCurrencyCode());
        } else {
            ps.setNull(from + 3, Types.DECIMAL);
            ps.setNull(from + 4, Types.CHAR);
        }
    }

    /** Binds an advocate's {@code kind, opted_out} from {@code from}. */
    static void bindAdvocate(PreparedStatement ps, int from, Advocate a) throws SQLException {
        ps.setString(from, a.kind().name());
        ps.setBoolean(from + 1, a.optedOut());
    }

    /** Writes an advocate's segments, replacing the stored ones when {@code replace}. */
    void writeSegments(Advocate a, boolean replace) throws SQLException {
        String table = sql.t("advocate_segment");
        if (replace) {
            try (PreparedStatement ps = connection.prepareStatement("DELETE FROM " + table + " WHERE advocate_id = ?")) {
                ps.setString(1, a.id().value());
                ps.executeUpdate();
            }
        }
        if (a.segments().isEmpty()) {
            return;
        }
        try (PreparedStatement ps = connection.prepareStatement("INSERT INTO " + table
                + " (advocate_id, segment) VALUES (?, ?)")) {
            for (String segment : a.segments()) {
                ps.setString(1, a.id().value());
                ps.setString(2, segment);
                ps.addBatch();
            }
            ps.executeBatch();
        }
    }

    // ---- program statistics ---------------------------------------------------------------------------------------

    /** The statement text and its arguments, built together so that placeholders and values stay in step. */
    private static final class Q {
        final StringBuilder text = new StringBuilder();
        final List<Object> args = new ArrayList<>();

        Q add(String s, Object... values) {
            text.append(s);
            args.addAll(List.of(values));
            return this;
        }
    }

    /** {@code programStats} for a stored program. */
    ProgramStats programStats(InsightsQuery q, Program program) throws SQLException {
        StagePipeline pipeline = program.pipeline();
        List<Stage> funnel = Funnel.stages(pipeline);
        List<String> wonStages = new ArrayList<>();
        for (Stage s : pipeline.stages()) {
            if (pipeline.outcome(s).orElse(null) == Outcome.WON) {
                wonStages.add("'" + s.name() + "'");
            }
        }

        long[] enrolled = enrolments(q);

        // one scan of the cohort: counts and deal values by stage, channel, outcome and currency
        Q main = new Q().add("SELECT r.stage, r.channel, r.outcome, r.deal_currency, COUNT(*), COUNT(r.deal_amount),"
                + " SUM(r.deal_amount) FROM " + sql.t("referral") + " r WHERE ");
        cohort(main, q, "r");
        main.add(" GROUP BY r.stage, r.channel, r.outcome, r.deal_currency");
        Map<Stage, Long> current = new HashMap<>();
        Map<String, long[]> byChannel = new TreeMap<>();
        Map<String, BigDecimal> revenue = new TreeMap<>();
        long[] totals = new long[3]; // submitted, won, won without deal value
        query(main, rs -> {
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

        Q distinct = new Q().add("SELECT COUNT(DISTINCT r.advocate_id) FROM " + sql.t("referral") + " r WHERE ");
        cohort(distinct, q, "r");
        long[] referring = new long[1];
        query(distinct, rs -> referring[0] = rs.getLong(1));

        Map<Stage, Long> furthest = furthest(q, funnel);
        List<ProgramStats.TransitionCount> transitions = transitions(q);
        DurationSummary timeToWon = wonStages.isEmpty() ? DurationSummary.EMPTY : timeToWon(q, wonStages);

        Q segments = new Q().add("SELECT s.segment, COUNT(*), SUM(CASE WHEN r.outcome = " + WON
                + " THEN 1 ELSE 0 END) FROM " + sql.t("referral") + " r JOIN " + sql.t("advocate_segment")
                + " s ON s.advocate_id = r.advocate_id WHERE ");
        cohort(segments, q, "r");
        segments.add(" GROUP BY s.segment");
        Map<String, long[]> bySegment = new TreeMap<>();
        query(segments, rs -> bySegment.put(rs.getString(1), new long[] {rs.getLong(2), rs.getLong(3)}));

        List<Money> revenueList = new ArrayList<>();
        revenue.forEach((c, v) -> revenueList.add(money(v, Currency.getInstance(c))));
        return new ProgramStats(enrolled[0], enrolled[1], referring[0], totals[0], current, furthest, transitions,
                totals[1], timeToWon, revenueList, totals[2], rewards(q), breakdown(byChannel), breakdown(bySegment),
                top(q, true), top(q, false));
    }

    /** Enrolled before the period's end, and during the period. */
    private long[] enrolments(InsightsQuery q) throws SQLException {
        ReportPeriod p = q.period();
        Q e = new Q().add("SELECT COALESCE(SUM(CASE WHEN e.enrolled_at < ? THEN 1 ELSE 0 END), 0),"
                + " COALESCE(SUM(CASE WHEN e.enrolled_at >= ? AND e.enrolled_at < ? THEN 1 ELSE 0 END), 0) FROM "
                + sql.t("enrolment") + " e WHERE e.program_id = ?", p.to(), p.from(), p.to(), q.programId().value());
        advocateFilter(e, q, "e.advocate_id");
        long[] out = new long[2];
        query(e, rs -> {
            out[0] = rs.getLong(1);
            out[1] = rs.getLong(2);
        });
        return out;
    }

    /** The cohort's referrals {@code alias}: program, period, channel and advocate filters. */
    private void cohort(Q sb, InsightsQuery q, String alias) {
        sb.add(alias + ".program_id = ? AND " + alias + ".submitted_at >= ? AND " + alias + ".submitted_at < ?",
                q.programId().value(), q.period().from(), q.period().to());
        q.channel().ifPresent(c -> sb.add(" AND " + alias + ".channel = ?", c.name()));
        advocateFilter(sb, q, alias + ".advocate_id");
    }

    /** The segment and kind filters on the advocate in column {@code column}. */
    private void advocateFilter(Q sb, InsightsQuery q, String column) {
        q.segment().ifPresent(s -> sb.add(" AND EXISTS (SELECT 1 FROM " + sql.t("advocate_segment")
                + " fs WHERE fs.advocate_id = " + column + " AND fs.segment = ?)", s));
        q.advocateKind().ifPresent(k -> sb.add(" AND EXISTS (SELECT 1 FROM " + sql.t("advocate")
                + " fa WHERE fa.id = " + column + " AND fa.kind = ?)", k.name()));
    }

    /** A CASE giving the funnel rank of the stage in {@code column}; stages outside the funnel rank 0. */
    private static String rank(String column, List<Stage> funnel) {
        StringBuilder sb = new StringBuilder("CASE ").append(column);
        for (int i = 1; i < funnel.size(); i++) {
            // stage names are [a-z][a-z0-9_]*: safe as literals
            sb.append(" WHEN '").append(funnel.get(i).name()).append("' THEN ").append(i);
        }
        return sb.append(" ELSE 0 END").toString();
    }

    private Map<Stage, Long> furthest(InsightsQuery q, List<Stage> funnel) throws SQLException {
        Map<Stage, Long> out = new HashMap<>();
        if (funnel.isEmpty()) {
            return out;
        }
        String reached = "COALESCE(MAX(" + rank("t.to_stage", funnel) + "), 0)";
        String current = rank("r.stage", funnel);
        Q f = new Q().add("SELECT x.f, COUNT(*) FROM (SELECT CASE WHEN " + reached + " > " + current + " THEN "
                + reached + " ELSE " + current + " END AS f FROM " + sql.t("referral") + " r LEFT JOIN "
                + sql.t("timeline") + " t ON t.referral_id = r.id WHERE ");
        cohort(f, q, "r");
        f.add(" GROUP BY r.id, r.stage) x GROUP BY x.f");
        query(f, rs -> out.put(funnel.get(rs.getInt(1)), rs.getLong(2)));
        return out;
    }

    private List<ProgramStats.TransitionCount> transitions(InsightsQuery q) throws SQLException {
        Q t = new Q().add("SELECT t.from_stage, t.to_stage, COUNT(*) FROM " + sql.t("timeline") + " t JOIN "
                + sql.t("referral") + " r ON r.id = t.referral_id WHERE ");
        cohort(t, q, "r");
        t.add(" GROUP BY t.from_stage, t.to_stage");
        List<ProgramStats.TransitionCount> out = new ArrayList<>();
        query(t, rs -> out.add(new ProgramStats.TransitionCount(Stage.of(rs.getString(1)), Stage.of(rs.getString(2)),
                rs.getLong(3))));
        out.sort(Comparator.comparing((ProgramStats.TransitionCount c) -> c.from().name())
                .thenComparing(c -> c.to().name()));
        return out;
    }

    /**
     * Submission to the first timeline entry into a won stage, over won cohort referrals: {@code percentile_cont} on
     * PostgreSQL; elsewhere only the two timestamps of each won referral are fetched and summarised here.
     */
    private DurationSummary timeToWon(InsightsQuery q, List<String> wonStages) throws SQLException {
        String in = String.join(", ", wonStages);
        String from = " FROM " + sql.t("referral") + " r JOIN " + sql.t("timeline") + " t ON t.referral_id = r.id"
                + " WHERE r.outcome = " + WON + " AND t.to_stage IN (" + in + ") AND t.seq = (SELECT MIN(t2.seq) FROM "
                + sql.t("timeline") + " t2 WHERE t2.referral_id = r.id AND t2.to_stage IN (" + in + ")) AND ";
        if (dialect == Dialect.POSTGRESQL) {
            Q p = new Q().add("SELECT COUNT(*), percentile_cont(0.5) WITHIN GROUP (ORDER BY x.d),"
                    + " percentile_cont(0.9) WITHIN GROUP (ORDER BY x.d) FROM (SELECT CAST(FLOOR(EXTRACT(EPOCH FROM"
                    + " (t.moved_at - r.submitted_at)) * 1000) AS DOUBLE PRECISION) AS d" + from);
            cohort(p, q, "r");
            p.add(") x");
            DurationSummary[] out = {DurationSummary.EMPTY};
            query(p, rs -> {
                long n = rs.getLong(1);
                if (n > 0) {
                    out[0] = new DurationSummary(n, Duration.ofMillis(Math.round(rs.getDouble(2))),
                            Duration.ofMillis(Math.round(rs.getDouble(3))));
                }
            });
            return out[0];
        }
        Q d = new Q().add("SELECT r.submitted_at, t.moved_at" + from);
        cohort(d, q, "r");
        List<Long> millis = new ArrayList<>();
        query(d, rs -> millis.add(Duration.between(Db.getInstant(rs, 1, dialect), Db.getInstant(rs, 2, dialect))
                .toMillis()));
        return DurationSummary.ofMillis(millis.stream().mapToLong(Long::longValue).toArray());
    }

    private Map<RewardStatus, ProgramStats.RewardTotals> rewards(InsightsQuery q) throws SQLException {
        Q w = new Q().add("SELECT w.status, w.currency, COUNT(*), COALESCE(SUM(w.points), 0), SUM(w.amount),"
                + " SUM(CASE WHEN w.points IS NULL AND w.amount IS NULL THEN 1 ELSE 0 END) FROM " + sql.t("reward")
                + " w WHERE w.program_id = ?", q.programId().value());
        advocateFilter(w, q, "w.advocate_id");
        w.add(" AND ((w.source_kind = 'REFERRAL' AND EXISTS (SELECT 1 FROM " + sql.t("referral")
                + " r WHERE r.id = w.source_id AND ");
        cohort(w, q, "r");
        w.add("))");
        if (q.channel().isEmpty()) {
            w.add(" OR (w.source_kind <> 'REFERRAL' AND w.created_at >= ? AND w.created_at < ?)", q.period().from(),
                    q.period().to());
        }
        w.add(") GROUP BY w.status, w.currency");
        Map<RewardStatus, long[]> counts = new EnumMap<>(RewardStatus.class);
        Map<RewardStatus, Map<String, BigDecimal>> money = new EnumMap<>(RewardStatus.class);
        query(w, rs -> {
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
        Map<RewardStatus, ProgramStats.RewardTotals> out = new EnumMap<>(RewardStatus.class);
        counts.forEach((s, c) -> {
            List<Money> sums = new ArrayList<>();
            money.getOrDefault(s, Map.of()).forEach((cur, v) -> sums.add(money(v, Currency.getInstance(cur))));
            out.put(s, new ProgramStats.RewardTotals(c[0], c[1], sums, c[2]));
        });
        return out;
    }

    /** The top advocates by won count ({@code byWon}) or by revenue in the query's currency. */
    private List<ProgramStats.AdvocateTotals> top(InsightsQuery q, boolean byWon) throws SQLException {
        String won = "SUM(CASE WHEN r.outcome = " + WON + " THEN 1 ELSE 0 END)";
        String revenue = "SUM(CASE WHEN r.outcome = " + WON + " AND r.deal_currency = ? THEN r.deal_amount ELSE 0"
                + " END)";
        String currency = q.currency().getCurrencyCode();
        Q t = new Q().add("SELECT r.advocate_id, COUNT(*), " + won + " AS won, " + revenue + " AS revenue FROM "
                + sql.t("referral") + " r WHERE ", currency);
        cohort(t, q, "r");
        t.add(" GROUP BY r.advocate_id");
        if (byWon) {
            t.add(" HAVING " + won + " > 0 ORDER BY won DESC, revenue DESC, r.advocate_id LIMIT ?", q.topAdvocates());
        } else {
            t.add(" HAVING " + revenue + " > 0 ORDER BY revenue DESC, won DESC, r.advocate_id LIMIT ?", currency,
                    q.topAdvocates());
        }
        List<ProgramStats.AdvocateTotals> out = new ArrayList<>();
        query(t, rs -> out.add(new ProgramStats.AdvocateTotals(AdvocateId.of(rs.getString(1)), rs.getLong(2),
                rs.getLong(3), money(rs.getBigDecimal(4), q.currency()))));
        out.sort(byWon ? ProgramStats.BY_WON : ProgramStats.BY_REVENUE);
        return out;
    }

    private static List<ProgramStats.Breakdown> breakdown(Map<String, long[]> counts) {
        List<ProgramStats.Breakdown> out = new ArrayList<>();
        counts.forEach((k, n) -> out.add(new ProgramStats.Breakdown(k, n[0], n[1])));
        return out;
    }

    /** A sum read back from a DECIMAL(38, 12) column, without the column's trailing zeros. */
    private static Money money(BigDecimal v, Currency currency) {
        BigDecimal amount = v == null ? BigDecimal.ZERO : v.stripTrailingZeros();
        int scale = Math.max(amount.scale(), Math.max(currency.getDefaultFractionDigits(), 0));
        return new Money(amount.setScale(scale), currency);
    }

    // ---- moments and asks -----------------------------------------------------------------------------------------

    private static final String MOMENT_COLS = "id, advocate_id, kind, nps_score, occurred_at, note";
    private static final String ASK_COLS = "id, program_id, advocate_id, asked_by, trigger_id, asked_at, status,"
            + " resolved_at, referral_id, version";

    void insertMoment(Moment m) throws SQLException {
        Object score = m.npsScore().isPresent() ? (Object) m.npsScore().getAsInt() : new Null(Types.INTEGER);
        insert("INSERT INTO " + sql.t("moment") + " (" + MOMENT_COLS + ") VALUES (?, ?, ?, ?, ?, ?)", new Q().add("",
                m.id().value(), m.advocateId().value(), m.kind().name(), score, m.occurredAt(), m.note()),
                UniqueKey.MOMENT);
    }

    Optional<Moment> moment(MomentId id) throws SQLException {
        return first(list(new Q().add("SELECT " + MOMENT_COLS + " FROM " + sql.t("moment") + " WHERE id = ?",
                id.value()), this::momentRow));
    }

    List<Moment> moments(AdvocateId advocateId) throws SQLException {
        return list(new Q().add("SELECT " + MOMENT_COLS + " FROM " + sql.t("moment") + " WHERE advocate_id = ?"
                + " ORDER BY occurred_at, id", advocateId.value()), this::momentRow);
    }

    List<Moment> momentsForAsking(ProgramId programId, Instant occurredSince, Instant askedSince)
            throws SQLException {
        String cols = "m." + MOMENT_COLS.replace(", ", ", m.");
        return list(new Q().add("SELECT " + cols + " FROM " + sql.t("moment") + " m JOIN " + sql.t("enrolment")
                + " e ON e.advocate_id = m.advocate_id AND e.program_id = ? JOIN " + sql.t("advocate")
                + " a ON a.id = m.advocate_id AND a.opted_out = ? WHERE m.occurred_at >= ? AND NOT EXISTS (SELECT 1"
                + " FROM " + sql.t("ask") + " k WHERE k.program_id = ? AND k.advocate_id = m.advocate_id"
                + " AND (k.status = 'PENDING' OR k.asked_at >= ?)) ORDER BY m.advocate_id, m.occurred_at, m.id",
                programId.value(), Boolean.FALSE, occurredSince, programId.value(), askedSince), this::momentRow);
    }

    private Moment momentRow(ResultSet rs) throws SQLException {
        MomentId id = MomentId.of(rs.getString(1));
        AdvocateId advocate = AdvocateId.of(rs.getString(2));
        MomentKind kind = MomentKind.valueOf(rs.getString(3));
        int score = rs.getInt(4);
        Instant at = Db.getInstant(rs, 5, dialect);
        String note = rs.getString(6);
        return kind == MomentKind.NPS_ANSWER ? Moment.nps(id, advocate, score, at, note)
                : Moment.of(id, advocate, kind, at, note);
    }

    void insertAsk(Ask a) throws SQLException {
        insert("INSERT INTO " + sql.t("ask") + " (" + ASK_COLS + ") VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                new Q().add("", a.id().value(), a.programId().value(), a.advocateId().value(), a.askedBy(),
                        nullable(a.trigger().map(MomentId::value)), a.askedAt(), a.status().name(),
                        a.resolvedAt().isPresent() ? a.resolvedAt().get() : new Null(Types.TIMESTAMP),
                        nullable(a.referralId().map(ReferralId::value)), a.version()), UniqueKey.ASK);
    }

    boolean updateAsk(Ask a) throws SQLException {
        Q u = new Q().add("UPDATE " + sql.t("ask") + " SET program_id = ?, advocate_id = ?, asked_by = ?,"
                + " trigger_id = ?, asked_at = ?, status = ?, resolved_at = ?, referral_id = ?, version = ?"
                + " WHERE id = ? AND version = ?", a.programId().value(), a.advocateId().value(), a.askedBy(),
                nullable(a.trigger().map(MomentId::value)), a.askedAt(), a.status().name(),
                a.resolvedAt().isPresent() ? a.resolvedAt().get() : new Null(Types.TIMESTAMP),
                nullable(a.referralId().map(ReferralId::value)), a.version(), a.id().value(), a.version() - 1);
        try (PreparedStatement ps = connection.prepareStatement(u.text.toString())) {
            bind(ps, u.args);
            return ps.executeUpdate() == 1;
        }
    }

    Optional<Ask> ask(AskId id) throws SQLException {
        return first(list(new Q().add("SELECT " + ASK_COLS + " FROM " + sql.t("ask") + " WHERE id = ?", id.value()),
                this::askRow));
    }

    List<Ask> asks(AdvocateId advocateId, ProgramId programId) throws SQLException {
        return list(new Q().add("SELECT " + ASK_COLS + " FROM " + sql.t("ask") + " WHERE program_id = ? AND"
                + " advocate_id = ? ORDER BY asked_at, id", programId.value(), advocateId.value()), this::askRow);
    }

    List<Ask> pendingAsks(ProgramId programId, Instant askedBefore, int limit) throws SQLException {
        if (limit <= 0) {
            return List.of();
        }
        return list(new Q().add("SELECT " + ASK_COLS + " FROM " + sql.t("ask") + " WHERE program_id = ? AND"
                + " status = 'PENDING' AND asked_at < ? ORDER BY asked_at, id LIMIT ?", programId.value(), askedBefore,
                limit), this::askRow);
    }

    Map<AskStatus, Long> askCounts(ProgramId programId, ReportPeriod period) throws SQLException {
        Map<AskStatus, Long> out = new EnumMap<>(AskStatus.class);
        query(new Q().add("SELECT status, COUNT(*) FROM " + sql.t("ask") + " WHERE program_id = ? AND asked_at >= ?"
                + " AND asked_at < ? GROUP BY status", programId.value(), period.from(), period.to()),
                rs -> out.put(AskStatus.valueOf(rs.getString(1)), rs.getLong(2)));
        return out;
    }

    private Ask askRow(ResultSet rs) throws SQLException {
        String trigger = rs.getString(5);
        String referral = rs.getString(9);
        boolean resolved = rs.getObject(8) != null;
        return Ask.restore(AskId.of(rs.getString(1)), ProgramId.of(rs.getString(2)), AdvocateId.of(rs.getString(3)),
                rs.getString(4), trigger == null ? null : MomentId.of(trigger), Db.getInstant(rs, 6, dialect),
                AskStatus.valueOf(rs.getString(7)), resolved ? Db.getInstant(rs, 8, dialect) : null,
                referral == null ? null : ReferralId.of(referral), rs.getLong(10));
    }

    // ---- plumbing -------------------------------------------------------------------------------------------------

    @FunctionalInterface
    private interface RowHandler {
        void accept(ResultSet rs) throws SQLException;
    }

    @FunctionalInterface
    private interface Row<T> {
        T map(ResultSet rs) throws SQLException;
    }

    /** SQL NULL of a {@link Types} type. */
    private record Null(int type) {
    }

    /** A value, or SQL NULL for an absent one. */
    private static Object nullable(Optional<String> v) {
        return v.isPresent() ? v.get() : new Null(Types.VARCHAR);
    }

    private void bind(PreparedStatement ps, List<Object> args) throws SQLException {
        for (int i = 0; i < args.size(); i++) {
            Object a = args.get(i);
            int index = i + 1;
            if (a instanceof String s) {
                ps.setString(index, s);
            } else if (a instanceof Instant t) {
                Db.setInstant(ps, index, t, dialect);
            } else if (a instanceof Long l) {
                ps.setLong(index, l);
            } else if (a instanceof Integer n) {
                ps.setInt(index, n);
            } else if (a instanceof Null n) {
                ps.setNull(index, n.type());
            } else if (a instanceof Boolean b) {
                ps.setBoolean(index, b);
            } else {
                throw new IllegalArgumentException("cannot bind " + a.getClass());
            }
        }
    }

    private void query(Q q, RowHandler handler) throws SQLException {
        try (PreparedStatement ps = connection.prepareStatement(q.text.toString())) {
            bind(ps, q.args);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    handler.accept(rs);
                }
            }
        }
    }

    private <T> List<T> list(Q q, Row<T> row) throws SQLException {
        List<T> out = new ArrayList<>();
        query(q, rs -> out.add(row.map(rs)));
        return out;
    }

    private static <T> Optional<T> first(List<T> list) {
        return list.isEmpty() ? Optional.empty() : Optional.of(list.get(0));
    }

    /** An insert whose clash (an exception, or on PostgreSQL an update count of 0) is a duplicate {@code key}. */
    private void insert(String statement, Q values, UniqueKey key) throws SQLException {
        String text = dialect == Dialect.POSTGRESQL ? statement + " ON CONFLICT DO NOTHING" : statement;
        try (PreparedStatement ps = connection.prepareStatement(text)) {
            bind(ps, values.args);
            if (ps.executeUpdate() == 0) {
                throw new DuplicateKeyException(key);
            }
        } catch (SQLException e) {
            if (Db.isUniqueViolation(e)) {
                throw new DuplicateKeyException(key);
            }
            throw e;
        }
    }
}
