package io.referrals.storage.jdbc;

import com.zaxxer.hikari.HikariDataSource;
import io.referrals.core.storage.ReferralStore;
import io.referrals.storage.tck.ReferralStoreContract;

/**
 * The contract kit on one dialect: the schema is migrated once per test class in a database of its own, each test
 * gets emptied tables and fresh stores (fresh caches), and {@link #sameDataStore()} is a second store on a second
 * HikariCP pool.
 */
abstract class JdbcContract extends ReferralStoreContract {
    private ReferralStore second;

    /** The class's shared database. */
    abstract Shared shared();

    /** How the stores under test treat a connection with auto-commit off; the default is the builder's. */
    HostTransactions hostTransactions() {
        return HostTransactions.REFUSE;
    }

    @Override
    protected ReferralStore newStore() {
        Shared s = shared();
        s.db.truncate("ref_");
        second = null;
        return JdbcReferralStore.builder(s.poolA).hostTransactions(hostTransactions()).build();
    }

    @Override
    protected ReferralStore sameDataStore() {
        if (second == null) {
            second = JdbcReferralStore.builder(shared().poolB).hostTransactions(hostTransactions())
                    .migration(MigrationMode.VALIDATE).build();
        }
        return second;
    }

    /** One database and two pools for a test class. */
    static final class Shared {
        private final Dialect dialect;
        TestDatabase db;
        HikariDataSource poolA;
        HikariDataSource poolB;

        Shared(Dialect dialect) {
            this.dialect = dialect;
        }

        void open() {
            db = TestDatabase.create(dialect);
            poolA = db.pool(16);
            poolB = db.pool(16);
            JdbcReferralStore.builder(poolA).build();
        }

        void close() {
            if (db != null) {
                db.close();
            }
        }
    }
}
