package io.referrals.storage.jdbc;

import org.junit.jupiter.api.DisplayName;

@DisplayName("Advocate messages sent by several processes at once on PostgreSQL")
class PostgreSqlAdvocateMessagesRaceTest extends AdvocateMessagesRaceSuite {
    @Override
    Dialect dialect() {
        return Dialect.POSTGRESQL;
    }
}
