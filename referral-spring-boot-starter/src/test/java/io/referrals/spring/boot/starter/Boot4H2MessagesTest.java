package io.referrals.spring.boot.starter;

import org.junit.jupiter.api.DisplayName;

@DisplayName("Spring Boot 4: messages to advocates on H2")
class Boot4H2MessagesTest extends MessagesContract {

    @Override
    protected TestDb database() {
        return TestDb.h2();
    }
}
