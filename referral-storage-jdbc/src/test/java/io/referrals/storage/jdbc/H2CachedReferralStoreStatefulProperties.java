package io.referrals.storage.jdbc;

import com.zaxxer.hikari.HikariDataSource;
import io.referrals.core.storage.ReferralStore;
import io.referrals.storage.tck.ReferralStoreStatefulContract;
import java.time.Duration;
import net.jqwik.api.lifecycle.AfterContainer;
import net.jqwik.api.lifecycle.BeforeContainer;

/**
 * The randomised contract with caches on and long-lived, both engines sharing one store instance: within an instance
 * the caches must never show anything but the committed state.
 */
class H2CachedReferralStoreStatefulProperties extends ReferralStoreStatefulContract {
    private static TestDatabase db;
    private static HikariDataSource pool;

    @BeforeContainer
    static void openDatabase() {
        db = TestDatabase.create(Dialect.H2);
        pool = db.pool(8);
        JdbcReferralStore.builder(pool).build();
    }

    @AfterContainer
    static void dropDatabase() {
        if (db != null) {
            db.close();
        }
    }

    @Override
    protected ReferralStore newStore() {
        return JdbcReferralStore.builder(pool).dialect(Dialect.H2).migration(MigrationMode.NONE)
                .cache(new CacheOptions(10_000, Duration.ofHours(1))).build();
    }
}
