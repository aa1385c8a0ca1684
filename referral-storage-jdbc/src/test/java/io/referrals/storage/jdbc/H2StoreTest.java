package io.referrals.storage.jdbc;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

class H2StoreTest extends JdbcStoreSuite {
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

    @Test
    @DisplayName("a migration stopped halfway (DDL commits itself here) resumes on the next start")
    void migrationStoppedHalfwayResumes() {
        assertMigrationStoppedHalfwayResumes();
    }
}
