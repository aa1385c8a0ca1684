package io.referrals.spring.boot.starter;

import org.junit.jupiter.api.DisplayName;

@DisplayName("Spring Boot 3: the advocate portal on PostgreSQL")
class Boot3PostgreSqlPortalTest extends PortalContract {

    @Override
    protected TestDb database() {
        return TestDb.postgres();
    }
}
