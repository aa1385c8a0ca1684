package io.referrals.benchmarks.jdbc;

import io.referrals.core.ImportedReferral;
import io.referrals.core.ReferralEngine;
import io.referrals.core.model.Advocate;
import io.referrals.core.model.Channel;
import io.referrals.core.model.ConsentBasis;
import io.referrals.core.model.Referral;
import io.referrals.core.model.Stage;
import io.referrals.core.model.TransitionCause;
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
import java.util.ArrayList;
import java.util.List;
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
 * Importing 10,000 historical referrals (each with one move, {@code submitted -> won}, so 10,000 referral rows and
 * 10,000 timeline rows) in one transaction: {@link ReferralEngine#importReferrals} beside hand-written JDBC that
 * inserts the same rows (same columns, a distinct body of the engine's size per row) in batches of 500, as the store
 * does. On
 * PostgreSQL the pool's URL sets {@code reWriteBatchedInserts=true} for both. The rows are built before each call
 * (not timed); the tables are emptied before each iteration so both sides insert into tables of the same size.
 * Rows per second = 10,000 / score.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
public class ImportBenchmark {
    private static final int ROWS = 10_000;
    private static final int BATCH = 500;
    private static final Instant START = Instant.parse("2025-01-06T09:00:00Z");

    @Param({BenchDatabase.H2, BenchDatabase.POSTGRESQL})
    public String db;

    private BenchDatabase database;
    private ReferralEngine engine;
    private Advocate advocate;
    private String prefix;
    private String referralBody;
    private int keyLength;
    private long runs;

    private List<ImportedReferral> rows;
    /**
     * One body per row, equal to the engine's in size but each its own string: H2 in memory keeps the values it is
     * given, and 10,000 references to one string would spare the baseline the memory the engine's rows take.
     */
    private List<String> bodies;

    @Setup
    public void setUp() throws SQLException {
        database = BenchDatabase.create(db, 2, db.equals(BenchDatabase.POSTGRESQL) ? "reWriteBatchedInserts=true" : "");
        JdbcReferralStore store = JdbcReferralStore.builder(database.pool).build();
        prefix = store.tablePrefix();
        engine = ReferralEngine.builder().store(store).matchKeySecret(io.referrals.benchmarks.jdbc.Setup.MATCH_KEY_SECRET)
                .build();
        engine.defineProgram(io.referrals.benchmarks.jdbc.Setup.program());
        advocate = io.referrals.benchmarks.jdbc.Setup.advocate(engine, "import-advocate");
        Referral sample = engine.importReferrals(build(1, "sample")).get(0);
        try (Connection c = database.pool.getConnection(); Statement st = c.createStatement();
                ResultSet rs = st.executeQuery("SELECT body, email_key FROM " + prefix + "referral WHERE id = '"
                        + sample.id().value() + "'")) {
            rs.next();
            referralBody = rs.getString(1);
            keyLength = rs.getString(2).length();
        }
    }

    private List<ImportedReferral> build(int n, String run) {
        List<ImportedReferral> out = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            Instant at = START.plus(Duration.ofMinutes(i));
            out.add(ImportedReferral.builder().advocate(advocate.id()).program(io.referrals.benchmarks.jdbc.Setup.PROGRAM)
                    .prospect(io.referrals.benchmarks.jdbc.Setup.freshProspect()).channel(Channel.REFERRAL_FORM)
                    .consent(ConsentBasis.ADVOCATE_INTRODUCTION).submittedAt(at)
                    .move(Stage.WON, at.plus(Duration.ofDays(30)), TransitionCause.crm("salesforce"), "opp-" + i)
                    .importKey("import-" + run + "-" + i).build());
        }
        return out;
    }

    @Setup(Level.Iteration)
    public void emptyTables() {
        database.execute("DELETE FROM " + prefix + "timeline");
        database.execute("DELETE FROM " + prefix + "referral");
    }

    @Setup(Level.Invocation)
    public void buildRows() {
        rows = build(ROWS, Long.toString(++runs));
        bodies = new ArrayList<>(ROWS);
        for (int i = 0; i < ROWS; i++) {
            bodies.add(new String(referralBody.toCharArray()));
        }
    }

    @TearDown
    public void tearDown() {
        database.close();
    }

    @Benchmark
    public List<Referral> engineImport() {
        return engine.importReferrals(rows);
    }

    @Benchmark
    public int batchedJdbc() throws SQLException {
        String insertReferral = "INSERT INTO " + prefix + "referral (id, program_id, advocate_id, stage, channel,"
                + " idempotency_key, submitted_at, updated_at, version, body, review, email_key, domain_key)"
                + " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)";
        String insertTimeline = "INSERT INTO " + prefix + "timeline (referral_id, seq, from_stage, to_stage, moved_at,"
                + " cause_kind, cause_actor, reason, external_ref) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)";
        String programId = io.referrals.benchmarks.jdbc.Setup.PROGRAM.value();
        String advocateId = advocate.id().value();
        int written = 0;
        try (Connection c = database.pool.getConnection()) {
            c.setAutoCommit(false);
            List<String> ids = new ArrayList<>(rows.size());
            try (PreparedStatement ps = c.prepareStatement(insertReferral)) {
                int pending = 0;
                for (int r = 0; r < rows.size(); r++) {
                    ImportedReferral row = rows.get(r);
                    String id = UUID.randomUUID().toString();
                    ids.add(id);
                    String key = (id.replace("-", "") + id.replace("-", "")).substring(0, keyLength);
                    ImportedReferral.Move last = row.moves().get(row.moves().size() - 1);
                    ps.setString(1, id);
                    ps.setString(2, programId);
                    ps.setString(3, advocateId);
                    ps.setString(4, last.to().name());
                    ps.setString(5, row.channel().name());
                    ps.setString(6, row.importKey());
                    ps.setObject(7, OffsetDateTime.ofInstant(row.submittedAt(), ZoneOffset.UTC));
                    ps.setObject(8, OffsetDateTime.ofInstant(last.at(), ZoneOffset.UTC));
                    ps.setLong(9, 1);
                    ps.setString(10, bodies.get(r));
                    ps.setString(11, "CLEAR");
                    ps.setString(12, key);
                    ps.setString(13, key);
                    ps.addBatch();
                    if (++pending == BATCH) {
                        written += ps.executeBatch().length;
                        pending = 0;
                    }
                }
                if (pending > 0) {
                    written += ps.executeBatch().length;
                }
            }
            try (PreparedStatement ps = c.prepareStatement(insertTimeline)) {
                int pending = 0;
                for (int i = 0; i < rows.size(); i++) {
                    ImportedReferral.Move m = rows.get(i).moves().get(0);
                    ps.setString(1, ids.get(i));
                    ps.setInt(2, 1);
                    ps.setString(3, "submitted");
                    ps.setString(4, m.to().name());
                    ps.setObject(5, OffsetDateTime.ofInstant(m.at(), ZoneOffset.UTC));
                    ps.setString(6, m.cause().kind().name());
                    ps.setString(7, m.cause().actor());
                    ps.setString(8, "");
                    ps.setString(9, m.externalRef());
                    ps.addBatch();
                    if (++pending == BATCH) {
                        written += ps.executeBatch().length;
                        pending = 0;
                    }
                }
                if (pending > 0) {
                    written += ps.executeBatch().length;
                }
            }
            c.commit();
            c.setAutoCommit(true);
        }
        return written;
    }
}
