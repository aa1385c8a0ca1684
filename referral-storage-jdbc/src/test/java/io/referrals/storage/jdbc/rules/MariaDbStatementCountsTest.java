package io.referrals.storage.jdbc.rules;

import io.referrals.storage.jdbc.Dialect;

class MariaDbStatementCountsTest extends StatementCountsTest {
    @Override
    Dialect dialect() {
        return Dialect.MARIADB;
    }

    @Override
    int[] expected() {
        return new int[] {11, 21};
    }
}
