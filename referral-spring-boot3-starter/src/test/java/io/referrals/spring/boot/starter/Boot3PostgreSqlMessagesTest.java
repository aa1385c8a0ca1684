package io.referrals.spring.boot.starter;

import org.junit.jupiter.api.DisplayName;

@DisplayName("Spring Boot 3.5: messages to advocates on PostgreSQL")
class Boot3PostgreSqlMessagesTest extends MessagesContract {

    @Override
    protected TestDb database() {
        return TestDb.postgres();
    }
}
