package io.referrals.storage.jdbc.rules;

import io.referrals.storage.jdbc.Dialect;

class MariaDbReopenedReferralsOnDatabaseTest extends ReopenedReferralsOnDatabaseTest {
    @Override
    Dialect dialect() {
        return Dialect.MARIADB;
    }
}
