package io.referrals.spring.boot.starter;

import org.junit.jupiter.api.DisplayName;

@DisplayName("Spring Boot 3.5: the host's Flyway runs the shipped scripts on H2")
class Boot3FlywayH2Test extends FlywayHostMigrationsContract {

    @Override
    protected TestDb database() {
        return TestDb.h2();
    }

    @Override
    protected String scriptFolder() {
        return "h2";
    }
}
