package io.referrals.spring.boot.starter;

import org.junit.jupiter.api.DisplayName;

@DisplayName("Spring Boot 4: the host's Flyway runs the shipped scripts on PostgreSQL")
class Boot4FlywayPostgreSqlTest extends FlywayHostMigrationsContract {

    @Override
    protected TestDb database() {
        return TestDb.postgres();
    }

    @Override
    protected String scriptFolder() {
        return "postgresql";
    }
}
