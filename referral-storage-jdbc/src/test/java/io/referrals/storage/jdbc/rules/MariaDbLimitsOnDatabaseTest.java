package io.referrals.storage.jdbc.rules;

import io.referrals.storage.jdbc.Dialect;

class MariaDbLimitsOnDatabaseTest extends LimitsOnDatabaseTest {
    @Override
    Dialect dialect() {
        return Dialect.MARIADB;
    }
}
