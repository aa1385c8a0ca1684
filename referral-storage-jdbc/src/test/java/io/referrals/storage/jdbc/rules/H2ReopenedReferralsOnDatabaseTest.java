package io.referrals.storage.jdbc.rules;

import io.referrals.storage.jdbc.Dialect;

class H2ReopenedReferralsOnDatabaseTest extends ReopenedReferralsOnDatabaseTest {
    @Override
    Dialect dialect() {
        return Dialect.H2;
    }
}
