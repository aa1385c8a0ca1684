package io.referrals.storage.jdbc;

import org.junit.jupiter.api.DisplayName;

@DisplayName("Advocate messages sent by several processes at once on H2")
class H2AdvocateMessagesRaceTest extends AdvocateMessagesRaceSuite {
    @Override
    Dialect dialect() {
        return Dialect.H2;
    }
}
