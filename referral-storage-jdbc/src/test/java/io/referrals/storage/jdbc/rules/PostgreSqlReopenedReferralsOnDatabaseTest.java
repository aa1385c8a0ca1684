package io.referrals.storage.jdbc.rules;

import io.referrals.storage.jdbc.Dialect;

class PostgreSqlReopenedReferralsOnDatabaseTest extends ReopenedReferralsOnDatabaseTest {
    @Override
    Dialect dialect() {
        return Dialect.POSTGRESQL;
    }
}
