package io.referrals.spring.boot.starter;

import org.junit.jupiter.api.DisplayName;

@DisplayName("Spring Boot 3: the advocate portal on H2")
class Boot3H2PortalTest extends PortalContract {

    @Override
    protected TestDb database() {
        return TestDb.h2();
    }
}
