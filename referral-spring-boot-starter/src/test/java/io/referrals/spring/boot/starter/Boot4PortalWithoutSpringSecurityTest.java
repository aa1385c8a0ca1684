package io.referrals.spring.boot.starter;

import org.junit.jupiter.api.DisplayName;

@DisplayName("Spring Boot 4: the advocate portal on H2, in a host without Spring Security")
class Boot4PortalWithoutSpringSecurityTest extends PortalContract {

    @Override
    protected TestDb database() {
        return TestDb.h2();
    }

    @Override
    protected boolean springCsrf() {
        return false;
    }

    @Override
    protected Class<?> host() {
        return PlainServletHostApp.class;
    }
}
