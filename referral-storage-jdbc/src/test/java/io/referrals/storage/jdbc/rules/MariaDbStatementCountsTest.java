package io.referrals.storage.jdbc.rules;

import io.referrals.storage.jdbc.Dialect;

class MariaDbStatementCountsTest extends StatementCountsTest {
    @Override
    Dialect dialect() {
        return Dialect.MARIADB;
    }

    @Override
    int[] expected() {
        // each begins with SET TRANSACTION ISOLATION LEVEL READ COMMITTED, which the test pool's sessions (at the
        // server's REPEATABLE READ) need; a pool configured for READ COMMITTED saves it
        return new int[] {12, 22};
    }
}
