package io.referrals.storage.jdbc;

import com.zaxxer.hikari.HikariDataSource;
import io.referrals.core.storage.ReferralStore;
import io.referrals.storage.tck.ReferralStoreStatefulContract;
import net.jqwik.api.lifecycle.AfterContainer;
import net.jqwik.api.lifecycle.BeforeContainer;

/**
 * The randomised contract with its two engines on two store instances over separate pools. Caches are off: they are
 * per instance by design (invalidated on change within one instance, other instances' changes seen on expiry), and
 * the model expects every instance to see a program paused or a code revoked by another at once.
 */
class MariaDbReferralStoreStatefulProperties extends ReferralStoreStatefulContract {
    private static TestDatabase db;
    private static HikariDataSource poolA;
    private static HikariDataSource poolB;

    @BeforeContainer
    static void openDatabase() {
        db = TestDatabase.create(Dialect.MARIADB);
        poolA = db.pool(8);
        poolB = db.pool(8);
        JdbcReferralStore.builder(poolA).build();
    }

    @AfterContainer
    static void dropDatabase() {
        if (db != null) {
            db.close();
        }
    }

    @Override
    protected ReferralStore newStore() {
        return JdbcReferralStore.builder(poolA).dialect(Dialect.MARIADB).migration(MigrationMode.NONE)
                .cache(CacheOptions.DISABLED).build();
    }

    @Override
    protected ReferralStore sameDataStore(ReferralStore store) {
        return JdbcReferralStore.builder(poolB).dialect(Dialect.MARIADB).migration(MigrationMode.NONE)
                .cache(CacheOptions.DISABLED).build();
    }
}
