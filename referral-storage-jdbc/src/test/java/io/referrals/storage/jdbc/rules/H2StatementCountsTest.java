package io.referrals.storage.jdbc.rules;

import io.referrals.storage.jdbc.Dialect;

class H2StatementCountsTest extends StatementCountsTest {
    @Override
    Dialect dialect() {
        return Dialect.H2;
    }

    @Override
    int[] expected() {
        return new int[] {8, 21};
    }
}
