package io.referrals.spring.boot.starter;

import org.junit.jupiter.api.DisplayName;

@DisplayName("Spring Boot 3.5: messages to advocates on H2")
class Boot3H2MessagesTest extends MessagesContract {

    @Override
    protected TestDb database() {
        return TestDb.h2();
    }
}
