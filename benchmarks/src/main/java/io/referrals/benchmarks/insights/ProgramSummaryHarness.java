package io.referrals.benchmarks.insights;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import io.referrals.core.ProgramInsights;
import io.referrals.core.ReferralEngine;
import io.referrals.core.insights.InsightsQuery;
import io.referrals.core.insights.ProgramReport;
import io.referrals.core.insights.ProgramStats;
import io.referrals.core.insights.ReportPeriod;
import io.referrals.core.insights.Valuation;
import io.referrals.core.model.Advocate;
import io.referrals.core.model.AdvocateId;
import io.referrals.core.model.AdvocateKind;
import io.referrals.core.model.Beneficiary;
import io.referrals.core.model.Channel;
import io.referrals.core.model.ConsentBasis;
import io.referrals.core.model.Enrolment;
import io.referrals.core.model.Incentive;
import io.referrals.core.model.Money;
import io.referrals.core.model.Outcome;
import io.referrals.core.model.Program;
import io.referrals.core.model.ProgramId;
import io.referrals.core.model.ProgramKind;
import io.referrals.core.model.ProgramStatus;
import io.referrals.core.model.Prospect;
import io.referrals.core.model.Referral;
import io.referrals.core.model.ReferralId;
import io.referrals.core.model.Reward;
import io.referrals.core.model.RewardId;
import io.referrals.core.model.RewardSource;
import io.referrals.core.model.RewardStatus;
import io.referrals.core.model.Stage;
import io.referrals.core.model.StagePipeline;
import io.referrals.core.model.TimelineEntry;
import io.referrals.core.model.TransitionCause;
import io.referrals.core.storage.ReferralQuery;
import io.referrals.core.storage.ReferralStore;
import io.referrals.core.storage.memory.InMemoryReferralStore;
import io.referrals.storage.jdbc.JdbcReferralStore;
import java.math.BigDecimal;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Currency;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Issues 6 and 14: the program report over a large program on PostgreSQL. Loads one program of N referrals (with
 * timelines, rewards, advocates, segments and enrolments) through the SPI's batched inserts, then VACUUM ANALYZE as
 * autovacuum would, and for two questions, the whole program and its last 30 days:
 * <ul>
 *   <li>checks {@link ProgramInsights#report} (the store's SQL aggregation) equal to the report computed from the
 *       rows loaded through the SPI and aggregated in Java by the in-memory store's scanning pass
 *       ({@code javaCheck}, default on; slow at a million referrals);</li>
 *   <li>exports the rows to DuckDB (in process, in memory; {@link DuckDbProgramStats}) and checks its answers equal to
 *       the store's {@code programStats};</li>
 *   <li>times, per iteration, {@code ProgramInsights.report}, the store's {@code programStats} alone, DuckDB's, and
 *       optionally ({@code javaTimed}) the Java aggregation.</li>
 * </ul>
 *
 * <p>A plain harness rather than JMH: the data set takes minutes to load and JMH would load it once per fork and per
 * benchmark method. Run after {@code ./mvnw -pl benchmarks -am package -DskipTests}:
 * <pre>
 * java -Xmx5g -cp benchmarks/target/benchmarks.jar io.referrals.benchmarks.insights.ProgramSummaryHarness
 * </pre>
 * System properties: {@code referrals} (default 1000000), {@code advocates} (20000), {@code iterations} (3, after the
 * checks, which warm up), {@code javaCheck} (true), {@code javaTimed} (false), {@code url}
 * ({@code jdbc:postgresql://127.0.0.1:5432/test}), {@code user} ({@code postgres}), {@code password} (empty),
 * {@code schema} ({@code bench_insights_<random>}, created and dropped at the end unless {@code keep=true});
 * {@code reuse=true} measures a schema kept by an earlier run without loading it again (the store migrates it first).
 */
public final class ProgramSummaryHarness {
    private static final Logger LOG = LoggerFactory.getLogger(ProgramSummaryHarness.class);
    private static final ProgramId PROGRAM = ProgramId.of("bench-program");
    private static final Currency EUR = Currency.getInstance("EUR");
    private static final Instant START = Instant.parse("2024-01-01T00:00:00Z");
    private static final long SPAN_MILLIS = 700L * 24 * 3600 * 1000;
    private static final int BATCH = 10_000;
    private static final List<Channel> CHANNELS = List.of(Channel.REFERRAL_FORM, Channel.DIRECT_EMAIL,
            Channel.LINK_OR_CODE, Channel.SALES_REP, Channel.PARTNER_PORTAL);
    private static final List<String> SEGMENTS = List.of("smb", "mid-market", "enterprise", "emea", "na");

    private ProgramSummaryHarness() {
    }

    public static void main(String[] args) throws SQLException, java.io.IOException {
        int referrals = Integer.getInteger("referrals", 1_000_000);
        int advocates = Integer.getInteger("advocates", 20_000);
        int iterations = Integer.getInteger("iterations", 3);
        boolean javaCheck = Boolean.parseBoolean(System.getProperty("javaCheck", "true"));
        boolean javaTimed = Boolean.parseBoolean(System.getProperty("javaTimed", "false"));
        boolean keep = Boolean.getBoolean("keep");
        String url = System.getProperty("url", "jdbc:postgresql://127.0.0.1:5432/test");
        String user = System.getProperty("user", "postgres");
        String password = System.getProperty("password", "");
        String schema = System.getProperty("schema",
                "bench_insights_" + Long.toHexString(new Random().nextLong() & 0xffffffffL));
        boolean reuse = Boolean.getBoolean("reuse"); // a schema kept by an earlier run with -Dkeep=true

        if (!reuse) {
            admin(url, user, password, "CREATE SCHEMA " + schema);
        }
        HikariConfig config = new HikariConfig();
        config.setJdbcUrl(url + (url.contains("?") ? "&" : "?") + "currentSchema=" + schema
                + "&reWriteBatchedInserts=true");
        config.setUsername(user);
        config.setPassword(password);
        config.setMaximumPoolSize(2);
        try (HikariDataSource pool = new HikariDataSource(config)) {
            JdbcReferralStore store = JdbcReferralStore.builder(pool).build();
            if (!reuse) {
                long t0 = System.nanoTime();
                load(store, referrals, advocates);
                LOG.info("loaded {} referrals ({} advocates) with their timelines and rewards in {} s", referrals,
                        advocates, seconds(System.nanoTime() - t0));
            }
            vacuumAnalyze(pool, store.tablePrefix());

            InsightsQuery whole = InsightsQuery.builder(PROGRAM, EUR).topAdvocates(10).build();
            Instant end = START.plusMillis(SPAN_MILLIS);
            InsightsQuery days30 = InsightsQuery.builder(PROGRAM, EUR).topAdvocates(10)
                    .period(ReportPeriod.of(end.minus(Duration.ofDays(30)), end)).build();
            List<InsightsQuery> queries = List.of(whole, days30);
            List<String> names = List.of("whole program", "30 days");
            Valuation valuation = Valuation.pointsUnvalued(EUR);
            Clock clock = Clock.fixed(Instant.parse("2026-01-01T00:00:00Z"), ZoneOffset.UTC); // equal reports
            ProgramInsights sql = insights(store, clock);
            Program program = store.inTransaction(tx -> tx.programs().get(PROGRAM)).orElseThrow();

            // today's aggregation against an independent one: the rows loaded and aggregated in Java
            for (int k = 0; k < queries.size(); k++) {
                ProgramReport bySql = sql.report(queries.get(k), valuation);
                if (javaCheck) {
                    ProgramReport inJava = javaReport(store, pool, advocates, queries.get(k), valuation, clock);
                    if (!bySql.equals(inJava)) {
                        throw new IllegalStateException("the SQL and Java " + names.get(k) + " reports differ:\n"
                                + bySql + "\n" + inJava);
                    }
                }
                LOG.info("{}: {} submitted, {} won, time to won median {} p90 {}{}", names.get(k), bySql.submitted(),
                        bySql.won(), bySql.timeToWon().median(), bySql.timeToWon().p90(),
                        javaCheck ? "; equal to the report aggregated in Java" : "");
            }

            // the same questions answered by DuckDB over the rows exported to it
            Path dir = Files.createTempDirectory("insights-duckdb");
            long e0 = System.nanoTime();
            DuckDbProgramStats duck;
            try (Connection pg = pool.getConnection();
                    Connection duckConnection = DriverManager.getConnection("jdbc:duckdb:")) {
                duck = DuckDbProgramStats.export(pg, store.tablePrefix(), duckConnection, dir);
                LOG.info("exported the rows to DuckDB in {} s", seconds(System.nanoTime() - e0));
                for (int k = 0; k < queries.size(); k++) {
                    InsightsQuery q = queries.get(k);
                    ProgramStats byPostgres = store.inTransaction(tx -> tx.statistics().orElseThrow().programStats(q));
                    ProgramStats byDuck = duck.programStats(q, program.pipeline());
                    if (!byPostgres.equals(byDuck)) {
                        throw new IllegalStateException("PostgreSQL and DuckDB " + names.get(k)
                                + " statistics differ:\n" + byPostgres + "\n" + byDuck);
                    }
                }
                LOG.info("DuckDB's statistics equal PostgreSQL's for both queries");

                String load0 = loadAverage();
                long[][] reportNanos = new long[queries.size()][iterations];
                long[][] statsNanos = new long[queries.size()][iterations];
                long[][] duckNanos = new long[queries.size()][iterations];
                long[][] javaNanos = new long[queries.size()][iterations];
                for (int i = 0; i < iterations; i++) {
                    for (int k = 0; k < queries.size(); k++) {
                        InsightsQuery q = queries.get(k);
                        long s = System.nanoTime();
                        sql.report(q, valuation);
                        reportNanos[k][i] = System.nanoTime() - s;
                        s = System.nanoTime();
                        store.inTransaction(tx -> tx.statistics().orElseThrow().programStats(q));
                        statsNanos[k][i] = System.nanoTime() - s;
                        s = System.nanoTime();
                        duck.programStats(q, program.pipeline());
                        duckNanos[k][i] = System.nanoTime() - s;
                        if (javaTimed) {
                            s = System.nanoTime();
                            javaReport(store, pool, advocates, q, valuation, clock);
                            javaNanos[k][i] = System.nanoTime() - s;
                        }
                        LOG.info("iteration {}, {}: report {} s, PostgreSQL statistics {} s, DuckDB {} s{}", i + 1,
                                names.get(k), seconds(reportNanos[k][i]), seconds(statsNanos[k][i]),
                                seconds(duckNanos[k][i]), javaTimed ? ", Java " + seconds(javaNanos[k][i]) + " s" : "");
                    }
                }
                for (int k = 0; k < queries.size(); k++) {
                    LOG.info("RESULT {} referrals, {}: ProgramInsights.report {} ms/op, PostgreSQL programStats {}"
                            + " ms/op, DuckDB {} ms/op (PostgreSQL/DuckDB {}x){} (mean of {}; load {} -> {})",
                            referrals, names.get(k), millis(mean(reportNanos[k])), millis(mean(statsNanos[k])),
                            millis(mean(duckNanos[k])), String.format("%.1f", mean(statsNanos[k]) / mean(duckNanos[k])),
                            javaTimed ? ", Java " + millis(mean(javaNanos[k])) + " ms/op" : "", iterations, load0,
                            loadAverage());
                }
            } finally {
                try (java.util.stream.Stream<Path> files = Files.list(dir)) {
                    for (Path f : (Iterable<Path>) files::iterator) {
                        Files.deleteIfExists(f);
                    }
                }
                Files.deleteIfExists(dir);
            }
        } finally {
            if (!keep) {
                admin(url, user, password, "DROP SCHEMA IF EXISTS " + schema + " CASCADE");
            } else {
                LOG.info("kept schema {}", schema);
            }
        }
    }

    private static String millis(double nanos) {
        return String.format("%.1f", nanos / 1e6);
    }

    private static String loadAverage() {
        try {
            return Files.readString(Path.of("/proc/loadavg")).split(" ")[0];
        } catch (java.io.IOException | RuntimeException e) {
            return "?";
        }
    }

    private static String seconds(long nanos) {
        return String.format("%.3f", nanos / 1e9);
    }

    private static double mean(long[] v) {
        double sum = 0;
        for (long x : v) {
            sum += x;
        }
        return sum / v.length;
    }

    private static void admin(String url, String user, String password, String statement) throws SQLException {
        try (Connection c = DriverManager.getConnection(url, user, password); Statement st = c.createStatement()) {
            st.execute(statement);
        }
    }

    /**
     * What autovacuum does after a bulk load (this machine's PostgreSQL runs without it): VACUUM marks the pages
     * all-visible, which index-only scans need, and ANALYZE renews the planner's statistics.
     */
    private static void vacuumAnalyze(HikariDataSource pool, String prefix) throws SQLException {
        long t0 = System.nanoTime();
        try (Connection c = pool.getConnection(); Statement st = c.createStatement()) {
            c.setAutoCommit(true);
            for (String table : List.of("referral", "timeline", "reward", "advocate", "advocate_segment",
                    "enrolment")) {
                st.execute("VACUUM ANALYZE " + prefix + table);
            }
        }
        LOG.info("VACUUM ANALYZE in {} s", seconds(System.nanoTime() - t0));
    }

    // ---- the baseline: load the rows, aggregate in Java -------------------------------------------------------------

    private static ProgramReport javaReport(JdbcReferralStore store, HikariDataSource pool, int advocates,
            InsightsQuery query, Valuation valuation, Clock clock) throws SQLException {
        InMemoryReferralStore memory = new InMemoryReferralStore();
        Program program = store.inTransaction(tx -> tx.programs().get(PROGRAM)).orElseThrow();
        List<Advocate> loaded = new ArrayList<>(advocates);
        List<Enrolment> enrolments = new ArrayList<>(advocates);
        List<Reward> rewards = new ArrayList<>();
        store.inTransaction(tx -> {
            for (int i = 0; i < advocates; i++) {
                AdvocateId id = advocateId(i);
                tx.advocates().get(id).ifPresent(loaded::add);
                tx.advocates().enrolment(id, PROGRAM).ifPresent(enrolments::add);
                rewards.addAll(tx.rewards().ofAdvocate(id));
            }
            return null;
        });
        memory.inTransaction(tx -> {
            tx.programs().insert(program);
            loaded.forEach(tx.advocates()::insert);
            enrolments.forEach(tx.advocates()::insertEnrolment);
            rewards.forEach(tx.rewards()::insert);
            return null;
        });
        ReferralId after = null;
        while (true) {
            ReferralQuery.Builder page = ReferralQuery.builder().program(PROGRAM).limit(BATCH);
            if (after != null) {
                page.after(after);
            }
            List<Referral> rows = store.inTransaction(tx -> tx.referrals().find(page.build()));
            if (rows.isEmpty()) {
                break;
            }
            memory.inTransaction(tx -> {
                tx.referrals().insertAll(rows);
                return null;
            });
            after = rows.get(rows.size() - 1).id();
        }
        List<TimelineEntry> entries = new ArrayList<>();
        try (Connection c = pool.getConnection()) {
            c.setAutoCommit(false); // PostgreSQL streams with a fetch size only inside a transaction
            try (PreparedStatement ps = c.prepareStatement("SELECT t.referral_id, t.seq, t.from_stage, t.to_stage,"
                    + " t.moved_at, t.cause_kind, t.cause_actor, t.reason, t.external_ref FROM " + store.tablePrefix()
                    + "timeline t JOIN " + store.tablePrefix() + "referral r ON r.id = t.referral_id WHERE r.program_id = ?")) {
                ps.setFetchSize(BATCH);
                ps.setString(1, PROGRAM.value());
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        entries.add(new TimelineEntry(ReferralId.of(rs.getString(1)), rs.getInt(2),
                                Stage.of(rs.getString(3)), Stage.of(rs.getString(4)),
                                rs.getObject(5, OffsetDateTime.class).toInstant(), new TransitionCause(
                                        TransitionCause.Kind.valueOf(rs.getString(6)), rs.getString(7)),
                                rs.getString(8), rs.getString(9)));
                    }
                }
            }
            c.commit();
        }
        memory.inTransaction(tx -> {
            tx.timelines().appendAll(entries);
            return null;
        });
        return insights(memory, clock).report(query, valuation);
    }

    // ---- the data set -----------------------------------------------------------------------------------------------

    private static AdvocateId advocateId(int i) {
        return AdvocateId.of(String.format("adv-%06d", i));
    }

    private static void load(ReferralStore store, int referrals, int advocates) {
        Random random = new Random(6);
        Program program = Program.builder(PROGRAM, "Benchmark", ProgramKind.CUSTOMER).status(ProgramStatus.ACTIVE)
                .build();
        StagePipeline pipeline = program.pipeline();
        store.inTransaction(tx -> {
            tx.programs().insert(program);
            return null;
        });
        AdvocateKind[] kinds = AdvocateKind.values();
        for (int from = 0; from < advocates; from += BATCH) {
            int to = Math.min(advocates, from + BATCH);
            int first = from;
            store.inTransaction(tx -> {
                for (int i = first; i < to; i++) {
                    AdvocateId id = advocateId(i);
                    Set<String> segments = new java.util.HashSet<>(List.of(SEGMENTS.get(i % SEGMENTS.size()),
                            SEGMENTS.get((i / SEGMENTS.size()) % SEGMENTS.size())));
                    tx.advocates().insert(new Advocate(id, "ext-" + i, "Advocate " + i, "", kinds[i % kinds.length], "",
                            "", "", segments, Map.of(), false, START, 1));
                    tx.advocates().insertEnrolment(new Enrolment(id, PROGRAM, at(random)));
                }
                return null;
            });
        }
        List<Stage> open = new ArrayList<>();
        for (Stage s : pipeline.stages()) {
            if (!pipeline.isTerminal(s)) {
                open.add(s);
            }
        }
        int rewardSeq = 0;
        for (int from = 0; from < referrals; from += BATCH) {
            int to = Math.min(referrals, from + BATCH);
            List<Referral> batch = new ArrayList<>(to - from);
            List<TimelineEntry> entries = new ArrayList<>();
            List<Reward> rewards = new ArrayList<>();
            for (int i = from; i < to; i++) {
                ReferralId id = ReferralId.of(String.format("ref-%08d", i));
                Instant submitted = at(random);
                Instant t = submitted;
                Stage stage = pipeline.initial();
                int seq = 0;
                int forward = random.nextInt(open.size());
                for (int k = 1; k <= forward; k++) {
                    t = t.plusMillis(1 + random.nextInt(10 * 24 * 3600 * 1000));
                    entries.add(new TimelineEntry(id, ++seq, stage, open.get(k), t, TransitionCause.rep("rep"), "",
                            ""));
                    stage = open.get(k);
                }
                int end = random.nextInt(10);
                Outcome outcome = null;
                if (end < 6) {
                    Stage terminal = end < 2 ? Stage.WON : end < 5 ? Stage.LOST : Stage.REJECTED;
                    t = t.plusMillis(1 + random.nextInt(20 * 24 * 3600 * 1000));
                    entries.add(new TimelineEntry(id, ++seq, stage, terminal, t, TransitionCause.rep("rep"), "", ""));
                    stage = terminal;
                    outcome = pipeline.outcome(terminal).orElseThrow();
                }
                AdvocateId advocate = advocateId(random.nextInt(advocates));
                Money deal = outcome == Outcome.WON && random.nextInt(10) < 8
                        ? new Money(BigDecimal.valueOf(100_000 + random.nextInt(10_000_000), 2),
                                Currency.getInstance(random.nextInt(4) == 0 ? "USD" : "EUR"))
                        : null;
                batch.add(Referral.builder().id(id).programId(PROGRAM).advocateId(advocate)
                        .prospect(Prospect.builder().fullName("Prospect " + i).email("p" + i + "@x" + i + ".example")
                                .company("Company " + i).build())
                        .channel(CHANNELS.get(random.nextInt(CHANNELS.size())))
                        .consent(ConsentBasis.PROSPECT_CONSENT).stage(stage).outcome(outcome).dealValue(deal)
                        .submittedAt(submitted).updatedAt(t).timelineLength(seq).build());
                if (outcome == Outcome.WON) {
                    Incentive incentive = random.nextBoolean() ? new Incentive.Points(500)
                            : new Incentive.Cash(Money.of("100.00", "EUR"), true);
                    RewardStatus status = RewardStatus.values()[random.nextInt(RewardStatus.values().length)];
                    rewards.add(new Reward(RewardId.of(String.format("rw-%08d", rewardSeq++)), PROGRAM, advocate,
                            Beneficiary.ADVOCATE, RewardSource.referral(id), "won-rule", 1, "won", incentive, status,
                            t, t, t, List.of(), 1));
                }
            }
            store.inTransaction(tx -> {
                tx.referrals().insertAll(batch);
                tx.timelines().appendAll(entries);
                rewards.forEach(tx.rewards()::insert);
                return null;
            });
            if ((to / BATCH) % 10 == 0) {
                LOG.info("loaded {} referrals", to);
            }
        }
    }

    private static Instant at(Random random) {
        return START.plusMillis((long) (random.nextDouble() * SPAN_MILLIS));
    }

    /** Program insights over {@code store}, through an engine on it. */
    private static ProgramInsights insights(ReferralStore store, Clock clock) {
        return ReferralEngine.builder().store(store).clock(clock)
                .matchKeySecret("benchmark-secret-0123456789".getBytes(java.nio.charset.StandardCharsets.UTF_8))
                .install(ProgramInsights.extension()).build().extension(ProgramInsights.extension());
    }
}
