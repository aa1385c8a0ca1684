package io.referrals.spring.boot.starter;

import org.junit.jupiter.api.DisplayName;

@DisplayName("Spring Boot 4: the advocate portal on H2")
class Boot4H2PortalTest extends PortalContract {

    @Override
    protected TestDb database() {
        return TestDb.h2();
    }
}
