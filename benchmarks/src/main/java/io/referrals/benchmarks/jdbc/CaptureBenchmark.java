package io.referrals.benchmarks.jdbc;

import io.referrals.core.ReferralEngine;
import io.referrals.core.model.Advocate;
import io.referrals.core.model.Referral;
import io.referrals.storage.jdbc.JdbcReferralStore;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
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

    private HandWrittenCapture handWritten;
    private final Instant start = Instant.parse("2026-03-02T09:00:00Z");

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
        handWritten = HandWrittenCapture.from(database.pool, store.tablePrefix(), warm.id(), a.id(),
                io.referrals.benchmarks.jdbc.Setup.PROGRAM.value(), start);
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
        return handWritten.capture(database.pool);
    }
}
