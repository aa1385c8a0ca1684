package io.referrals.storage.jdbc;

import org.junit.jupiter.api.DisplayName;

@DisplayName("Advocate messages sent by several processes at once on MariaDB")
class MariaDbAdvocateMessagesRaceTest extends AdvocateMessagesRaceSuite {
    @Override
    Dialect dialect() {
        return Dialect.MARIADB;
    }
}
