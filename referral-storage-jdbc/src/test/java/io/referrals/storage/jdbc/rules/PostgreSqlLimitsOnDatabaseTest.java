package io.referrals.storage.jdbc.rules;

import io.referrals.storage.jdbc.Dialect;

class PostgreSqlLimitsOnDatabaseTest extends LimitsOnDatabaseTest {
    @Override
    Dialect dialect() {
        return Dialect.POSTGRESQL;
    }
}
