package io.referrals.benchmarks.jdbc;

import io.referrals.core.ReferralEngine;
import io.referrals.core.model.Advocate;
import io.referrals.core.model.Referral;
import io.referrals.storage.jdbc.JdbcReferralStore;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;

/**
 * Capturing one referral: {@link ReferralEngine#capture} by referral code over a {@link JdbcReferralStore} on a
 * HikariCP pool, with warm caches, beside hand-written JDBC doing the inserts that capture writes, in one transaction
 * on the same pool: the referral row (same 13 columns, a body of the same size as the engine's), the new stream's sequence
 * row and the {@code ReferralSubmitted} event row (same columns and body size).
 *
 * <p>What the engine does beyond the baseline (see the statement counts in benchmarks/README.md): it validates and
 * normalises the request, reads the advocate, screens eligibility (the prospect's lock row and two velocity counters,
 * one lookup by the prospect's and the advocate's keys for duplicates and circular referrals) and serialises the
 * referral and the event to JSON. Each capture names a fresh prospect, and the engine's clock moves two minutes per
 * read so that the default velocity limit (50 an hour) never refuses one. Before each iteration the tables are
 * analysed, as autovacuum would (the benchmark machine's PostgreSQL runs without it).
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
public class CaptureBenchmark {
    @Param({BenchDatabase.H2, BenchDatabase.POSTGRESQL})
    public String db;

    private BenchDatabase database;
    private ReferralEngine engine;
    private String code;

    private String insertReferral;
    private String insertSequence;
    private String insertEvent;
    private String programId;
    private String advocateId;
    private String referralBody;
    private String eventType;
    private String eventBody;
    private int keyLength;
    private final Instant start = Instant.parse("2026-03-02T09:00:00Z");
    private long baselineSeconds;

    @Setup
    public void setUp() throws SQLException {
        database = BenchDatabase.create(db, 2, "");
        JdbcReferralStore store = JdbcReferralStore.builder(database.pool).build();
        engine = ReferralEngine.builder().store(store).clock(new SteppingClock(start, Duration.ofMinutes(2)))
                .matchKeySecret(io.referrals.benchmarks.jdbc.Setup.MATCH_KEY_SECRET).build();
        engine.defineProgram(io.referrals.benchmarks.jdbc.Setup.program());
        Advocate a = io.referrals.benchmarks.jdbc.Setup.advocate(engine, "bench-advocate");
        code = engine.issueCode(a.id(), io.referrals.benchmarks.jdbc.Setup.PROGRAM).code();
        Referral warm = io.referrals.benchmarks.jdbc.Setup.captureByCode(engine, code);
        programId = io.referrals.benchmarks.jdbc.Setup.PROGRAM.value();
        advocateId = a.id().value();

        String p = store.tablePrefix();
        insertReferral = "INSERT INTO " + p + "referral (id, program_id, advocate_id, stage, channel, idempotency_key,"
                + " submitted_at, updated_at, version, body, review, email_key, domain_key)"
                + " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)";
        insertSequence = "INSERT INTO " + p + "stream_seq (stream, last_seq) VALUES (?, 1)";
        insertEvent = "INSERT INTO " + p + "event (id, stream, seq, event_type, occurred_at, status, attempts,"
                + " next_attempt_at, last_error, body) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)";
        try (Connection c = database.pool.getConnection(); Statement st = c.createStatement()) {
            try (ResultSet rs = st.executeQuery("SELECT body, email_key FROM " + p + "referral WHERE id = '"
                    + warm.id().value() + "'")) {
                rs.next();
                referralBody = rs.getString(1);
                keyLength = rs.getString(2).length();
            }
            try (ResultSet rs = st.executeQuery("SELECT event_type, body FROM " + p + "event ORDER BY pos DESC")) {
                rs.next();
                eventType = rs.getString(1);
                eventBody = rs.getString(2);
            }
        }
        if (!eventType.contains("ReferralSubmitted")) {
            throw new IllegalStateException("the warm-up capture's last event is " + eventType);
        }
    }

    /** Statistics as autovacuum would keep them: see {@link BenchDatabase#analyze()}. */
    @Setup(Level.Iteration)
    public void analyze() {
        database.analyze();
    }

    @TearDown
    public void tearDown() {
        database.close();
    }

    @Benchmark
    public Referral engineCapture() {
        return io.referrals.benchmarks.jdbc.Setup.captureByCode(engine, code);
    }

    @Benchmark
    public int handWrittenJdbc() throws SQLException {
        String id = UUID.randomUUID().toString();
        String stream = "referral:" + id;
        String key = (id.replace("-", "") + id.replace("-", "")).substring(0, keyLength);
        OffsetDateTime now = OffsetDateTime.ofInstant(start.plusSeconds(++baselineSeconds), ZoneOffset.UTC);
        try (Connection c = database.pool.getConnection()) {
            c.setAutoCommit(false);
            int rows;
            try (PreparedStatement ps = c.prepareStatement(insertReferral)) {
                ps.setString(1, id);
                ps.setString(2, programId);
                ps.setString(3, advocateId);
                ps.setString(4, "submitted");
                ps.setString(5, "LINK_OR_CODE");
                ps.setString(6, null);
                ps.setObject(7, now);
                ps.setObject(8, now);
                ps.setLong(9, 1);
                ps.setString(10, referralBody);
                ps.setString(11, "CLEAR");
                ps.setString(12, key);
                ps.setString(13, key);
                rows = ps.executeUpdate();
            }
            try (PreparedStatement ps = c.prepareStatement(insertSequence)) {
                ps.setString(1, stream);
                rows += ps.executeUpdate();
            }
            try (PreparedStatement ps = c.prepareStatement(insertEvent)) {
                ps.setString(1, UUID.randomUUID().toString());
                ps.setString(2, stream);
                ps.setLong(3, 1);
                ps.setString(4, eventType);
                ps.setObject(5, now);
                ps.setString(6, "D");
                ps.setInt(7, 0);
                ps.setObject(8, now);
                ps.setString(9, "");
                ps.setString(10, eventBody);
                rows += ps.executeUpdate();
            }
            c.commit();
            c.setAutoCommit(true);
            return rows;
        }
    }
}
