package io.referrals.spring.boot.starter;

import org.junit.jupiter.api.DisplayName;

@DisplayName("Spring Boot 4: the advocate portal on H2, the host's Spring Security CSRF protection off")
class Boot4PortalWithoutSpringCsrfTest extends PortalContract {

    @Override
    protected TestDb database() {
        return TestDb.h2();
    }

    @Override
    protected boolean springCsrf() {
        return false;
    }
}
