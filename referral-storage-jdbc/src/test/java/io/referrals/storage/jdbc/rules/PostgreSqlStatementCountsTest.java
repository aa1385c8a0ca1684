package io.referrals.storage.jdbc.rules;

import io.referrals.storage.jdbc.Dialect;

class PostgreSqlStatementCountsTest extends StatementCountsTest {
    @Override
    Dialect dialect() {
        return Dialect.POSTGRESQL;
    }

    @Override
    int[] expected() {
        return new int[] {3, 12};
    }
}
