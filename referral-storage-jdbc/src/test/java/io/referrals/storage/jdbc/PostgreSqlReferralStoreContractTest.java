package io.referrals.storage.jdbc;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;

class PostgreSqlReferralStoreContractTest extends JdbcContract {
    private static final Shared SHARED = new Shared(Dialect.POSTGRESQL);

    @BeforeAll
    static void openDatabase() {
        SHARED.open();
    }

    @AfterAll
    static void dropDatabase() {
        SHARED.close();
    }

    @Override
    Shared shared() {
        return SHARED;
    }
}
