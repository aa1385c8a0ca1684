package io.referrals.storage.jdbc;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;

class H2InsightsTest extends JdbcInsightsSuite {
    private static TestDatabase db;

    @BeforeAll
    static void openDatabase() {
        db = TestDatabase.create(Dialect.H2);
        JdbcReferralStore.builder(db.pool(1)).build();
    }

    @AfterAll
    static void dropDatabase() {
        if (db != null) {
            db.close();
        }
    }

    @Override
    TestDatabase db() {
        return db;
    }
}
