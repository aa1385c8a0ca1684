package io.referrals.benchmarks.jdbc;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import io.referrals.core.ReferralEngine;
import io.referrals.core.model.Advocate;
import io.referrals.core.model.ReferralCode;
import io.referrals.storage.jdbc.CacheOptions;
import io.referrals.storage.jdbc.JdbcReferralStore;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.infra.Blackhole;

/**
 * A cached referral-code lookup beside a raw Caffeine {@code getIfPresent} of the same key, on a cache built with the
 * same bounds ({@code maximumSize} 10,000; {@code expireAfterWrite} raised to 10 minutes for both so that no entry
 * expires during a run).
 *
 * <p>{@link ReferralEngine#findCode} always opens a store transaction (a pooled connection checked out, auto-commit
 * switched off and back, a commit), which is not a cache cost; so the comparison measures the lookup the way capture
 * makes it: {@code StoreTransaction.code(key)} inside an open transaction with a warm cache, 1,000 lookups per
 * transaction ({@link #storeLookupInTransaction}, whose score is per lookup and includes 1/1,000 of the transaction).
 * {@link #engineFindCode} shows the whole {@code findCode} call, transaction included, for reference. H2 in memory;
 * no statement runs on any path measured here once the cache is warm.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
public class CodeLookupBenchmark {
    private static final int LOOKUPS = 1000;
    private static final CacheOptions OPTIONS = new CacheOptions(10_000, Duration.ofMinutes(10));

    private BenchDatabase database;
    private JdbcReferralStore store;
    private ReferralEngine engine;
    private Cache<String, ReferralCode> caffeine;
    private String key;
    private String typed;

    @Setup
    public void setUp() {
        database = BenchDatabase.create(BenchDatabase.H2, 2, "");
        store = JdbcReferralStore.builder(database.pool).cache(OPTIONS).build();
        engine = ReferralEngine.builder().store(store).matchKeySecret(io.referrals.benchmarks.jdbc.Setup.MATCH_KEY_SECRET)
                .build();
        engine.defineProgram(io.referrals.benchmarks.jdbc.Setup.program());
        Advocate a = io.referrals.benchmarks.jdbc.Setup.advocate(engine, "lookup-advocate");
        ReferralCode code = engine.issueCode(a.id(), io.referrals.benchmarks.jdbc.Setup.PROGRAM);
        typed = code.code();
        key = code.key();
        // the first lookup after the issuing transaction reads the database and fills the cache
        if (engine.findCode(typed).isEmpty() || store.inTransaction(tx -> tx.codes().get(key)).isEmpty()) {
            throw new IllegalStateException("the issued code is not found");
        }
        caffeine = Caffeine.newBuilder().maximumSize(OPTIONS.maximumSize())
                .expireAfterWrite(OPTIONS.expireAfterWrite()).build();
        caffeine.put(key, code);
    }

    @TearDown
    public void tearDown() {
        database.close();
    }

    @Benchmark
    @OperationsPerInvocation(LOOKUPS)
    public void caffeineGetIfPresent(Blackhole bh) {
        for (int i = 0; i < LOOKUPS; i++) {
            bh.consume(caffeine.getIfPresent(key));
        }
    }

    @Benchmark
    @OperationsPerInvocation(LOOKUPS)
    public void storeLookupInTransaction(Blackhole bh) {
        store.inTransaction(tx -> {
            for (int i = 0; i < LOOKUPS; i++) {
                bh.consume(tx.codes().get(key));
            }
            return null;
        });
    }

    @Benchmark
    public Optional<ReferralCode> engineFindCode() {
        return engine.findCode(typed);
    }
}
