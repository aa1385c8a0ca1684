package io.referrals.storage.jdbc.rules;

import io.referrals.storage.jdbc.Dialect;

class H2LimitsOnDatabaseTest extends LimitsOnDatabaseTest {
    @Override
    Dialect dialect() {
        return Dialect.H2;
    }
}
