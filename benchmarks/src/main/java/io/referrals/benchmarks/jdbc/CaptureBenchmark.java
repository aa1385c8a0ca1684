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
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;

/**
 * Capturing one referral: {@link ReferralEngine#capture} by referral code over a {@link JdbcReferralStore} on a HikariCP
 * pool, with warm caches, beside hand-written JDBC doing the inserts that capture writes, in one transaction on the
 * same pool: the referral row (same 13 columns, a body of the same size as the engine's), the new stream's sequence
 * row and the {@code ReferralSubmitted} event row (same columns and body size).
 *
 * <p>What the engine does beyond the baseline (see the statement counts in benchmarks/README.md): it validates and
 * normalises the request, reads the advocate, screens eligibility (two prospect-key queries for duplicates and
 * circular referrals, two velocity counters) and serialises the referral and the event to JSON. Each capture names a
 * fresh prospect, and the engine's clock moves two minutes per read so that the default velocity limit (50 an hour)
 * never refuses one.
 *
 * <p>{@link #handWrittenSameStatements} is a diagnostic, not the goal's baseline: hand-written JDBC issuing the
 * statements the store issues for a warm capture (see the statement counts), with the same parameters' shapes, so
 * that the gap between it and {@link #engineCapture} is the engine's own Java work and the gap between it and
 * {@link #handWrittenJdbc} is the cost of the extra round trips.
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
    private String selectAdvocate;
    private String selectByProspectKey;
    private String[] counterStatements;

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
        selectAdvocate = "SELECT body FROM " + p + "advocate WHERE id = ?";
        selectByProspectKey = db.equals(BenchDatabase.POSTGRESQL)
                ? "SELECT body FROM " + p + "referral WHERE email_key = ? OR domain_key = ?"
                        + " ORDER BY submitted_at, id LIMIT ?"
                : "SELECT body FROM (SELECT id, submitted_at, body FROM " + p + "referral WHERE email_key = ? UNION"
                        + " SELECT id, submitted_at, body FROM " + p + "referral WHERE domain_key = ?) r"
                        + " ORDER BY submitted_at, id LIMIT ?";
        counterStatements = db.equals(BenchDatabase.POSTGRESQL)
                ? new String[] {"INSERT INTO " + p + "counter (counter_key, amount) VALUES (?, ?) ON CONFLICT"
                        + " (counter_key) DO UPDATE SET amount = " + p + "counter.amount + EXCLUDED.amount WHERE "
                        + p + "counter.amount + EXCLUDED.amount <= ?"}
                : new String[] {"MERGE INTO " + p + "counter t USING (VALUES (CAST(? AS VARCHAR(255)))) v(k)"
                        + " ON t.counter_key = v.k WHEN NOT MATCHED THEN INSERT (counter_key, amount) VALUES (v.k, 0)",
                        "UPDATE " + p + "counter SET amount = amount + ? WHERE counter_key = ? AND amount + ? <= ?"};
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

    @Benchmark
    public int handWrittenSameStatements() throws SQLException {
        String id = UUID.randomUUID().toString();
        String stream = "referral:" + id;
        String key = (id.replace("-", "") + id.replace("-", "")).substring(0, keyLength);
        long second = ++baselineSeconds;
        OffsetDateTime now = OffsetDateTime.ofInstant(start.plusSeconds(second), ZoneOffset.UTC);
        String hour = Long.toString(second / 1800);
        try (Connection c = database.pool.getConnection()) {
            c.setAutoCommit(false);
            int rows = 0;
            for (int i = 0; i < 2; i++) {
                try (PreparedStatement ps = c.prepareStatement(selectAdvocate)) {
                    ps.setString(1, advocateId);
                    try (ResultSet rs = ps.executeQuery()) {
                        rows += rs.next() ? rs.getString(1).length() : 0;
                    }
                }
            }
            for (int i = 0; i < 2; i++) {
                try (PreparedStatement ps = c.prepareStatement(selectByProspectKey)) {
                    ps.setString(1, i == 0 ? key : advocateId);
                    ps.setString(2, i == 0 ? key : advocateId);
                    ps.setInt(3, 100);
                    try (ResultSet rs = ps.executeQuery()) {
                        while (rs.next()) {
                            rows += rs.getString(1).length();
                        }
                    }
                }
            }
            for (String counterKey : new String[] {"bench|advocate|" + hour, "bench|code|" + hour}) {
                if (counterStatements.length == 1) {
                    try (PreparedStatement ps = c.prepareStatement(counterStatements[0])) {
                        ps.setString(1, counterKey);
                        ps.setLong(2, 1);
                        ps.setLong(3, Long.MAX_VALUE / 2);
                        rows += ps.executeUpdate();
                    }
                } else {
                    try (PreparedStatement ps = c.prepareStatement(counterStatements[0])) {
                        ps.setString(1, counterKey);
                        rows += ps.executeUpdate();
                    }
                    try (PreparedStatement ps = c.prepareStatement(counterStatements[1])) {
                        ps.setLong(1, 1);
                        ps.setString(2, counterKey);
                        ps.setLong(3, 1);
                        ps.setLong(4, Long.MAX_VALUE / 2);
                        rows += ps.executeUpdate();
                    }
                }
            }
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
                rows += ps.executeUpdate();
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
