package io.referrals.spring.boot.starter;

import org.junit.jupiter.api.DisplayName;

@DisplayName("Spring Boot 4: the advocate portal on PostgreSQL")
class Boot4PostgreSqlPortalTest extends PortalContract {

    @Override
    protected TestDb database() {
        return TestDb.postgres();
    }
}
