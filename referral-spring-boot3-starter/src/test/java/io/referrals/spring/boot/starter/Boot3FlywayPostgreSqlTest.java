package io.referrals.spring.boot.starter;

import org.junit.jupiter.api.DisplayName;

@DisplayName("Spring Boot 3.5: the host's Flyway runs the shipped scripts on PostgreSQL")
class Boot3FlywayPostgreSqlTest extends FlywayHostMigrationsContract {

    @Override
    protected TestDb database() {
        return TestDb.postgres();
    }

    @Override
    protected String scriptFolder() {
        return "postgresql";
    }
}
