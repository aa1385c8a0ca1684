package io.referrals.spring.boot.starter;

import org.junit.jupiter.api.DisplayName;

@DisplayName("Spring Boot 4: messages to advocates on PostgreSQL")
class Boot4PostgreSqlMessagesTest extends MessagesContract {

    @Override
    protected TestDb database() {
        return TestDb.postgres();
    }
}
